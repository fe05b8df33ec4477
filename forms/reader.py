"""Read a filled Practice Alert form from bytes: the one entry point the service calls.

    reading = read_form(attachment_bytes, filename="alert.docx", policy=policy, today=today)

The file is checked first (gate.open_package raises FileRefused for anything that is not a plain,
safe .docx). Then every field is found: by its control's tag, else by the fallbacks for copies
that lost their controls. The values are checked against the policy, and the record is built
only when nothing is wrong. Nothing here reads files or the network: the bytes, the policy (or
a way to load one by the name the form carries) and `today` are arguments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import NamedTuple

from pydantic import ValidationError

from practice_alerts.forms import fallback
from practice_alerts.forms.controls import normalise
from practice_alerts.forms.fields import REASON_PREFIX, Field, Kind, by_key, catalogue
from practice_alerts.forms.gate import FileRefused, Limits, Package, open_package
from practice_alerts.forms.ooxml import W
from practice_alerts.forms.record import AlertForm, FieldReading, FormProblem, FormReading
from practice_alerts.forms.tagged import read_tagged
from practice_alerts.forms.validate import problems
from practice_alerts.forms.values import field_value
from practice_alerts.forms.xml import UnsafeXml, parse_xml
from practice_alerts.policies.schema import Policy

NS = {"w": W}

MARKER = re.compile(rb"Practice Alert form version (\d+), policy ([a-z][a-z0-9_]*)")
CONTROL = re.compile(rb"<(?:\w+:)?(?:sdt|fldChar)\b")
APPLICATION = re.compile(rb"<(?:\w+:)?Application>([^<]{1,200})</(?:\w+:)?Application>")
PolicyLoader = Callable[[str], Policy | None]


class _Catalogue(NamedTuple):
    """A policy's fields, with what every read needs worked out once."""

    fields: dict[str, Field]
    check_keys: list[str]
    """The reason boxes' keys."""
    check_set: frozenset[str]
    plain_keys: frozenset[str]
    """Text fields, whose value is simply the text shown."""
    prompts: dict[str, tuple[int, str]]
    """Key -> (length the text must stay under to be the prompt, the prompt normalised)."""


_CATALOGUES: dict[int, tuple[Policy | None, _Catalogue]] = {}


def _catalogue(policy: Policy | None) -> _Catalogue:
    """Made once per policy (policies are frozen; the cache keeps each alive, so its id cannot be
    reused). Callers must not change what it holds."""
    cached = _CATALOGUES.get(id(policy))
    if cached is None or cached[0] is not policy:
        if len(_CATALOGUES) > 64:
            _CATALOGUES.clear()
        fields = by_key(catalogue(policy))
        cached = _CATALOGUES[id(policy)] = (policy, _Catalogue(
            fields=fields,
            check_keys=[k for k, f in fields.items() if f.kind is Kind.CHECK],
            check_set=frozenset(k for k, f in fields.items() if f.kind is Kind.CHECK),
            plain_keys=frozenset(k for k, f in fields.items() if f.kind is Kind.TEXT or f.kind is Kind.RICH),
            prompts={k: (2 * len(f.prompt) + 8, normalise(f.prompt)) for k, f in fields.items() if f.prompt},
        ))
    return cached[1]


def _marker(parts: list[bytes]) -> tuple[str | None, str | None]:
    for part in parts:
        if m := MARKER.search(part):
            return m[1].decode(), m[2].decode()
    return None, None


def _tagged(parts: list[tuple[object, bytes]], fields: dict[str, Field]
            ) -> tuple[dict[str, FieldReading], list[str], list[str]]:
    """Controls found by tag; reason codes seen (ticked or not); tags that appeared twice differently."""
    found: dict[str, FieldReading] = {}
    reasons: list[str] = []
    clashes: list[str] = []
    for root, raw in parts:
        for tag, reading in read_tagged(root, raw):
            known = tag in fields
            if not known and not tag.startswith(REASON_PREFIX):
                continue
            if tag in found:
                if (found[tag].text, found[tag].checked) != (reading.text, reading.checked):
                    clashes.append(tag)
                continue
            found[tag] = reading
            if not known:  # a reason code this policy does not have
                reasons.append(tag)
    return found, reasons, clashes


def _empty_prompts(found: dict[str, FieldReading], prompts: dict[str, tuple[int, str]]) -> dict[str, FieldReading]:
    """The template's own prompt text, still showing, counts as empty (`found` is changed in place)."""
    emptied = []
    for key, reading in found.items():
        prompt = prompts.get(key)
        text = reading.text
        if prompt is None or not text or len(text) >= prompt[0]:
            continue
        if text.isascii() and len(text) < len(prompt[1]):
            continue  # lower() keeps an ASCII text's length and normalise() only shortens it: it cannot match
        if normalise(text) == prompt[1]:
            emptied.append(key)
    for key in emptied:
        found[key] = found[key].but(text="", date=None, choice=None)
    return found


def _refuse_if_too_long(roots, filename: str, limits: Limits) -> None:
    paragraphs = sum(int(r.xpath("count(//w:p)", namespaces=NS)) for r in roots)
    rows = sum(int(r.xpath("count(//w:tr)", namespaces=NS)) for r in roots)
    if paragraphs > limits.max_paragraphs or rows > limits.max_rows:
        raise FileRefused("too_long", f"'{filename}' is far longer than a Practice Alert form, so it was not read. "
                      "Send the filled form on its own.")


def _find(package: Package, known: _Catalogue, filename: str, limits: Limits
          ) -> tuple[dict[str, FieldReading], list[str], list[str]]:
    """Every field's reading: by tag, else by the fallbacks for copies that lost their tags."""
    fields = known.fields
    raws = [package.document, *package.headers_footers]
    if sum(raw.count(b"sdtContent") for raw in raws) > 2 * limits.max_controls:  # opening and closing tags
        raise FileRefused("too_long", f"'{filename}' has far more boxes than a Practice Alert form, so it was not read. "
                      "Send the filled form on its own.")
    try:
        # Headers and footers are parsed only when they hold controls or a fallback needs them.
        roots = [parse_xml(raw, scanned=True) if i == 0 or CONTROL.search(raw) else None for i, raw in enumerate(raws)]
        found, extra_reasons, clashes = _tagged([(r, raw) for r, raw in zip(roots, raws, strict=True) if r is not None], fields)
        missing = {k: f for k, f in fields.items() if k not in found}
        if missing:
            roots = [r if r is not None else parse_xml(raw, scanned=True) for r, raw in zip(roots, raws, strict=True)]
            _refuse_if_too_long(roots, filename, limits)
            for finder in (fallback.by_title, fallback.legacy_fields, fallback.by_label):
                if finder is fallback.legacy_fields and b"ffData" not in package.document:
                    continue
                found.update(finder(roots, missing))
                missing = {k: f for k, f in missing.items() if k not in found}
                if not missing:
                    break
    except UnsafeXml as exc:
        raise FileRefused("dtd" if "DTD" in str(exc) else "not_docx", f"'{filename}' is damaged or holds markup Word "
                      "never writes, so it was not read. Save the form again in Word and send it.") from None
    return _empty_prompts(found, known.prompts), extra_reasons, clashes


def _checks(found: dict[str, FieldReading], fields: dict[str, Field], clashes: list[str]) -> list[FormProblem]:
    """Fields read without certainty, for the IRO to check."""
    def label(key: str) -> str:
        return fields[key].label if key in fields else key

    out = [FormProblem(field=k, label=label(k), message=f"Check '{label(k)}': it appears more than once with "
                       "different answers.") for k in clashes]
    out += [FormProblem(field=k, label=label(k), message=f"Check '{label(k)}': {r.doubt}.")
            for k, r in found.items() if r.doubt]
    return out


def _record(values: dict, fields: dict[str, Field], reason_codes: list[str], errors: list[FormProblem],
            check_keys: frozenset[str]) -> AlertForm | None:
    if errors:
        return None
    try:
        return AlertForm(**{k: v for k, v in values.items() if k not in check_keys},
                             reason_codes=reason_codes)
    except ValidationError as exc:  # a value no check foresaw: still said in words
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else None
            label = fields[key].label if key in fields else key
            errors.append(FormProblem(field=key, label=label, message=f"{label or 'The form'}: {err['msg']}."))
        return None


def read_form(data: bytes, *, filename: str, today: dt.date, policy: Policy | None = None,
              load: PolicyLoader | None = None, limits: Limits = Limits()) -> FormReading:
    """Read and validate one form. Raises gate.FileRefused when the file itself is refused.

    Without `policy`, the policy named in the form's version marker is loaded with `load`
    (when given); without either, only the policy-free checks are made. `today` (for the
    plausibility of dates) comes from the caller, so reading never consults the clock.
    """
    package = open_package(data, filename, limits)
    version, policy_key = _marker([*package.headers_footers, package.document])
    if policy is None and load is not None and policy_key:
        policy = load(policy_key)
    known = _catalogue(policy)
    fields, plain = known.fields, known.plain_keys
    found, extra_reasons, clashes = _find(package, known, filename, limits)

    values: dict[str, str | bool | dt.date | None] = {}
    errors: list[FormProblem] = []
    for key, field in fields.items():
        reading = found.get(key)
        if reading is not None and key in plain:  # what values.field_value gives a text field, without the call
            values[key] = reading.text or None
            continue
        values[key], error = field_value(field, reading)
        if error:
            errors.append(FormProblem(field=key, label=field.label, message=error))
    reason_codes = [k[len(REASON_PREFIX):] for k in known.check_keys if values[k]]
    reason_codes += [k[len(REASON_PREFIX):] for k in extra_reasons if found[k].checked]
    bad = {e.field for e in errors}
    errors += [p for p in problems(fields, values, reason_codes, policy, today) if p.field not in bad]
    checks = _checks(found, fields, clashes)
    if policy is not None and policy_key and policy_key != policy.key:
        checks.append(FormProblem(field=None, label=None, message=f"This form was made for another procedure "
                                  f"('{policy_key}'); it was read against {policy.authority}'s."))
    record = _record(values, fields, reason_codes, errors, known.check_set)
    app = APPLICATION.search(package.app) if package.app else None
    return FormReading(
        filename=filename, record=record, fields=found, errors=errors, checks=checks,
        policy=policy.key if policy else policy_key, form_version=version,
        application=app[1].decode("utf-8", "replace") if app else None, admin_flags=package.admin_flags,
        made_for=policy_key,
    )
