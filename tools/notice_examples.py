"""One real example of every notice the service sends, for people to read (examples/notices/).

    .venv/bin/python -m tools.notice_examples [FOLDER]    (from the repository root)

A scripted month of mail is dropped into a fresh demo mailbox and the real service runs over it
on a simulated clock, so each example is exactly what that person would receive: recipients,
subject, attachment names and the plain-text body (the Message-ID and Date are left out; they
change with the secret and the clock). A test regenerates them and fails when the committed
copies are stale. Every name and address is invented.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP, default
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from practice_alerts import demo_mail
from practice_alerts.commands.demo import prepare
from practice_alerts.config import load_config
from practice_alerts.mailflow.compose import Notice
from practice_alerts.pipeline.context import open_service
from practice_alerts.pipeline.log import JsonLog
from practice_alerts.policies.load import load_policy
from practice_alerts.runloop import Runner

DEFAULT_FOLDER = Path(__file__).resolve().parent.parent / "examples" / "notices"
SECRET = "notice-examples-message-id-key-0123"
MAILBOX = "practice.alerts@example.gov.uk"
IRO = ("Dana Reviewer", "dana.reviewer@example.gov.uk")
OTHER_IRO = ("Casey Chair", "casey.chair@example.gov.uk")
SW = ("Alex Example", "alex.example@example.gov.uk")
TM = ("Jo Bloggs", "jo.bloggs@example.gov.uk")
SM = ("Sam Sample", "sam.sample@example.gov.uk")
UTC = dt.timezone.utc
UNREFERENCED = {
    "Practice Alert form: please correct and resend": Notice.FORM_PROBLEM,
    "Practice Alert form not received": Notice.FORM_NOT_READ,
    "Form for another procedure": Notice.OTHER_POLICY_FORM,
    "Form not accepted": Notice.NOT_ACTED_ON,
    "Messages held for review on": Notice.QUARANTINE,
    "Practice Alerts: weekly summary": Notice.WEEKLY_DIGEST,
}
NOT_SHOWN = {
    Notice.TIMED_OUT: "only integrated_childrens_services allows time-outs, with a manager's agreement",
    Notice.RESUMED: "follows a time-out",
    Notice.AGENDA: "only practice_learning_alert's top stage adds to an agenda",
    Notice.RECIPIENT_PROBLEM: "needs a bounce or a role nobody holds; tests/e2e cover it",
    Notice.FORM_FLAGS: "needs a form linking to another file; tests/unit cover its wording",
    Notice.OVERALL_LIMIT: "the scripted month resolves its alerts inside the 20 working days; "
                          "tests/e2e/service/test_whole_process_rules.py shows the notices",
    Notice.UNRESOLVED: "needs a child-protection alert unresolved at the top; tests/e2e/service/test_whole_process_rules.py",
    Notice.DUTY: "only west_sussex gives a duty to someone other than the letter's reader; "
                 "tests/e2e/service/test_whole_process_rules.py",
    Notice.CONSULTED: "only professional_challenge and integrated_childrens_services consult before a stage; "
                      "tests/e2e/service/test_whole_process_rules.py",
}
"""Notices the scripted month does not reach, and why (a test keeps this list true)."""


class _Service:
    def __init__(self, folder: Path, policy: str, start: dt.datetime) -> None:
        self.config_file = prepare(folder, policy)
        with self.config_file.open("a", encoding="utf-8") as config:
            config.write("\nnotices:\n  tell_line_manager_when_overdue: true\n")
        environ = {"PRACTICE_ALERTS_SECRET": SECRET}
        self.ctx = open_service(load_config(self.config_file, environ), environ)
        self.now = start
        self.runner = Runner(self.ctx, clock=lambda: self.now, log=JsonLog(quiet=True))
        self.mail = folder / "mail"
        self.count = 0

    def drop(self, data: bytes) -> None:
        self.count += 1
        (self.mail / "new" / f"{1700000000 + self.count}.M{self.count}P1.examples.eml").write_bytes(data)

    def run(self, at: dt.datetime) -> None:
        self.now = at
        self.runner.one_pass()

    def sent(self) -> list[EmailMessage]:
        files = (self.mail / ".sent" / "cur").glob("*")
        found = [BytesParser(policy=default).parsebytes(p.read_bytes()) for p in files]
        return sorted(found, key=lambda m: (parsedate_to_datetime(str(m["Date"])), str(m["Message-ID"])))

    def find(self, action: str) -> EmailMessage:
        return next(m for m in self.sent() if f"-{action}-" in str(m["Message-ID"]))

    def form(self, **extra: str) -> bytes:
        values = demo_mail.form_values(self.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW,
                                       team_manager=None, raised=self.now.date())
        values.update(extra)
        return demo_mail.filled_form(self.ctx.policy, values)

    def close(self) -> None:
        self.ctx.close()


def _mail(sender: tuple[str, str], subject: str, text: str, at: dt.datetime, message_id: str, *,
          files: tuple[tuple[str, str, bytes], ...] = (), answering: EmailMessage | None = None,
          internal: bool = True) -> bytes:
    message = EmailMessage()
    message["From"] = f"{sender[0]} <{sender[1]}>"
    message["To"] = MAILBOX
    message["Subject"] = subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = message_id
    if internal:
        message["X-MS-Exchange-Organization-AuthAs"] = "Internal"
    if answering is not None:
        message["In-Reply-To"] = message["References"] = str(answering["Message-ID"])
    message.set_content(text)
    for name, mime, data in files:
        maintype, _, subtype = mime.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes(policy=SMTP)


def _reply(s: _Service, parent: EmailMessage, sender: tuple[str, str], text: str, at: dt.datetime, n: str,
           out_of_office: bool = False) -> None:
    s.drop(demo_mail.reply(parent.as_bytes(), sender=sender, mailbox=MAILBOX, at=at,
                           message_id=f"<{n}@example.gov.uk>", text=text, out_of_office=out_of_office))


def rutland_month(s: _Service) -> None:
    """Rutland: every answer to mail not acted on, the digests, the climb, resolution and closure."""
    t0 = s.now
    s.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=s.form(), at=t0, message_id="<a1@example.gov.uk>"))
    s.run(t0)
    ack, letter = s.find("ack"), s.find("stage1-letter")
    hour = dt.timedelta(hours=1)
    s.drop(_mail(IRO, "Practice alert", "Attached.", t0 + hour, "<pdf@example.gov.uk>",
                 files=(("Practice Alert.pdf", "application/pdf", b"%PDF-1.4"),)))
    bad = demo_mail.form_values(s.ctx.policy, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None,
                                raised=t0.date(), child_id="MOS-300300")
    del bad["concern"]
    s.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=demo_mail.filled_form(s.ctx.policy, bad),
                               at=t0 + hour, message_id="<bad@example.gov.uk>"))
    sussex = load_policy("west_sussex")
    s.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, at=t0 + hour, message_id="<sussex@example.gov.uk>",
                               form=demo_mail.filled_form(sussex, demo_mail.form_values(
                                   sussex, iro_name=IRO[0], iro_email=IRO[1], social_worker=SW, team_manager=None,
                                   raised=t0.date()))))
    s.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=s.form(), at=t0 + hour,
                               message_id="<again@example.gov.uk>"))
    s.drop(_mail(("Someone Else", "someone@elsewhere.example"), "Concern", "Please look at this.", t0 + hour,
                 "<stranger@elsewhere.example>", internal=False))
    s.drop(_mail(("Jo Bloggs", "jo.bloggs.home@gmail.example"), f"RE: {letter['Subject']}", "Visit booked.",
                 t0 + hour, "<home@gmail.example>", answering=letter, internal=False))
    s.drop(_mail(OTHER_IRO, f"RE: {ack['Subject']}", "SATISFIED", t0 + hour, "<cover@example.gov.uk>", answering=ack))
    s.drop(_mail(("Form Sender", "alex.example@example.gov.uk"), "Practice alert", "Attached.", t0 + hour,
                 "<sw-form@example.gov.uk>", files=(("Practice Alert.docx", demo_mail.DOCX, s.form()),)))
    s.run(t0 + hour)
    _reply(s, ack, IRO, "Maybe wait and see?", t0 + 2 * hour, "unclear")
    _reply(s, letter, TM, "I am out of the office until 14 December 2026.", t0 + 2 * hour, "ooo", out_of_office=True)
    s.run(t0 + 2 * hour)
    s.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, at=t0 + 3 * hour, message_id="<agency@example.gov.uk>",
                               form=s.form(child_id="MOS-400400", external_agency="Ms A Patel, Head Teacher, "
                                           "Oakham Primary School, 1 School Lane, Oakham")))
    s.run(t0 + 3 * hour)
    for day, hour_of_day in ((1, 8), (4, 10), (7, 8), (8, 10)):  # digest, reminder, weekly digest, overdue
        s.run(dt.datetime(2026, 12, day, hour_of_day, 0, tzinfo=UTC))
    ask = s.find("decide")
    _reply(s, ask, IRO, "NOT SATISFIED\nNo response at all.", dt.datetime(2026, 12, 8, 11, 0, tzinfo=UTC), "ns")
    s.run(dt.datetime(2026, 12, 8, 11, 0, tzinfo=UTC))
    second = s.find("stage2-letter")
    _reply(s, second, SM, "A visit is booked for Thursday.", dt.datetime(2026, 12, 9, 9, 0, tzinfo=UTC), "resp")
    s.run(dt.datetime(2026, 12, 9, 9, 0, tzinfo=UTC))
    _reply(s, s.find("decide"), IRO, "SATISFIED\nThe visit happened.", dt.datetime(2026, 12, 9, 10, 0, tzinfo=UTC),
           "sat")
    s.run(dt.datetime(2026, 12, 9, 10, 0, tzinfo=UTC))
    s.run(dt.datetime(2026, 12, 14, 10, 0, tzinfo=UTC))  # three working days on: please close
    _reply(s, ack, IRO, "CLOSE\nResolved: the visit happened.", dt.datetime(2026, 12, 14, 11, 0, tzinfo=UTC), "close")
    s.run(dt.datetime(2026, 12, 14, 11, 0, tzinfo=UTC))


def cafcass(s: _Service) -> None:
    """Professional challenge: a referral to CAFCASS at any time, the nominated officer told first."""
    s.drop(demo_mail.new_alert(sender=IRO, mailbox=MAILBOX, form=s.form(), at=s.now, message_id="<c1@example.gov.uk>"))
    s.run(s.now)
    _reply(s, s.find("ack"), IRO, "REFER TO CAFCASS\nNo progress at all.", s.now + dt.timedelta(hours=1), "c2")
    s.run(s.now + dt.timedelta(hours=1))


def notice_of(message: EmailMessage) -> Notice | None:
    subject = " ".join(str(message["Subject"]).split())
    for wording, notice in UNREFERENCED.items():
        if wording in subject:
            return notice
    found = [n for n in Notice if re.search(rf"\] {re.escape(n.value)}(?: -|$)", subject)]
    return max(found, key=lambda n: len(n.value)) if found else None


def render_example(message: EmailMessage) -> str:
    names = [p.get_filename() for p in message.iter_attachments()]
    head = [f"To: {message['To']}"] + ([f"Cc: {message['Cc']}"] if message["Cc"] else [])
    head += [f"Subject: {' '.join(str(message['Subject']).split())}",
             f"Attachments: {', '.join(n for n in names if n) or 'none'}"]
    body = message.get_body(("plain",))
    text = body.get_content().replace("\r\n", "\n").rstrip() if body else ""
    return "\n".join(head) + "\n\n" + text + "\n"


def collect(folder: Path) -> dict[str, str]:
    """{file name: text} for one example of each notice (two where the same notice goes two ways)."""
    out: dict[str, str] = {}
    runs = (("rutland", rutland_month, dt.datetime(2026, 11, 30, 9, 30, tzinfo=UTC)),
            ("professional_challenge", cafcass, dt.datetime(2026, 11, 30, 9, 30, tzinfo=UTC)))
    for policy, script, start in runs:
        service = _Service(folder / policy, policy, start)
        try:
            script(service)
            for message in service.sent():
                notice = notice_of(message)
                if notice is None:
                    continue
                slug = notice.name.lower().replace("_", "-")
                name = f"{slug}.txt" if f"{slug}.txt" not in out else f"{slug}-2.txt"
                if name not in out:
                    out[name] = render_example(message)
        finally:
            service.close()
    return out


def write_examples(folder: Path = DEFAULT_FOLDER) -> list[Path]:
    with tempfile.TemporaryDirectory() as work:
        examples = collect(Path(work))
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    written = []
    for name, text in sorted(examples.items()):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args(argv)
    for path in write_examples(args.folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
