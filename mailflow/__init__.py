"""Mail in and out of the shared mailbox, apart from the transports.

Inbound, for one stored raw message (see docs/mail.md):
    ``classify.classify(raw, directory=..., alerts=..., policy=..., settings=InboundSettings(...),
    secret=..., received=...) -> Classification``
Outbound:
    ``compose.compose(Outgoing(...), MailSettings(...), secret=..., now=...) -> EmailMessage``,
    ``decisions.decision_mailto_links(...)``, ``ratelimit.over_limit(...)``.
Nothing here sends, stores or reads the clock; the service passes all of that in.
"""
