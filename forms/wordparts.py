"""The parts Word puts in every document it saves, written by code for the issued form.

A council's form is a Word document, so ours carries what Word writes alongside the text:
styles with the full list of latent (built-in, not yet used) styles, the Office theme, a font
table, web settings and document properties. Word, LibreOffice and python-docx then open it as
one of their own. Everything here is a fixed function of its arguments (byte-identical rebuilds).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from practice_alerts.forms.ooxml import DECL, EXT_PROPS, ROOT_NS

ACCENTS = [""] + [f" Accent {i}" for i in range(1, 7)]
_TABLE_LOOKS = ("Light Shading", "Light List", "Light Grid", "Medium Shading 1", "Medium Shading 2",
                "Medium List 1", "Medium List 2", "Medium Grid 1", "Medium Grid 2", "Medium Grid 3",
                "Dark List", "Colorful Shading", "Colorful List", "Colorful Grid")
_GRID_LIST = ("1 Light", "2", "3", "4", "5 Dark", "6 Colorful", "7 Colorful")
_OLD_TABLES = {"Simple": 3, "Classic": 4, "Colorful": 3, "Columns": 5, "Grid": 8, "List": 8, "3D effects": 3,
               "Web": 3, "Subtle": 2}


def _latent_names() -> list[tuple[str, int | None, bool, bool]]:
    """(name, uiPriority, hidden until used, quick style) for Word's built-in styles, in Word's order."""
    out: list[tuple[str, int | None, bool, bool]] = [("Normal", 0, False, True)]
    out += [(f"heading {i}", 9, i > 1, True) for i in range(1, 10)]
    out += [(f"index {i}", None, True, False) for i in range(1, 10)]
    out += [(f"toc {i}", 39, True, False) for i in range(1, 10)]
    plain = ["Normal Indent", "footnote text", "annotation text", "header", "footer", "index heading"]
    out += [(n, None, True, False) for n in plain]
    out += [("caption", 35, True, True)]
    plain = ["table of figures", "envelope address", "envelope return", "footnote reference", "annotation reference",
             "line number", "page number", "endnote reference", "endnote text", "table of authorities", "macro",
             "toa heading", "List", "List Bullet", "List Number", *[f"List {i}" for i in range(2, 6)],
             *[f"List Bullet {i}" for i in range(2, 6)], *[f"List Number {i}" for i in range(2, 6)]]
    out += [(n, None, True, False) for n in plain]
    out += [("Title", 10, False, True), ("Closing", None, True, False), ("Signature", None, True, False),
            ("Default Paragraph Font", 1, True, False)]
    plain = ["Body Text", "Body Text Indent", "List Continue", *[f"List Continue {i}" for i in range(2, 6)],
             "Message Header"]
    out += [(n, None, True, False) for n in plain]
    out += [("Subtitle", 11, False, True)]
    plain = ["Salutation", "Date", "Body Text First Indent", "Body Text First Indent 2", "Note Heading",
             "Body Text 2", "Body Text 3", "Body Text Indent 2", "Body Text Indent 3", "Block Text", "Hyperlink",
             "FollowedHyperlink"]
    out += [(n, None, True, False) for n in plain]
    out += [("Strong", 22, False, True), ("Emphasis", 20, False, True)]
    plain = ["Document Map", "Plain Text", "E-mail Signature", "HTML Top of Form", "HTML Bottom of Form",
             "Normal (Web)", "HTML Acronym", "HTML Address", "HTML Cite", "HTML Code", "HTML Definition",
             "HTML Keyboard", "HTML Preformatted", "HTML Sample", "HTML Typewriter", "HTML Variable",
             "Normal Table", "annotation subject", "No List", "Outline List 1", "Outline List 2", "Outline List 3"]
    out += [(n, None, True, False) for n in plain]
    out += [(f"Table {kind} {i}", None, True, False) for kind, count in _OLD_TABLES.items() for i in range(1, count + 1)]
    plain = ["Table Contemporary", "Table Elegant", "Table Professional", "Balloon Text"]
    out += [(n, None, True, False) for n in plain]
    out += [("Table Grid", 39, False, False), ("Table Theme", None, True, False), ("Placeholder Text", None, True, False),
            ("No Spacing", 1, False, True)]
    out += [(f"{look}{accent}", 60 + i, False, False) for accent in ACCENTS for i, look in enumerate(_TABLE_LOOKS)]
    out += [("Revision", None, True, False), ("List Paragraph", 34, False, True), ("Quote", 29, False, True),
            ("Intense Quote", 30, False, True), ("Subtle Emphasis", 19, False, True),
            ("Intense Emphasis", 21, False, True), ("Subtle Reference", 31, False, True),
            ("Intense Reference", 32, False, True), ("Book Title", 33, False, True),
            ("Bibliography", 37, True, False), ("TOC Heading", 39, True, True), ("Plain Table 1", 41, False, False)]
    out += [(f"Plain Table {i}", 40 + i, False, False) for i in range(2, 6)]
    out += [("Grid Table Light", 40, False, False)]
    out += [(f"{kind} Table {look}{accent}", 46 + i, False, False)
            for kind in ("Grid", "List") for accent in ACCENTS for i, look in enumerate(_GRID_LIST)]
    out += [(n, None, True, False) for n in ("Mention", "Smart Hyperlink", "Hashtag", "Unresolved Mention",
                                              "Smart Link")]
    return out


def latent_styles() -> str:
    """w:latentStyles as Word 2019 and later write it (some 370 built-in styles)."""
    names = _latent_names()
    items = []
    for name, priority, hidden, quick in names:
        attrs = f' w:name="{escape(name)}"'
        if priority is not None and priority != 99:
            attrs += f' w:uiPriority="{priority}"'
        if hidden:
            attrs += ' w:semiHidden="1" w:unhideWhenUsed="1"'
        if quick:
            attrs += ' w:qFormat="1"'
        items.append(f"<w:lsdException{attrs}/>")
    return ('<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="0" '
            f'w:defUnhideWhenUsed="0" w:defQFormat="0" w:count="{len(names)}">' + "\n".join(items) + "</w:latentStyles>")


A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
_COLOURS = (("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'), ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
            ("dk2", "44546A"), ("lt2", "E7E6E6"), ("accent1", "4472C4"), ("accent2", "ED7D31"), ("accent3", "A5A5A5"),
            ("accent4", "FFC000"), ("accent5", "5B9BD5"), ("accent6", "70AD47"), ("hlink", "0563C1"),
            ("folHlink", "954F72"))
_SCRIPTS = (("Jpan", "游ゴシック"), ("Hang", "맑은 고딕"), ("Hans", "等线"), ("Hant", "新細明體"), ("Arab", "Times New Roman"),
            ("Hebr", "Times New Roman"), ("Thai", "Tahoma"), ("Ethi", "Nyala"), ("Beng", "Vrinda"), ("Gujr", "Shruti"),
            ("Khmr", "MoolBoran"), ("Knda", "Tunga"), ("Guru", "Raavi"), ("Cans", "Euphemia"), ("Cher", "Plantagenet Cherokee"),
            ("Yiii", "Microsoft Yi Baiti"), ("Tibt", "Microsoft Himalaya"), ("Thaa", "MV Boli"), ("Deva", "Mangal"),
            ("Telu", "Gautami"), ("Taml", "Latha"), ("Syrc", "Estrangelo Edessa"), ("Orya", "Kalinga"),
            ("Mlym", "Kartika"), ("Laoo", "DokChampa"), ("Sinh", "Iskoola Pota"), ("Mong", "Mongolian Baiti"),
            ("Viet", "Times New Roman"), ("Uigh", "Microsoft Uighur"), ("Geor", "Sylfaen"))


def _fonts(kind: str, latin: str) -> str:
    scripts = "".join(f'<a:font script="{s}" typeface="{f}"/>' for s, f in _SCRIPTS)
    return f'<a:{kind}><a:latin typeface="{latin}" panose="020F0302020204030204"/><a:ea typeface=""/><a:cs typeface=""/>{scripts}</a:{kind}>'


def _colour(value: str) -> str:
    return value if value.startswith("<") else f'<a:srgbClr val="{value}"/>'


def _fill(mods: str) -> str:
    return f'<a:solidFill><a:schemeClr val="phClr">{mods}</a:schemeClr></a:solidFill>'


def _gradient(stops: tuple[str, str, str]) -> str:
    gs = "".join(f'<a:gs pos="{pos}"><a:schemeClr val="phClr">{mods}</a:schemeClr></a:gs>'
                 for pos, mods in zip((0, 50000, 100000), stops, strict=True))
    return f'<a:gradFill rotWithShape="1"><a:gsLst>{gs}</a:gsLst><a:lin ang="5400000" scaled="0"/></a:gradFill>'


def theme_xml() -> str:
    """word/theme/theme1.xml: the Office theme (colours, Calibri fonts, fill, line and effect styles)."""
    colours = "".join(f"<a:{name}>{_colour(c)}</a:{name}>" for name, c in _COLOURS)
    fills = _fill("") + _gradient(('<a:lumMod val="110000"/><a:satMod val="105000"/><a:tint val="67000"/>',
                                   '<a:lumMod val="105000"/><a:satMod val="103000"/><a:tint val="73000"/>',
                                   '<a:lumMod val="105000"/><a:satMod val="109000"/><a:tint val="81000"/>'))
    fills += _gradient(('<a:satMod val="103000"/><a:lumMod val="102000"/><a:tint val="94000"/>',
                        '<a:satMod val="110000"/><a:lumMod val="100000"/><a:shade val="100000"/>',
                        '<a:lumMod val="99000"/><a:satMod val="120000"/><a:shade val="78000"/>'))
    lines = "".join(f'<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr">{_fill("")}<a:prstDash val="solid"/>'
                    '<a:miter lim="800000"/></a:ln>' for w in (6350, 12700, 19050))
    effects = "<a:effectStyle><a:effectLst/></a:effectStyle>" * 2 + (
        '<a:effectStyle><a:effectLst><a:outerShdw blurRad="57150" dist="19050" dir="5400000" algn="ctr" '
        'rotWithShape="0"><a:srgbClr val="000000"><a:alpha val="63000"/></a:srgbClr></a:outerShdw></a:effectLst>'
        "</a:effectStyle>")
    backgrounds = _fill("") + _fill('<a:tint val="95000"/><a:satMod val="170000"/>') + _gradient(
        ('<a:tint val="93000"/><a:satMod val="150000"/><a:shade val="98000"/><a:lumMod val="102000"/>',
         '<a:tint val="98000"/><a:satMod val="130000"/><a:shade val="90000"/><a:lumMod val="103000"/>',
         '<a:shade val="63000"/><a:satMod val="120000"/>'))
    return DECL + (
        f'<a:theme {A} name="Office Theme"><a:themeElements><a:clrScheme name="Office">{colours}</a:clrScheme>'
        f'<a:fontScheme name="Office">{_fonts("majorFont", "Calibri Light")}{_fonts("minorFont", "Calibri")}</a:fontScheme>'
        f'<a:fmtScheme name="Office"><a:fillStyleLst>{fills}</a:fillStyleLst><a:lnStyleLst>{lines}</a:lnStyleLst>'
        f"<a:effectStyleLst>{effects}</a:effectStyleLst><a:bgFillStyleLst>{backgrounds}</a:bgFillStyleLst></a:fmtScheme>"
        "</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>")


_FONTS = (("Arial", "020B0604020202020204", "00", "swiss", "E0002EFF", "C000785B", "00000009", "00000000", "000001FF", "00000000"),
          ("MS Gothic", "020B0609070205080204", "80", "modern", "E00002FF", "6AC7FDFB", "08000012", "00000000", "0002009F", "00000000"),
          ("Times New Roman", "02020603050405020304", "00", "roman", "E0002EFF", "C000785B", "00000009", "00000000", "000001FF", "00000000"),
          ("Calibri", "020F0502020204030204", "00", "swiss", "E4002EFF", "C000247B", "00000009", "00000000", "000001FF", "00000000"),
          ("Calibri Light", "020F0302020204030204", "00", "swiss", "E4002EFF", "C000247B", "00000009", "00000000", "000001FF", "00000000"))


def font_table_xml() -> str:
    """word/fontTable.xml: the fonts the form uses, with the metrics Word records for substitution."""
    fonts = "".join(
        f'<w:font w:name="{name}"><w:panose1 w:val="{panose}"/><w:charset w:val="{charset}"/><w:family w:val="{family}"/>'
        f'<w:pitch w:val="{"fixed" if family == "modern" else "variable"}"/><w:sig w:usb0="{u0}" w:usb1="{u1}" '
        f'w:usb2="{u2}" w:usb3="{u3}" w:csb0="{c0}" w:csb1="{c1}"/></w:font>'
        for name, panose, charset, family, u0, u1, u2, u3, c0, c1 in _FONTS)
    return DECL + f"<w:fonts {ROOT_NS}>{fonts}</w:fonts>"


def web_settings_xml() -> str:
    return DECL + f"<w:webSettings {ROOT_NS}><w:optimizeForBrowser/><w:allowPNG/></w:webSettings>"


SAVED = "2026-01-05T09:00:00Z"
"""The fixed 'created' and 'modified' time of every issued form (a real date would break rebuilds)."""


def core_xml(title: str, keywords: str, authority: str) -> str:
    return DECL + (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:subject>Practice Alert</dc:subject>"
        f"<dc:creator>{escape(authority)}</dc:creator><cp:keywords>{escape(keywords)}</cp:keywords>"
        f"<cp:lastModifiedBy>{escape(authority)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{SAVED}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{SAVED}</dcterms:modified></cp:coreProperties>')


def app_xml(application: str, version: str, authority: str, words: int, characters: int, paragraphs: int) -> str:
    """docProps/app.xml as Word writes it; `application` is what the reader reports as the saving program."""
    return DECL + (
        f'<Properties xmlns="{EXT_PROPS}" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Template>Normal.dotm</Template><TotalTime>0</TotalTime><Pages>3</Pages><Words>{words}</Words>"
        f"<Characters>{characters}</Characters><Application>{escape(application)}</Application>"
        f"<DocSecurity>0</DocSecurity><Lines>{max(1, characters // 80)}</Lines><Paragraphs>{paragraphs}</Paragraphs>"
        f"<ScaleCrop>false</ScaleCrop><Company>{escape(authority)}</Company><LinksUpToDate>false</LinksUpToDate>"
        f"<CharactersWithSpaces>{characters + words}</CharactersWithSpaces><SharedDoc>false</SharedDoc>"
        f"<HyperlinksChanged>false</HyperlinksChanged><AppVersion>{version}</AppVersion></Properties>")
