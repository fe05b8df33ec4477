"""Hostile messages of a chosen size, shared by the growth tests and bench/bench_hostile_mail.py.

Each builder returns a message of about ``size`` bytes that once cost far more than its share:
quadratic time in the bounce address scan, html.parser, RFC 2047 decoding and References, or
copies of the whole message in memory.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

HEAD = (b"From: Someone <someone@outside.example>\r\nTo: practice.alerts@council.example\r\n"
        b"Subject: hello\r\nDate: Mon, 30 Nov 2026 09:00:00 +0000\r\nMessage-ID: <h1@outside.example>\r\n")


def fake_bounce(size: int) -> bytes:
    """Anyone can add the Exchange NDR header; the body is a wall of address-like text."""
    return (b"From: postmaster@outside.example\r\nTo: practice.alerts@council.example\r\n"
            b"Subject: Undeliverable: x\r\nX-MS-Exchange-Message-Is-Ndr: 1\r\nMessage-ID: <b1@outside.example>\r\n"
            b"Content-Type: text/plain\r\n\r\n" + (b"a" * 63 + b"." * 10 + b"\r\n") * (size // 75))


def html_unfinished_tags(size: int) -> bytes:
    return HEAD + b"Content-Type: text/html\r\n\r\n" + b"<a" * (size // 2)


def from_encoded_words(size: int) -> bytes:
    words = b" ".join(b"=?utf-8?q?a?=" for _ in range(size // 14))
    return (b"From: " + words + b" <x@outside.example>\r\nTo: practice.alerts@council.example\r\n"
            b"Subject: hi\r\nMessage-ID: <w1@outside.example>\r\n\r\nhello\r\n")


def long_references(size: int) -> bytes:
    refs = b"".join(b"<r%d@outside.example>\r\n " % i for i in range(size // 24))
    return HEAD + b"References: " + refs + b"\r\n\r\nhello\r\n"


def big_attachment(size: int) -> bytes:
    data = base64.encodebytes(bytes(range(256)) * (size * 3 // 4 // 256))
    return (HEAD + b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
            b"Content-Type: text/plain\r\n\r\nSee attached.\r\n--XX\r\nContent-Type: application/octet-stream\r\n"
            b"Content-Disposition: attachment; filename=scan.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + data + b"\r\n--XX--\r\n")


def big_plain_body(size: int) -> bytes:
    return HEAD + b"Content-Type: text/plain\r\n\r\n" + (b"word " * 15 + b"\r\n") * (size // 77)


HOSTILE: dict[str, Callable[[int], bytes]] = {
    "fake bounce": fake_bounce,
    "unfinished <a tags": html_unfinished_tags,
    "From of RFC 2047 words": from_encoded_words,
    "long References": long_references,
    "big attachment": big_attachment,
    "big plain body": big_plain_body,
}
