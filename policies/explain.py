"""Schema errors said in plain words for the person writing a policy file.

pydantic reports a location as a tuple and a terse message; the author of a policy needs to
know which stage (by its key, not its position) and what to write instead.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from practice_alerts.policies.roles import Role
from practice_alerts.policies.schema import Policy

__all__ = ["close_match", "explain", "where"]


def where(data: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """A location such as ``stages[stage2].cc[0]``: list items are named by their key or code."""
    parts: list[str] = []
    node: Any = data
    for step in loc:
        if step == "[key]":
            continue
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            item = node[step]
            label = (item.get("key") or item.get("code")) if isinstance(item, dict) else None
            parts.append(f"[{label if isinstance(label, (str, int)) else step}]")
            node = item
        else:
            parts.append(f".{step}" if parts else str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts)


def close_match(word: Any, choices: list[str]) -> str:
    """' (did you mean ...?)' when a choice is close to ``word``, else an empty string."""
    match = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


_ROLE_VALUES = {role.value for role in Role}


def explain(error: Mapping[str, Any]) -> str:
    """One schema error in plain words, with what to write instead."""
    kind, loc, value = error["type"], error["loc"], error.get("input")
    ctx = error.get("ctx") or {}
    name = next((step for step in reversed(loc) if isinstance(step, str) and step != "[key]"), "")
    if kind == "missing":
        field = _field(loc)
        hint = f" ({field.description})" if field is not None and field.description else ""
        return f"the setting {name!r} is missing; add it{hint}"
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        allowed = list(model.model_fields) if model else []
        guess = close_match(name, allowed)
        if guess:
            return f"unknown setting {name!r}{guess}"
        return f"unknown setting {name!r}; the settings allowed here are: {', '.join(allowed)}"
    if kind in {"enum", "literal_error"}:
        expected = [part.strip(" '") for part in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
        if set(expected) == _ROLE_VALUES:
            return (f"unknown role {value!r}{close_match(value, sorted(_ROLE_VALUES))}; "
                    f"known roles are: {', '.join(r.value for r in Role)}")
        what = "a kind of notification" if loc and loc[-1] == "[key]" else "an allowed value"
        return f"{value!r} is not {what}; use one of: {', '.join(expected)}"
    if kind == "string_type":
        if isinstance(value, bool):
            return "should be text, but YAML read a bare yes/no/on/off as true or false; put it in quotes"
        if isinstance(value, (int, float)):
            return f"should be text; put it in quotes, e.g. \"{value}\""
        return "should be text"
    if kind == "string_pattern_mismatch":
        if str(ctx.get("pattern", "")).startswith("^[a-z][a-z0-9_]"):
            return f"{value!r} should be lowercase letters, digits and underscores, starting with a letter, e.g. stage_2"
        return f"{value!r} should be lowercase letters, digits and underscores only, e.g. \"1\" or other"
    simple = {
        "string_too_short": "must not be empty" if ctx.get("min_length") == 1
        else f"must be at least {ctx.get('min_length')} characters long",
        "too_short": "needs at least one entry" if ctx.get("min_length") == 1
        else f"needs at least {ctx.get('min_length')} entries",
        "int_type": f"should be a whole number, not {value!r}",
        "int_parsing": f"should be a whole number, not {value!r}",
        "int_from_float": f"should be a whole number, not {value!r}",
        "greater_than_equal": f"must be at least {ctx.get('ge')}, not {value!r}",
        "less_than_equal": f"must be at most {ctx.get('le')}, not {value!r}",
        "bool_type": f"should be true or false, not {value!r}",
        "bool_parsing": f"should be true or false, not {value!r}",
        "list_type": "should be a list in square brackets, e.g. [first, second]"
        + (f"; for one item write [{value}]" if isinstance(value, str) else ""),
        "model_type": "should be a group of settings (name: value lines, indented under it)",
        "dict_type": "should be a group of settings (name: value lines, indented under it)",
        "date_type": f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-29",
        "date_parsing": f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-29",
        "date_from_datetime_parsing": f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-29",
        "time_type": f"{value!r} is not a time; write it in quotes as HH:MM, e.g. \"17:00\"",
        "time_parsing": f"{value!r} is not a time; write it in quotes as HH:MM, e.g. \"17:00\"",
    }
    return simple.get(kind, str(error["msg"]))


def _unwrap(annotation: Any) -> Any:
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) not in (list, dict) and len(args) == 1:
        return args[0]
    return annotation


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    current: Any = Policy
    for step in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel) and step in current.model_fields:
            current = current.model_fields[step].annotation
        elif get_origin(current) in (list, dict) and not isinstance(step, str) or get_origin(current) is dict:
            current = get_args(current)[-1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _field(loc: tuple[int | str, ...]) -> FieldInfo | None:
    model = _model_at(loc[:-1])
    return model.model_fields.get(loc[-1]) if model is not None and isinstance(loc[-1], str) else None
