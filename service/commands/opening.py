"""Opening the service read-only for a command that only looks (status, alert show)."""

from __future__ import annotations

import os
import sys
from typing import Any

from practice_alerts.config import ConfigError, config_path, load_config
from practice_alerts.pipeline.context import StartupError, open_service


def open_for_reading(config_arg: str | None) -> Any | None:
    """The service's context, opened read-only; None after saying on stderr what is wrong."""
    try:
        return open_service(load_config(config_path(config_arg), os.environ, require_secret=False), os.environ,
                            check_templates=False, reading_only=True)
    except (ConfigError, StartupError) as exc:
        print(f"Cannot read the configuration: {exc}", file=sys.stderr)
        return None
