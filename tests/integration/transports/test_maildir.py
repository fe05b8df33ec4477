"""The Maildir transport on a real directory: layout, ids, the Sent copy and the SMTP relay."""

from __future__ import annotations

import pytest
from _transports_servers import PASSWORD, USER, free_port

from practice_alerts.mailflow.transports import TransientTransportError, TransportError, make_transport
from practice_alerts.mailflow.transports.maildir import MaildirTransport
from practice_alerts.mailflow.transports.settings import MaildirSettings

MESSAGE = b"From: a@example.test\r\nTo: iro@example.test\r\nMessage-ID: <md1@example.test>\r\n\r\nHi\r\n"


def test_a_fresh_directory_becomes_a_maildir_with_its_folders(tmp_path):
    transport = make_transport(MaildirSettings(path=tmp_path / "box"), {})
    for folder in ("", ".processed", ".quarantine", ".sent"):
        for sub in ("new", "cur", "tmp"):
            assert (tmp_path / "box" / folder / sub).is_dir()
    assert (tmp_path / "box" / ".processed" / "maildirfolder").exists()
    assert list(transport.fetch()) == []


def test_messages_dropped_in_by_another_program_are_fetched_in_name_order(tmp_path):
    transport = MaildirTransport(MaildirSettings(path=tmp_path), {})
    (tmp_path / "new" / "1700000002.M2P1.host").write_bytes(b"second")
    (tmp_path / "cur" / "1700000001.M9P1.host:2,S").write_bytes(b"first")
    assert [(m.transport_id, m.data) for m in transport.fetch()] == [
        ("1700000001.M9P1.host", b"first"),
        ("1700000002.M2P1.host", b"second"),
    ]
    transport.mark_handled("1700000001.M9P1.host", "quarantine")
    assert (tmp_path / ".quarantine" / "cur" / "1700000001.M9P1.host:2,S").read_bytes() == b"first"


def test_an_unknown_id_is_an_error(tmp_path):
    transport = MaildirTransport(MaildirSettings(path=tmp_path), {})
    with pytest.raises(TransportError, match="no message 'nope'"):
        transport.mark_handled("nope", "processed")


def test_without_a_relay_sending_only_files_the_sent_copy(tmp_path):
    transport = MaildirTransport(MaildirSettings(path=tmp_path), {})
    transport.send(MESSAGE, sender="alerts@example.test", recipients=["iro@example.test"])
    transport.send(MESSAGE, sender="alerts@example.test", recipients=["iro@example.test"])
    other = MESSAGE.replace(b"md1@", b"md2@")
    transport.send(other, sender="alerts@example.test", recipients=["iro@example.test"])
    copies = sorted(p.read_bytes() for p in (tmp_path / ".sent" / "cur").iterdir())
    assert copies == sorted([MESSAGE, other])
    assert list((tmp_path / ".sent" / "tmp").iterdir()) == []


def test_when_the_relay_is_down_the_sent_copy_is_already_safe_and_the_error_is_transient(tmp_path, test_ca):
    relay = {
        "host": "127.0.0.1",
        "port": free_port(),
        "username": USER,
        "password_env": "PW",
        "ca_file": test_ca.ca_file,
    }
    transport = MaildirTransport(MaildirSettings(path=tmp_path, relay=relay), {"PW": PASSWORD})
    with pytest.raises(TransientTransportError):
        transport.send(MESSAGE, sender="alerts@example.test", recipients=["iro@example.test"])
    assert [p.read_bytes() for p in (tmp_path / ".sent" / "cur").iterdir()] == [MESSAGE]


def test_a_message_a_mail_client_flagged_is_found_and_moved(tmp_path):
    transport = MaildirTransport(MaildirSettings(path=tmp_path), {})
    (tmp_path / "cur" / "1700000003.M1P1.host:2,RS").write_bytes(b"replied and seen")
    (tmp_path / "cur" / "1700000004.M1P1.host:2,DT").write_bytes(b"unusual flags")
    transport.mark_handled("1700000003.M1P1.host", "processed")  # without a fetch first
    transport.mark_handled("1700000004.M1P1.host", "quarantine")
    transport.mark_handled("1700000004.M1P1.host", "quarantine")  # again: harmless
    assert (tmp_path / ".processed" / "cur" / "1700000003.M1P1.host:2,S").read_bytes() == b"replied and seen"
    assert (tmp_path / ".quarantine" / "cur" / "1700000004.M1P1.host:2,S").read_bytes() == b"unusual flags"
    assert list(transport.fetch()) == []


def test_the_sent_copy_is_named_after_the_message_id_so_a_resend_finds_it(tmp_path):
    from practice_alerts.mailflow.transports.maildir import sent_copy_name

    transport = MaildirTransport(MaildirSettings(path=tmp_path), {})
    transport.send(MESSAGE, sender="alerts@example.test", recipients=["iro@example.test"])
    name = sent_copy_name(MESSAGE)
    assert name == sent_copy_name(MESSAGE.replace(b"Hi", b"Hello"))  # same Message-ID, same name
    assert [p.name for p in (tmp_path / ".sent" / "cur").iterdir()] == [f"{name}:2,S"]
    MaildirTransport(MaildirSettings(path=tmp_path), {}).send(MESSAGE, sender="alerts@example.test",
                                                               recipients=["iro@example.test"])
    assert len(list((tmp_path / ".sent" / "cur").iterdir())) == 1
