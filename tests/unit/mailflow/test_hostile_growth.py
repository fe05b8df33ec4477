"""Issue 12, point 2: no message costs more than its share, before any sender is checked.

Growth tests: each hostile message is classified at three sizes; time and peak memory must grow
about linearly (a quadratic cost quadruples when the size doubles). Ratios, not absolute times,
so a busy machine does not fail them. Then hypothesis throws random hostile mail at the
inbound decode path with a time and a memory cap. ``bench/bench_hostile_mail.py`` prints the same
measures as ratios to the message size.
"""

from __future__ import annotations

import datetime as dt
import time
import tracemalloc

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from practice_alerts.mailflow.classify import InboundSettings, classify
from practice_alerts.mailflow.decode import envelope, parse
from practice_alerts.mailflow.limits import InboundLimits
from practice_alerts.rawmail.message_id import message_id_of

from .conftest import SECRET, SETTINGS, fixture_alerts, fixture_directory
from .hostile_mail import HOSTILE

RECEIVED = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.timezone.utc)
SIZES = (100_000, 200_000, 400_000)


def _cost(raw: bytes, policy, inbound: InboundSettings = SETTINGS) -> tuple[float, int]:
    """(seconds, peak bytes allocated) to classify ``raw``; the best of two runs for the time."""
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        classify(raw, directory=fixture_directory(), alerts=fixture_alerts(), policy=policy, settings=inbound,
                 secret=SECRET, received=RECEIVED)
        best = min(best, time.process_time() - start)
    tracemalloc.start()
    try:
        classify(raw, directory=fixture_directory(), alerts=fixture_alerts(), policy=policy, settings=inbound,
                 secret=SECRET, received=RECEIVED)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return best, peak


@pytest.mark.parametrize("name", list(HOSTILE))
def test_time_and_memory_grow_linearly_with_the_message(name: str, rutland) -> None:
    build = HOSTILE[name]
    costs = [_cost(build(size), rutland) for size in SIZES]
    (t1, m1), _, (t4, m4) = costs
    floor = 0.02  # below this a process-time reading is noise
    assert max(t4, floor) / max(t1, floor) < 8, f"{name}: time grew {t4 / max(t1, 1e-9):.1f}x for 4x the size"
    for size, (_t, peak) in zip(SIZES, costs, strict=True):
        assert peak <= 3 * len(build(size)) + 2_000_000, f"{name}: peak {peak} bytes for {size}"
    assert m4 <= 4 * m1 + 2_000_000


def test_message_id_of_reads_the_headers_only() -> None:
    big = HOSTILE["big plain body"](4_000_000)
    tracemalloc.start()
    try:
        assert message_id_of(big) == "<h1@outside.example>"
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_500_000


def test_a_message_over_the_size_limit_is_not_read_and_its_known_sender_is_told(rutland) -> None:
    limits = InboundLimits(max_message_bytes=100_000)
    inbound = SETTINGS.model_copy(update={"limits": limits})
    raw = (b"From: Amara Okafor <a.okafor@council.example>\r\nTo: practice.alerts@council.example\r\n"
           b"Subject: form\r\nMessage-ID: <big@council.example>\r\n"
           b"Authentication-Results: mx.council.example; dmarc=pass header.from=council.example\r\n\r\n"
           + b"x" * 200_000)
    found = classify(raw, directory=fixture_directory(), alerts=fixture_alerts(), policy=rutland,
                     settings=inbound, secret=SECRET, received=RECEIVED)
    assert found.kind == "quarantine" and found.over_limit is not None
    assert "the limit is 97 KB" in found.over_limit
    assert found.sender == "a.okafor@council.example"


def test_too_many_attachments_are_refused_before_any_is_opened(rutland) -> None:
    parts = b"".join(b"--XX\r\nContent-Disposition: attachment; filename=f%d.txt\r\n\r\nx\r\n" % i for i in range(30))
    raw = (b"From: a.okafor@council.example\r\nTo: practice.alerts@council.example\r\nSubject: x\r\n"
           b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n" + parts + b"--XX--\r\n")
    found = classify(raw, directory=fixture_directory(), alerts=fixture_alerts(), policy=rutland,
                     settings=SETTINGS, secret=SECRET, received=RECEIVED)
    assert found.kind == "quarantine" and "30 attachments; the limit is 20" in (found.over_limit or "")


@pytest.mark.parametrize("from_lines", [
    b"From: a.okafor@council.example\r\nFrom: outsider@evil.example\r\n",
    b"From: a.okafor@council.example, outsider@evil.example\r\n",
])
def test_more_than_one_sender_is_quarantined(from_lines: bytes, rutland) -> None:
    raw = from_lines + b"To: practice.alerts@council.example\r\nSubject: Re: PA-2026-0001\r\n\r\nSatisfied\r\n"
    found = classify(raw, directory=fixture_directory(), alerts=fixture_alerts(), policy=rutland,
                     settings=SETTINGS, secret=SECRET, received=RECEIVED)
    assert found.kind == "quarantine" and found.sender is None
    assert any("more than one" in r for r in found.reasons)


def test_a_from_header_the_parser_cannot_read_is_read_as_empty(rutland) -> None:
    """``From: From: ;NUL`` made the standard library's address parser raise; now the message has no sender
    and is held for a person, like any message whose sender cannot be believed."""
    raw = b"From: From: ;\x00\r\nTo: practice.alerts@council.example\r\nSubject: x\r\n\r\nhello\r\n"
    assert envelope(parse(raw)).sender in (None, "")
    found = classify(raw, directory=fixture_directory(), alerts=fixture_alerts(), policy=rutland,
                     settings=SETTINGS, secret=SECRET, received=RECEIVED)
    assert found.kind == "quarantine" and found.sender is None


_PIECES = st.sampled_from([
    b"From: ", b"To: ", b"Subject: ", b"References: ", b"Message-ID: ", b"Content-Type: ", b"\r\n", b"\r\n\r\n",
    b"=?utf-8?q?a?= ", b"=?utf-8?b?", b"<", b">", b"<a", b"(", b")", b"\"", b",", b"@", b"a@b.example",
    b"multipart/mixed; boundary=B", b"--B\r\n", b"--B--", b"text/html", b"message/rfc822", b"\x00", b"\xff",
    b"X-MS-Exchange-Message-Is-Ndr: 1\r\n", b"Content-Transfer-Encoding: base64\r\n", b"<!--", b"<script>",
    b"Authentication-Results: ", b"dmarc=pass", b"multipart/report; report-type=delivery-status",
])


# No wall-clock deadline: on a loaded machine it measures the neighbours. The bound is the CPU time and
# the traced memory asserted below. The slowest example takes about 0.5 s alone; the cap leaves room for
# a busy machine's cache misses yet fails on any quadratic step (a megabyte of input would take minutes).
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.one_of(_PIECES, st.binary(max_size=40)), max_size=60), repeat=st.integers(1, 400))
@example(pieces=[b"From: ", b"From: ", b";\x00"], repeat=1)  # once crashed the standard library's header parser
def test_random_hostile_mail_is_classified_within_time_and_memory_caps(pieces, repeat, rutland) -> None:
    raw = b"".join(pieces) * repeat
    directory, alerts = fixture_directory(), fixture_alerts()  # built outside the measured part
    tracemalloc.start()
    started = time.process_time()
    try:
        found = classify(raw, directory=directory, alerts=alerts, policy=rutland,
                         settings=SETTINGS, secret=SECRET, received=RECEIVED)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found.kind in ("new_alert", "response", "decision", "auto_reply", "bounce", "comment", "quarantine")
    assert time.process_time() - started < 6 + len(raw) / 100_000
    assert peak <= 3 * len(raw) + 8_000_000
