"""Reading the form's free-text "Other agency: name and address" into who a letter is addressed to.

IROs write it many ways: "Ms A Patel, Head Teacher, Oakham Primary School, 1 School Lane",
"FAO Dr Jones - Designated Doctor, NHS Rutland", "Head Teacher, Oakham Primary School". A named
person gets "Dear Ms Patel"; a post alone gets "Dear Head Teacher"; the organisation is the
first part that is neither a person nor a post, so the letter never speaks of "the part Head
Teacher plays" in the child's plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Rev|Revd|Cllr)"
_PERSON = re.compile(rf"^(?:(?:FAO|F\.A\.O\.|Attn|Attention|For the attention of)[:\s]+)?({TITLES})\.?\s+(.+)$",
                     re.IGNORECASE)
_FAO = re.compile(r"^(?:FAO|F\.A\.O\.|Attn|Attention|For the attention of)[:\s]+", re.IGNORECASE)
_POST = re.compile(r"\b(head\s*teacher|headteacher|head of|manager|director|principal|officer|lead|co-?ordinator|"
                   r"senco|chief|chair|designated|consultant|matron|governor|teacher|nurse|doctor|inspector)\b",
                   re.IGNORECASE)
_ORGANISATION = re.compile(r"\b(school|academy|college|nhs|trust|council|service|services|hospital|police|"
                           r"constabulary|centre|center|surgery|practice|partnership|board|cafcass|agency|"
                           r"foundation|clinic|team|department|limited|ltd)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Addressee:
    name: str
    addressee: str
    salutation: str
    address_lines: tuple[str, ...]


def _parts(text: str) -> list[str]:
    parts = []
    for line in text.replace(" - ", "\n").replace(" – ", "\n").splitlines():
        parts += [p.strip(" .;") for p in line.split(",") if p.strip(" .;")]
    return parts


def read_agency(text: str) -> Addressee:
    parts = _parts(text) or ["The agency"]
    person, post, organisation, rest = None, None, None, []
    for part in parts:
        m = _PERSON.match(part)
        if person is None and m and not _ORGANISATION.search(part):
            person = (m[1].capitalize().rstrip("."), m[2].strip())
        elif post is None and _POST.search(part) and not _ORGANISATION.search(part):
            post = _FAO.sub("", part)
        elif organisation is None and not re.match(r"^\d", part):
            organisation = _FAO.sub("", part)
        else:
            rest.append(part)
    if person is not None:
        title, names = person
        surname = names.split()[-1]
        addressee = f"{title} {names}" + (f", {post}" if post else "")
        salutation = f"{title} {surname}"
    elif post is not None:
        addressee, salutation = (post if post.lower().startswith("the ") else f"The {post}"), post
    else:
        addressee, salutation = "The Manager", "Sir or Madam"
    return Addressee(name=organisation or (post or "The agency"), addressee=addressee, salutation=salutation,
                     address_lines=tuple(rest[:5]))
