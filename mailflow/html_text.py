"""HTML mail turned into plain text, with the standard library only, in linear time.

Enough for reading replies: paragraphs and line breaks kept, lists bulleted, quoted
blocks (``<blockquote>``, Gmail's ``gmail_quote``) prefixed with ``>`` so that
``reply_text`` can strip them, scripts, styles and comments dropped, entities decoded.
Links keep their text; a link whose target differs from its text adds it in brackets.

The tokenizer is our own, not ``html.parser``: that one is quadratic on unfinished tags
(``<a<a<a...``, the CVE-2025-6069 class), and anyone can send us HTML. Here every character
is looked at a bounded number of times: a tag runs from ``<`` to the next ``>`` (found once,
not once per ``<``), a comment to the next ``-->``, a script or style to its end tag, and
anything unfinished at the end is text (or dropped). Input beyond ``MAX_HTML_CHARS`` is cut.
"""

from __future__ import annotations

import re
from html import unescape

MAX_HTML_CHARS = 1_000_000
"""More HTML than this is cut before reading (a reply's own words come first)."""
_MAX_TAG_CHARS = 4000
"""Attributes are read from at most this much of a tag."""
_TAG_NAME = re.compile(r"/?\s*([A-Za-z][^\s/>]*)")
_END_OF = {tag: re.compile(f"</{tag}", re.IGNORECASE) for tag in ("script", "style")}
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")

_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "table", "tr", "h1", "h2", "h3",
    "h4", "h5", "h6", "ul", "ol", "pre", "hr", "address", "center", "form", "dl", "dt", "dd",
}
_PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote", "pre", "hr"}
_SKIP = {"script", "style", "head", "title", "xml", "o:p"}
_QUOTE_CLASSES = ("gmail_quote",)


class _TextBuilder:
    def __init__(self) -> None:
        self.lines: list[str] = [""]
        self.skip_depth = 0
        self.quote_depth = 0
        self.pre_depth = 0
        self.stack: list[tuple[str, bool]] = []  # (tag, opened a quote)
        self.link: str | None = None
        self.link_text = ""

    def _break(self) -> None:
        """Start a fresh line (no blank line)."""
        if self.lines[-1].strip(" >"):
            self.lines.append("")

    def _paragraph(self) -> None:
        """Start a fresh line after one blank line."""
        self._break()
        if len(self.lines) > 1 and self.lines[-2].strip(" >"):
            self.lines.append("")

    def _block(self, tag: str) -> None:
        if tag in _PARAGRAPH:
            self._paragraph()
        else:
            self._break()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in _SKIP:
            self.skip_depth += 1
            return
        quoting = tag == "blockquote" or any(
            c in (attributes.get("class") or "").split() for c in _QUOTE_CLASSES
        )
        if tag in _BLOCK or tag in {"blockquote", "li"} or quoting:
            self._block(tag)
        if tag == "br":
            self.lines.append("")
        elif tag == "li":
            self._write("- ")
        elif tag == "a":
            self.link, self.link_text = attributes.get("href"), ""
        elif tag == "pre":
            self.pre_depth += 1
        if tag not in {"br", "hr", "img", "meta", "link", "input"}:
            self.stack.append((tag, quoting))
            if quoting:
                self.quote_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "a" and self.link:
            href = self.link
            target = href[7:] if href.lower().startswith("mailto:") else href
            if target and target.strip() != self.link_text.strip() and not href.startswith("#"):
                self._write(f" <{target}>")
            self.link = None
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
        while self.stack:
            open_tag, quoting = self.stack.pop()
            if quoting:
                self.quote_depth -= 1
            if open_tag == tag:
                break
        if tag in _BLOCK or tag in {"blockquote", "li"}:
            self._block(tag)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.pre_depth:
            parts = data.split("\n")
            for i, part in enumerate(parts):
                if i:
                    self.lines.append("")
                self._write(part)
            return
        text = re.sub(r"\s+", " ", data)
        if not self.lines[-1]:
            text = text.lstrip()
        if text:
            self._write(text)
            if self.link is not None:
                self.link_text += text

    def _write(self, text: str) -> None:
        if not self.lines[-1] and self.quote_depth:
            self.lines[-1] = "> " * self.quote_depth
        self.lines[-1] += text.replace("\xa0", " ")


def _attributes(text: str) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for match in _ATTRIBUTE.finditer(text[:_MAX_TAG_CHARS]):
        name, double, single, bare = match.groups()
        value = double if double is not None else single if single is not None else bare
        found.append((name.lower(), unescape(value) if value is not None else None))
    return found


def _feed(builder: _TextBuilder, html: str) -> None:
    """Drive ``builder`` through ``html``: linear, whatever the input."""
    position, size = 0, len(html)
    next_gt = -1
    while position < size:
        lt = html.find("<", position)
        if lt < 0:
            builder.handle_data(unescape(html[position:]))
            return
        if lt > position:
            builder.handle_data(unescape(html[position:lt]))
        if html.startswith("<!--", lt):
            end = html.find("-->", lt + 4)
            if end < 0:
                return  # an unfinished comment: the rest is comment
            position = end + 3
            continue
        if next_gt < lt:
            next_gt = html.find(">", lt)
            if next_gt < 0:  # no tag can end: the rest is text
                builder.handle_data(unescape(html[lt:]))
                return
        inside = html[lt + 1:next_gt]
        position = next_gt + 1
        name_match = _TAG_NAME.match(inside)
        if name_match is None or inside.startswith(("!", "?")):
            continue  # a doctype, a processing instruction or a stray "<": dropped
        tag = name_match.group(1).lower()
        if inside.startswith("/"):
            builder.handle_endtag(tag)
            continue
        builder.handle_starttag(tag, _attributes(inside[name_match.end():]))
        if tag in ("script", "style"):
            closing = _END_OF[tag].search(html, position)
            if closing is None:
                return
            position = closing.start()
        elif inside.rstrip().endswith("/") and tag not in {"br", "hr", "img", "meta", "link", "input"}:
            builder.handle_endtag(tag)


def html_to_text(html: str) -> str:
    """Readable plain text from an HTML body."""
    builder = _TextBuilder()
    _feed(builder, html[:MAX_HTML_CHARS])
    lines = [line.rstrip() for line in builder.lines]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n" if text.strip() else ""
