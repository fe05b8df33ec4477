"""Rendering the documents that go out: stage letters, acknowledgements, decision requests,
external-agency letters, the CAFCASS referral draft, the case note and the closure notice.

Start at `documents.render`; `docs/documents.md` explains the templates.
"""
