"""The ``holidays`` package's UK calendar, loaded on its own.

``holidays.country_holidays("GB")`` imports ``holidays.countries``, whose ``__init__`` imports
every country in the world: about a third of the start-up of a command such as ``deadline``.
The UK module uses only absolute imports of the package's core, so it is loaded from its file
by itself; if that ever fails (a new layout of the package), the ordinary way is used.
The package itself is imported on the first day asked about, not when the calendar is imported:
commands that never count working days (``status``, ``alert list``) do not load it.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

_MODULE = "holidays.countries.united_kingdom"


def england_and_wales(years: range) -> Any:
    """The bank holidays of England and Wales in ``years`` (a mapping of date to name)."""
    import holidays  # noqa: PLC0415 - loaded on first use, not by every command importing the calendar

    try:
        module = sys.modules.get(_MODULE)
        if module is None:
            path = f"{holidays.__path__[0]}/countries/united_kingdom.py"
            spec = importlib.util.spec_from_file_location(_MODULE, path)
            if spec is None or spec.loader is None:
                raise ImportError(path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            sys.modules[_MODULE] = module
        return module.UnitedKingdom(subdiv="ENG", years=years)
    except (ImportError, AttributeError, OSError):
        return holidays.country_holidays("GB", subdiv="ENG", years=years)
