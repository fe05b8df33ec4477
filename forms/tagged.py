"""Read every tagged content control of a part in one pass of compiled XSLT (libxslt, in C).

A form has some fifty controls; reading each through Python element proxies costs more than
parsing the whole document. This stylesheet writes one compact record per tagged control,
applying the same rules as controls.shown_text (insertions in, deletions and placeholders out,
paragraphs and line breaks as new lines), and Python only splits the records. Parts holding the
private-use characters it uses as separators are read the slow way (controls.read_control).
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from practice_alerts.forms.controls import SDT, TRUE_WORDS, control_tag, match_item, read_control
from practice_alerts.forms.ooxml import W14, W
from practice_alerts.forms.record import FieldReading, FieldSource

RECORD, PARAGRAPH, UNIT, ITEM, REVISION = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004"
SEPARATORS_UTF8 = tuple(c.encode() for c in (RECORD, PARAGRAPH, UNIT, ITEM, REVISION))

_STYLESHEET = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:w="{W}" xmlns:w14="{W14}">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/">
  <xsl:for-each select="//w:sdtPr/w:tag">
    <xsl:text>&#xE000;</xsl:text><xsl:value-of select="@w:val"/><xsl:text>&#xE002;</xsl:text>
    <xsl:choose>
      <xsl:when test="../w14:checkbox">
        <xsl:text>C&#xE002;&#xE002;</xsl:text><xsl:value-of select="../w14:checkbox/w14:checked/@w14:val"/>
        <xsl:text>&#xE002;&#xE002;</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:if test="../w:showingPlcHdr">P</xsl:if>
        <xsl:text>&#xE002;</xsl:text><xsl:value-of select="../w:date/@w:fullDate"/>
        <xsl:text>&#xE002;&#xE002;</xsl:text>
        <xsl:for-each select="../w:dropDownList/w:listItem | ../w:comboBox/w:listItem">
          <xsl:value-of select="@w:displayText"/><xsl:text>&#xE003;</xsl:text>
          <xsl:value-of select="@w:value"/><xsl:text>&#xE003;</xsl:text>
        </xsl:for-each>
        <xsl:text>&#xE002;</xsl:text><xsl:apply-templates select="../../w:sdtContent" mode="t"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:for-each>
</xsl:template>
<xsl:template match="text()" mode="t"/>
<xsl:template match="w:t" mode="t"><xsl:value-of select="."/></xsl:template>
<xsl:template match="w:br[not(@w:type) or @w:type='textWrapping'] | w:cr" mode="t"><xsl:text>&#xA;</xsl:text></xsl:template>
<xsl:template match="w:r/w:tab" mode="t"><xsl:text>&#x9;</xsl:text></xsl:template>
<xsl:template match="w:p" mode="t">
  <xsl:if test="not(preceding-sibling::w:p[1]/w:pPr/w:rPr/w:del)"><xsl:text>&#xE001;</xsl:text></xsl:if>
  <xsl:if test="w:pPr/w:rPr/w:del or w:pPr/w:rPr/w:ins"><xsl:text>&#xE004;</xsl:text></xsl:if>
  <xsl:apply-templates mode="t"/>
</xsl:template>
<xsl:template match="w:del | w:moveFrom" mode="t"><xsl:text>&#xE004;</xsl:text></xsl:template>
<xsl:template match="w:ins | w:moveTo" mode="t"><xsl:text>&#xE004;</xsl:text><xsl:apply-templates mode="t"/></xsl:template>
<xsl:template match="w:sdtPr | w:pPr | w:rPr | w:instrText" mode="t"/>
<xsl:template match="w:sdt[w:sdtPr/w:showingPlcHdr]" mode="t"/>
</xsl:stylesheet>"""

_TRANSFORM = etree.XSLT(etree.XML(_STYLESHEET), access_control=etree.XSLTAccessControl.DENY_ALL,
                        regexp=False)  # no EXSLT regular expressions: not registering them saves time per call


def _records(output: str, source: FieldSource) -> list[tuple[str, FieldReading]]:
    """(tag, reading) for each record of the stylesheet's output.

    One loop with the record's rules written out, and each FieldReading made from all its fields
    in order without the named tuple's Python-level __new__: a form makes fifty of these per read.
    """
    make = tuple.__new__
    out: list[tuple[str, FieldReading]] = []
    append = out.append
    for line in output.split(RECORD)[1:]:
        tag, flags, full_date, checked, items, text = line.split(UNIT)
        if "C" in flags:
            append((tag, make(FieldReading, (tag, source, "", checked.strip().lower() in TRUE_WORDS,
                                             None, None, False, None))))
            continue
        revisions = REVISION in text
        if revisions:
            text = text.replace(REVISION, "")
        if "P" in flags:  # the placeholder is showing: nothing was filled in
            append((tag, make(FieldReading, (tag, source, "", None, None, None, revisions, None))))
            continue
        if PARAGRAPH in text:
            if text[0] == PARAGRAPH:  # the first paragraph starts the text, it does not break it
                text = text[1:]
            text = text.replace(PARAGRAPH, "\n")
        text = text.strip()
        date = choice = None
        if text:
            if full_date:
                try:
                    date = dt.date.fromisoformat(full_date[:10])
                except ValueError:
                    date = None
            if items:
                parts = items.split(ITEM)
                choice = match_item(text, list(zip(parts[0::2], parts[1::2], strict=False)))
        append((tag, make(FieldReading, (tag, source, text, None, date, choice, revisions, None))))
    return out


def read_tagged(root: etree._Element, raw: bytes) -> list[tuple[str, FieldReading]]:
    """(tag, reading) for every control with a tag, in document order; `raw` is the part's bytes."""
    source = FieldSource.CONTROL_TAG
    if b"\xee" in raw and any(sep in raw for sep in SEPARATORS_UTF8):  # one memchr clears the usual part
        return [(tag, read_control(sdt, tag, source)) for sdt in root.iter(SDT) if (tag := control_tag(sdt))]
    return _records(str(_TRANSFORM(root)), source)
