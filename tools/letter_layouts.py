"""The built-in letters' layouts and wording, one function per document.

Each writes a Word template through `LetterBuilder`; the variables are the fields of the
matching context in `documents.context` (checked at start-up by `documents.checks`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # build_templates imports LAYOUTS from here
    from tools.build_templates import LetterBuilder

STAGE_TABLE: dict[str, Any] = dict(
    loop="s in {}",
    headings=["Stage", "Sent to", "Sent", "Due", "Response", "Outcome"],
    cells=[
        "{{ s.stage_name }}",
        "{{ s.recipient.name }}, {{ s.recipient.role }}",
        "{{ s.sent|short_date }}",
        "{{ s.due|short_date }}",
        "{% if s.response %}{{ s.responded|short_date }}: {{ s.response }}{% else %}None{% endif %}",
        "{{ s.outcome }}{% for note in s.notes if note != s.outcome %}. {{ note }}{% endfor %}",
    ],
    widths_cm=[1.8, 3.0, 2.0, 2.0, 4.6, 3.2],
)


def _stages(b: LetterBuilder, expression: str) -> None:
    table = dict(STAGE_TABLE, loop=str(STAGE_TABLE["loop"]).format(expression))
    b.rows(**table)


def _child(b: LetterBuilder) -> None:
    b.heading("The child", 2)
    b.facts([
        ("Name", "{{ alert.child.name }}"),
        ("ID", "{{ alert.child.child_id }}"),
        ("Date of birth", "{{ alert.child.date_of_birth|day_month_year or 'Not recorded' }}"),
        ("Case type", "{{ alert.child.case_type_label }}"),
        ("Legal status", "{{ alert.child.legal_status }}"),
    ])


def _what_is_wrong(b: LetterBuilder) -> None:
    b.heading("What is wrong", 2)
    b.rows("r in alert.reasons", ["Reason", "Theme"],
           ["{{ r.numbered_label }}", "{{ r.category }}"], [12.0, 4.6])
    b.para("**The concern**")
    b.multiline("alert.concern")
    b.heading("Impact on the child", 2)
    b.multiline("alert.impact_on_child")
    b.heading("Resolution sought", 2)
    b.multiline("alert.resolution_sought")


def _signature(b: LetterBuilder, person: str = "alert.raised_by") -> None:
    b.para("Yours sincerely,")
    b.para("{{ " + person + ".name }}")
    b.para("{{ " + person + ".role }}{% if " + person + ".organisation %}, {{ " + person + ".organisation }}{% endif %}")


def stage_letter(b: LetterBuilder) -> None:
    b.para("{{ letter_date }}")
    b.para("To: **{{ recipient.name }}**, {{ recipient.role }}")
    b.title("Practice Alert {{ alert.reference }}: {{ stage_name }}")
    b.para("Dear {{ recipient.name }},")
    b.para("{% if earlier_stages %}I am escalating{% else %}I am raising{% endif %} a practice alert about the "
           "child named below, under {{ alert.procedure }} ({{ alert.authority }}). At {{ stage_name }} it is "
           "addressed to you as {{ recipient.role }}.")
    b.control("if entry_note")
    b.para("{{ entry_note }}")
    b.control("endif")
    _child(b)
    _what_is_wrong(b)
    b.heading("Your response is due by {{ due }}", 2)
    b.para("Please respond by **{{ due }}**{% if response_days %} ({{ response_days }} working days from "
           "receipt){% endif %}. {{ if_no_response }}")
    b.control("if in_writing")
    b.para("**This stage must be answered in writing.**")
    b.control("endif")
    b.control("if agenda")
    b.para("This alert has been added to the agenda of the **{{ agenda }}**.")
    b.control("endif")
    b.control("if duties")
    b.heading("What the procedure asks at {{ stage_name }}", 2)
    b.bullets("d in duties", "{{ d.who }}: {{ d.text }}{% if d.agenda %} ({{ d.agenda }}){% endif %}")
    b.control("endif")
    b.heading("Earlier stages", 2)
    b.control("if earlier_stages")
    _stages(b, "earlier_stages")
    b.control("else")
    b.para("This is the first stage of this alert.")
    b.control("endif")
    b.heading("How to reply", 2)
    b.para("Reply to this e-mail, keeping **{{ alert.reference }}** in the subject, or write to "
           "{{ alert.mailbox }}. Please say what will be done, by whom and by when to resolve the concern"
           "{% if alert.record_system %}, and record your response on {{ alert.record_system }}{% endif %}.")
    _signature(b)
    b.control("if copies")
    b.para("Copies: {{ copies|people }}")
    b.control("endif")


def acknowledgement(b: LetterBuilder) -> None:
    b.para("{{ letter_date }}")
    b.title("Practice Alert {{ alert.reference }} received")
    b.para("Dear {{ alert.raised_by.name }},")
    b.para("Your practice alert for {{ alert.child.name }} ({{ alert.child.child_id }}) was received on "
           "{{ received_at|date_time }} and has been given the reference **{{ alert.reference }}**. "
           "Please keep it in the subject of any e-mail about this alert.")
    b.facts([
        ("Stage", "{{ stage_name }}"),
        ("Sent to", "{{ sent_to.name }}, {{ sent_to.role }}"),
        ("Copies", "{{ copies|people or 'None' }}"),
        ("Response due", "{{ due }}"),
        ("Reasons", "{% for r in alert.reasons %}{{ r.numbered_label }}{% if not loop.last %}; {% endif %}{% endfor %}"),
    ])
    b.control("if next_steps")
    b.heading("What happens next", 2)
    b.bullets("step in next_steps", "{{ step }}")
    b.control("endif")
    b.para("Practice Alerts, on behalf of {{ alert.authority }}")


def decision_request(b: LetterBuilder) -> None:
    b.para("{{ letter_date }}")
    b.title("Practice Alert {{ alert.reference }}: response at {{ stage_name }}")
    b.para("Dear {{ alert.raised_by.name }},")
    b.para("{{ responder.name }} ({{ responder.role }}) responded about {{ alert.child.name }} "
           "({{ alert.child.child_id }}) on {{ responded_on }}"
           "{% if on_time %}, within the timescale{% else %}, after the due date{% endif %}. "
           "Their response is below.")
    b.heading("The response", 2)
    b.multiline("response")
    b.heading("Your decision", 2)
    b.para("Please decide{% if decide_by %} by {{ decide_by }}{% endif %}. Choose one of these; each opens "
           "an e-mail to {{ alert.mailbox }} that you can add to before sending:")
    b.bullets("o in options", "{{ o.label }}: {{ o.url }}")
    b.control("if earlier_stages")
    b.heading("The alert so far", 2)
    _stages(b, "earlier_stages")
    b.control("endif")
    b.para("Practice Alerts, on behalf of {{ alert.authority }}")


def external_agency_letter(b: LetterBuilder) -> None:
    b.para("{{ agency.addressee }}")
    b.para("{{ agency.name }}")
    b.control("for line in agency.address_lines")
    b.para("{{ line }}")
    b.control("endfor")
    b.para("{{ letter_date }}")
    b.para("Our reference: {{ alert.reference }}")
    b.title("Concern about {{ alert.child.name }}'s plan")
    b.para("Dear {{ agency.salutation }},")
    b.para("I am the {{ signed_by.role }} for {{ alert.child.name }} (date of birth "
           "{{ alert.child.date_of_birth|day_month_year or 'not recorded' }}). I am writing to raise a concern "
           "about the part {{ agency.name }} plays in the child's plan, under {{ alert.procedure }} "
           "({{ alert.authority }}).")
    b.heading("The concern", 2)
    b.multiline("alert.concern")
    b.heading("The impact on the child", 2)
    b.multiline("alert.impact_on_child")
    b.heading("What we are asking", 2)
    b.multiline("alert.resolution_sought")
    b.bullets("action in actions_requested", "{{ action }}")
    b.para("I should be grateful for your written response by **{{ respond_by }}**, to {{ signed_by.email or "
           "alert.mailbox }}, quoting our reference {{ alert.reference }}.")
    _signature(b, "signed_by")
    b.control("if copies")
    b.para("Copies: {{ copies|people }}")
    b.control("endif")


def cafcass_referral(b: LetterBuilder) -> None:
    b.para("**DRAFT for the Independent Reviewing Officer to check before it is sent.** Prepared {{ letter_date }}.")
    b.title("Referral to CAFCASS: {{ alert.child.name }}")
    b.para("From {{ alert.raised_by.name }}, {{ alert.raised_by.role }}, {{ alert.authority }}. "
           "To: {{ cafcass_contact }}{% if referral_form %}, using {{ referral_form }}{% endif %}. "
           "Practice Alert {{ alert.reference }}.")
    b.control("if policy_note")
    b.para("{{ policy_note }}")
    b.control("endif")
    _child(b)
    b.heading("Legal details", 2)
    b.facts([  # the legal status is in the child's details above: each fact is printed once
        ("Court", "{{ court or 'Not recorded' }}"),
        ("Court case number", "{{ court_case_number or 'Not recorded' }}"),
    ])
    b.heading("The concern about the care plan", 2)
    b.multiline("care_plan_concern")
    b.heading("Reasons", 2)
    b.rows("r in alert.reasons", ["Reason", "Theme"],
           ["{{ r.numbered_label }}", "{{ r.category }}"], [12.0, 4.6])
    b.heading("Impact on the child and urgency", 2)
    b.multiline("alert.impact_on_child")
    b.multiline("urgency")
    b.heading("The escalation, stage by stage", 2)
    _stages(b, "stages")
    b.heading("Chronology", 2)
    b.rows("e in chronology", ["When", "What happened", "Who"],
           ["{{ e.at|short_date_time }}", "{{ e.what }}", "{{ e.who }}"], [3.2, 9.6, 3.8])
    b.heading("The child's views", 2)
    b.multiline("child_views")
    b.para("Has the child been told of this referral? **{{ 'Yes' if child_told else 'No' }}**")
    b.control("if child_told_note")
    b.multiline("child_told_note")
    b.control("endif")
    b.heading("Outcome sought", 2)
    b.multiline("outcome_sought")
    b.heading("Before referring", 2)
    b.facts([
        ("Nominated officer", "{% if nominated_officer %}{{ nominated_officer.name }}, {{ nominated_officer.role }}"
                              "{% else %}Not named{% endif %}"),
        ("Nominated officer told", "{{ nominated_officer_told or ('Not yet: the procedure requires this before "
                                   "referring' if nominated_officer_required else 'Not recorded') }}"),
        ("Legal advice", "{{ 'Required by the procedure before referring' if legal_advice_required "
                         "else 'Not required by the procedure' }}"),
        ("Consulted", "{{ consulted|people or 'None recorded' }}"),
    ])
    b.heading("Documents to attach", 2)
    b.control("for item in attachments")  # tick boxes, not bullets
    b.para("{{ '☒' if item.attached else '☐' }} {{ item.name }}")
    b.control("endfor")


def case_note(b: LetterBuilder) -> None:
    b.title("Practice Alert case note: {{ alert.reference }}")
    b.facts([
        ("Child", "{{ alert.child.name }} ({{ alert.child.child_id }})"),
        ("Case type", "{{ alert.child.case_type_label }}; {{ alert.child.legal_status }}"),
        ("Raised by", "{{ alert.raised_by.name }}, {{ alert.raised_by.role }}, on {{ alert.raised_on }}"),
        ("Status", "{{ status }}"),
        ("Reasons", "{% for r in alert.reasons %}{{ r.numbered_label }}{% if not loop.last %}; {% endif %}{% endfor %}"),
        ("Note written", "{{ letter_date }}"),
    ])
    _what_is_wrong(b)
    b.heading("Stages", 2)
    _stages(b, "stages")
    b.heading("Chronology", 2)
    b.rows("e in chronology", ["When", "What happened", "Who"],
           ["{{ e.at|short_date_time }}", "{{ e.what }}", "{{ e.who }}"], [3.2, 9.6, 3.8])
    b.control("if outcome")
    b.heading("Outcome", 2)
    b.multiline("outcome")
    b.control("endif")
    b.control("if finalised_by")
    b.para("Finalised by {{ finalised_by.name }}, {{ finalised_by.role }}.")
    b.control("endif")


def closure(b: LetterBuilder) -> None:
    b.para("{{ letter_date }}")
    b.title("Practice Alert {{ alert.reference }} closed")
    b.para("{{ closed_by.name }} ({{ closed_by.role }}) closed the practice alert for {{ alert.child.name }} "
           "({{ alert.child.child_id }}) on {{ closed_on }}{% if resolved_at_stage %}, resolved at "
           "{{ resolved_at_stage }}{% endif %}.")
    b.heading("Outcome", 2)
    b.multiline("outcome")
    b.control("if working_days_taken is not none")
    b.para("The alert took {{ working_days_taken }} working days{% if target_working_days %}; the procedure's "
           "target is {{ target_working_days }} ({{ 'met' if within_target else 'not met' }}){% endif %}.")
    b.control("endif")
    b.control("if stages")
    b.heading("Stages", 2)
    _stages(b, "stages")
    b.control("endif")
    b.heading("Telling the child", 2)
    b.control("if tell_child_required")
    b.para("**The procedure requires the outcome to be explained to the child.**")
    b.control("endif")
    b.control("if message_for_child")
    b.multiline("message_for_child")
    b.control("else")
    b.para("No message for the child was recorded.")
    b.control("endif")
    b.control("if duties")
    b.heading("On closing", 2)
    b.bullets("d in duties", "{{ d.text }} ({{ d.who }})")
    b.control("endif")
    b.control("if recipients")
    b.para("Sent to: {{ recipients|people }}")
    b.control("endif")


LAYOUTS = {
    "stage_letter": ("Practice Alert stage letter", stage_letter),
    "acknowledgement": ("Practice Alert acknowledgement", acknowledgement),
    "decision_request": ("Practice Alert decision request", decision_request),
    "external_agency_letter": ("Practice Alert letter to an external agency", external_agency_letter),
    "cafcass_referral": ("Draft referral to CAFCASS", cafcass_referral),
    "case_note": ("Practice Alert case note", case_note),
    "closure": ("Practice Alert closure notice", closure),
}
