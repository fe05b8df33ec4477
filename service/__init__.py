"""Practice Alerts: the IRO practice-alert escalation process, run from a shared mailbox."""

__version__ = "0.1.0"
