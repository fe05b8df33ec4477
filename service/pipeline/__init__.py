"""The service's pipeline: store each message raw, handle it in one unit of work, run the clock, send the outbox.

See docs/service.md. ``context.open_service`` loads everything once; ``runloop.Runner`` runs the passes.
"""
