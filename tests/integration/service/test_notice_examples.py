"""The committed notice examples (examples/notices/) are what the service sends today, and every
kind of notice has one or is listed, with the reason, in NOT_SHOWN."""

from __future__ import annotations

from pathlib import Path

from practice_alerts.mailflow.compose import Notice
from tools.notice_examples import DEFAULT_FOLDER, NOT_SHOWN, collect


def test_the_committed_notice_examples_are_current_and_cover_every_notice(tmp_path: Path) -> None:
    made = collect(tmp_path)
    committed = {p.name: p.read_text(encoding="utf-8") for p in DEFAULT_FOLDER.glob("*.txt")}
    stale = sorted(n for n in set(made) | set(committed) if made.get(n) != committed.get(n))
    assert not stale, (f"examples/notices is stale ({', '.join(stale)}); regenerate it with "
                       "`python -m tools.notice_examples`")
    shown = {name.removesuffix(".txt").removesuffix("-2") for name in made}
    for notice in Notice:
        slug = notice.name.lower().replace("_", "-")
        assert (slug in shown) != (notice in NOT_SHOWN), f"{notice.name}: shown={slug in shown}, in NOT_SHOWN"
    for name, text in made.items():
        subject = next(line for line in text.splitlines() if line.startswith("Subject: "))
        assert "Riley" not in subject, name  # never the child's name in a subject
