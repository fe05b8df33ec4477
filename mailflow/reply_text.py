"""The new words of a reply, without the quoted history and, where clear, the signature.

History starts at the first of: an Outlook header block (``From:`` followed within a few
lines by ``Sent:``/``Date:`` and ``To:``/``Subject:``, in English or the common European
forms, optionally after a ``____`` rule), ``-----Original Message-----``, a "Forwarded
message" line, a mail client's ``On ... wrote:`` line (it carries a time or an address;
possibly wrapped over two lines), or a run of ``>`` quoted lines. The signature goes from a
``-- `` line, or a "Sent from my ..." line.
If stripping would leave nothing, the whole body is kept: a reply that starts "From my
point of view..." must never vanish.
"""

from __future__ import annotations

import re

_FROM = re.compile(r"^\s*\*?(from|von|de|van|da)\s*:\*?\s*\S", re.IGNORECASE)
_SENT = re.compile(r"^\s*\*?(sent|date|gesendet|datum|envoy[ée]|verzonden|inviato)\s*:\*?", re.IGNORECASE)
_TO_SUBJECT = re.compile(r"^\s*\*?(to|subject|cc|an|betreff|[àa]|objet|aan|onderwerp|oggetto)\s*:\*?", re.IGNORECASE)
_ORIGINAL = re.compile(r"^\s*-{2,}\s*(original message|forwarded message|urspr[üu]ngliche nachricht|message d'origine)\s*-{2,}",
                       re.IGNORECASE)
_BEGIN_FORWARD = re.compile(r"^\s*(begin forwarded message:|-+ ?forwarded message ?-+)", re.IGNORECASE)
_WROTE = re.compile(r"^\s*(on|le|am|op|il)\s.{4,300}\b(wrote|a écrit|schrieb|schreef|ha scritto)\s*:\s*$",
                    re.IGNORECASE | re.DOTALL)
_CLIENT_STAMP = re.compile(r"\d{1,2}[:.]\d{2}|@")
"""What a mail client's "On ... wrote:" line always carries (a time or an address) and a
person's sentence ("On 3 December the school wrote:") usually does not."""
_RULE = re.compile(r"^\s*_{8,}\s*$")
_SIG = re.compile(r"^-- ?$")
_MOBILE = re.compile(r"^\s*(sent from my \w+|get outlook for (ios|android)|sent from outlook|"
                     r"sent from (mail|yahoo mail) for)", re.IGNORECASE)


def _outlook_block(lines: list[str], i: int) -> bool:
    if not _FROM.match(lines[i]):
        return False
    window = [line for line in lines[i + 1:i + 9] if line.strip()][:4]
    return any(_SENT.match(w) for w in window) and any(_TO_SUBJECT.match(w) for w in window)


def _client_wrote(line: str) -> bool:
    return bool(_WROTE.match(line)) and bool(_CLIENT_STAMP.search(line))


def _history_start(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if _ORIGINAL.match(line) or _BEGIN_FORWARD.match(line):
            return i
        if _RULE.match(line) and i + 1 < len(lines):
            following = next((j for j in range(i + 1, min(i + 4, len(lines))) if lines[j].strip()), None)
            if following is not None and _outlook_block(lines, following):
                return i
        if _outlook_block(lines, i):
            return i
        if _client_wrote(line) or (i + 1 < len(lines) and not line.lstrip().startswith(">")
                                   and re.match(r"^\s*(on|le|am|op|il)\s", line, re.IGNORECASE)
                                   and _client_wrote(line + " " + lines[i + 1])):
            return i
        if line.startswith(">") and all(
                (not later.strip()) or later.startswith(">") for later in lines[i:]):
            return i
    return None


def _drop_signature(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if _SIG.match(line) or _MOBILE.match(line):
            return lines[:i]
    return lines


def new_text(body: str) -> str:
    """The reply's own text; the whole body when nothing would be left."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _history_start(lines)
    kept = lines[:start] if start is not None else lines
    kept = _drop_signature(kept)
    kept = [line for line in kept if not line.lstrip().startswith(">")] if start is None else kept
    text = "\n".join(kept).strip()
    return text if text else body.strip()
