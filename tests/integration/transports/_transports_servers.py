"""Real servers on loopback for the transport tests: a test CA, Dovecot (IMAP), aiosmtpd (SMTP),
and a tiny OAuth2 token-introspection endpoint that Dovecot's oauth2 passdb asks about XOAUTH2.

XOAUTH2 is tested against the real Dovecot (its ``oauth2`` passdb in ``introspection_mode = post``)
for IMAP, and against aiosmtpd with an ``auth_XOAUTH2`` handler hook for SMTP.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HAVE_DOVECOT = shutil.which("dovecot") is not None
NEEDS_DOVECOT = pytest.mark.skipif(not HAVE_DOVECOT, reason="Dovecot is not installed (apt-get install dovecot-imapd)")
USER = "alerts@example.test"
PASSWORD = "correct horse battery staple"
# The bearer token the recorded identity platform issues (so msal-fetched tokens are accepted too).
TOKEN = json.loads((Path(__file__).parents[2] / "fixtures/transports/graph/token.json").read_text())["access_token"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class TestCA:
    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def make_test_ca(directory: Path) -> TestCA:
    """A throwaway CA and a server certificate for 127.0.0.1 and localhost."""
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Practice Alerts test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    paths = TestCA(directory / "ca.pem", directory / "cert.pem", directory / "key.pem")
    paths.ca_file.write_bytes(ca.public_bytes(pem))
    paths.cert_file.write_bytes(cert.public_bytes(pem))
    paths.key_file.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    for path in (paths.ca_file, paths.cert_file, paths.key_file):
        path.chmod(0o644)
    return paths


# -- OAuth2 introspection endpoint (for Dovecot's oauth2 passdb) --------------------------------


class _IntrospectionHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        token = parse_qs(body).get("token", [""])[0]
        answer = {"active": True, "username": USER} if token == TOKEN else {"active": False}
        payload = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


def start_http(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# -- Dovecot ------------------------------------------------------------------------------------


@dataclass
class Dovecot:
    imap_port: int
    imaps_port: int
    directory: Path
    process: subprocess.Popen
    introspection: ThreadingHTTPServer

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.introspection.shutdown()
        shutil.rmtree(self.directory, ignore_errors=True)


def start_dovecot(ca: TestCA) -> Dovecot:
    """Dovecot with a private config: passwd-file logins, XOAUTH2 via introspection, Maildir in tmp."""
    directory = Path(tempfile.mkdtemp(prefix="pa-dovecot-"))
    directory.chmod(0o755)
    if os.geteuid() == 0:
        internal, login = "dovecot", "dovenull"
        mail_user = pwd.getpwnam("dovecot")
    else:
        mail_user = pwd.getpwuid(os.getuid())
        internal = login = mail_user.pw_name
    (directory / "mail").mkdir()
    os.chown(directory / "mail", mail_user.pw_uid, mail_user.pw_gid)
    (directory / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::nodelay=y\n")
    (directory / "passwd").chmod(0o644)
    introspection = start_http(_IntrospectionHandler)
    (directory / "oauth2.conf.ext").write_text(
        "introspection_mode = post\n"
        f"introspection_url = http://127.0.0.1:{introspection.server_address[1]}/introspect\n"
        "username_attribute = username\nactive_attribute = active\nactive_value = true\n"
    )
    imap_port, imaps_port = free_port(), free_port()
    dh = "ssl_dh = </usr/share/dovecot/dh.pem\n" if Path("/usr/share/dovecot/dh.pem").exists() else ""
    (directory / "dovecot.conf").write_text(f"""
base_dir = {directory}/run
state_dir = {directory}/state
log_path = {directory}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
ssl = yes
ssl_cert = <{ca.cert_file}
ssl_key = <{ca.key_file}
{dh}auth_mechanisms = plain login xoauth2
disable_plaintext_auth = no
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
mail_location = maildir:{directory}/mail/%n
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {directory}/passwd
  mechanisms = plain login
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2
  args = {directory}/oauth2.conf.ext
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={directory}/mail/%n
}}
service imap-login {{
  inet_listener imap {{
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
protocol imap {{
  mail_max_userip_connections = 50
}}
""")
    process = subprocess.Popen(
        ["dovecot", "-F", "-c", str(directory / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = Dovecot(imap_port, imaps_port, directory, process, introspection)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (directory / "dovecot.log").read_text() if (directory / "dovecot.log").exists() else ""
            raise RuntimeError(f"dovecot exited: {process.stderr.read().decode()} {log}")
        try:
            socket.create_connection(("127.0.0.1", imaps_port), timeout=1).close()
            socket.create_connection(("127.0.0.1", imap_port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError("dovecot did not start listening within 15 seconds")


# -- SMTP (aiosmtpd) ----------------------------------------------------------------------------


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes
    login: str | None


@dataclass
class SmtpSink:
    """Collects what the SMTP server accepted; one instance serves several controllers."""

    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else session.auth_data
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content, login))
        return "250 OK"

    async def auth_XOAUTH2(self, server, args) -> AuthResult:  # noqa: N802
        blob = base64.b64decode(args[1]) if len(args) > 1 else await server.challenge_auth("")
        fields = dict(part.split("=", 1) for part in blob.decode().split("\x01") if "=" in part)
        if fields.get("auth") == f"Bearer {TOKEN}" and fields.get("user") == USER:
            return AuthResult(success=True, auth_data=USER)
        error = json.dumps({"status": "401", "schemes": "bearer"}).encode()
        await server.challenge_auth(error)  # The client answers with an empty line.
        return AuthResult(success=False, handled=False, message="535 5.7.8 Invalid token")


def password_authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == USER
        and auth_data.password.decode() == PASSWORD
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def start_smtp(sink: SmtpSink, ca: TestCA, *, implicit_tls: bool) -> Controller:
    """aiosmtpd with AUTH required: implicit TLS, or STARTTLS required before AUTH."""
    kwargs = dict(hostname="127.0.0.1", port=free_port(), authenticator=password_authenticator)
    if implicit_tls:
        # aiosmtpd does not count implicit TLS as TLS for auth_require_tls (it is TLS all the same), and
        # warns when AUTH is required without it; the tests check the login the sink records instead.
        controller = Controller(
            sink, ssl_context=ca.server_context(), server_hostname="localhost", auth_require_tls=False, **kwargs
        )
    else:
        controller = Controller(
            sink,
            tls_context=ca.server_context(),
            require_starttls=True,
            auth_require_tls=True,
            auth_required=True,
            **kwargs,
        )
    controller.start()
    return controller
