"""The one error a template can raise, kept apart from the engine so that catching it loads no engine.

Opening the service (even read-only) names ``TemplateProblem``; the engine behind it (docxtpl,
python-docx, lxml, Jinja) is loaded only when a document is compiled or rendered.
"""

from __future__ import annotations


class TemplateProblem(Exception):
    """A template cannot be used. Operator-facing: it names the template and what to fix."""
