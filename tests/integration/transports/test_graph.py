"""Graph transport details, at the HTTP layer with recorded Graph and identity-platform JSON
(``tests/fixtures/transports/graph/``) served through ``httpx.MockTransport``: not a live tenant."""

from __future__ import annotations

import base64
from datetime import datetime, timezone

import pytest
from _transports_fake_graph import AUTHORITY, CLIENT_ID, GRAPH, MAILBOX, SECRET, TENANT, FakeGraph

from practice_alerts.mailflow.transports import TransientTransportError, TransportAuthError, TransportError
from practice_alerts.mailflow.transports.graph import GraphTransport
from practice_alerts.mailflow.transports.settings import GraphSettings

MESSAGE = b"From: a@example.test\r\nTo: alerts@example.test\r\nMessage-ID: <g1@example.test>\r\n\r\nHello\r\n"


def _transport(fake: FakeGraph, *, secret: str = SECRET, sleeps: list | None = None, **fields) -> GraphTransport:
    settings = GraphSettings(
        tenant_id=TENANT,
        client_id=CLIENT_ID,
        client_secret_env="SECRET",
        mailbox=fields.pop("mailbox", MAILBOX),
        authority_host=AUTHORITY,
        graph_url=GRAPH,
        **fields,
    )
    record = sleeps if sleeps is not None else []
    return GraphTransport(settings, {"SECRET": secret}, http_transport=fake.transport(), sleep=record.append)


def test_every_graph_call_asks_for_immutable_ids_and_the_token_is_reused():
    fake = FakeGraph()
    fake.deliver(MESSAGE)
    transport = _transport(fake)
    (message,) = transport.fetch()
    transport.mark_handled(message.transport_id, "processed")
    graph_calls = [r for r in fake.requests if str(r.url).startswith(GRAPH)]
    assert graph_calls and all(r.headers["Prefer"] == 'IdType="ImmutableId"' for r in graph_calls)
    assert fake.token_requests == 1


def test_429_is_retried_after_retry_after_then_succeeds():
    fake = FakeGraph(throttle=[(429, "7"), (503, "1")])
    fake.deliver(MESSAGE)
    sleeps: list[float] = []
    assert [m.data for m in _transport(fake, sleeps=sleeps).fetch()] == [MESSAGE]
    assert sleeps == [7.0, 1.0]


def test_throttling_past_the_retry_budget_is_transient_with_retry_after():
    fake = FakeGraph(throttle=[(429, "5")] * 3)
    sleeps: list[float] = []
    with pytest.raises(TransientTransportError) as caught:
        list(_transport(fake, sleeps=sleeps, max_retries=2).fetch())
    assert caught.value.retry_after == 5.0
    assert sleeps == [5.0, 5.0]


def test_a_retry_after_longer_than_we_wait_is_handed_up_at_once():
    fake = FakeGraph(throttle=[(429, "600")])
    sleeps: list[float] = []
    with pytest.raises(TransientTransportError) as caught:
        list(_transport(fake, sleeps=sleeps, max_retry_wait_seconds=60).fetch())
    assert caught.value.retry_after == 600.0 and sleeps == []


def test_no_more_than_four_requests_are_in_flight_for_the_mailbox():
    fake = FakeGraph(mime_delay=0.02, page_size=20)
    for n in range(16):
        fake.deliver(MESSAGE.replace(b"g1@", b"g%d@" % n))
    fetched = list(_transport(fake).fetch())
    assert len(fetched) == 16
    assert 1 < fake.max_in_flight <= 4


def test_a_wrong_client_secret_is_an_auth_error_naming_the_setting():
    with pytest.raises(TransportAuthError, match="client_secret_env"):
        list(_transport(FakeGraph(), secret="wrong").fetch())


def test_a_mailbox_outside_the_apps_rbac_scope_is_an_auth_error():
    with pytest.raises(TransportAuthError, match="ErrorAccessDenied"):
        list(_transport(FakeGraph(), mailbox="someone.else@example.test").fetch())


def test_send_posts_base64_mime_to_sendmail():
    fake = FakeGraph()
    outgoing = MESSAGE.replace(b"To: alerts@", b"To: iro@")
    _transport(fake).send(outgoing, sender=MAILBOX, recipients=["iro@example.test"])
    (post,) = [r for r in fake.requests if r.url.path.endswith("/sendMail")]
    assert post.headers["Content-Type"] == "text/plain"
    assert base64.b64decode(post.content) == outgoing


def test_send_refuses_recipients_missing_from_the_headers():
    fake = FakeGraph()
    with pytest.raises(TransportError, match="bcc.only@example.test"):
        _transport(fake).send(MESSAGE, sender=MAILBOX, recipients=["bcc.only@example.test"])
    assert fake.submitted == []


def test_automatic_replies_tell_whether_a_colleague_is_away():
    replies = _transport(FakeGraph()).automatic_replies("iro.smith@example.test")
    assert replies.status == "scheduled"
    assert replies.is_away(datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc))
    assert not replies.is_away(datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc))
