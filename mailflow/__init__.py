"""Mail in and out of the shared mailbox, apart from the transports.

Inbound, for one stored raw message (see docs/mail.md):
    ``classify.classify(raw, directory=..., alerts=..., policy=..., settings=InboundSettings(...),
    secret=..., received=...) -> Classification``
Outbound:
    ``compose.compose(Outgoing(...), MailSettings(...), message_id=..., now=...) -> EmailMessage``
    (``compose.message_id_for(outgoing, settings, secret=...)`` gives an alert's Message-ID, once),
    ``decisions.decision_mailto_links(...)``, ``ratelimit.over_limit(...)``.
Nothing here sends, stores or reads the clock; the service passes all of that in.
"""
