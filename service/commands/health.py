"""``practice-alerts health [--json]``: exit 0 when the service is well, 1 when not, 2 when it cannot tell.

For monitoring (a systemd timer, Nagios, a container HEALTHCHECK): reads only the database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys

from practice_alerts.config import ConfigError, config_path, load_config
from practice_alerts.health import check_health
from practice_alerts.store import StoreError, open_database


def print_health(args: argparse.Namespace) -> int:
    try:
        config = load_config(config_path(args.config), os.environ, require_secret=False)
        database = open_database(config.database)
    except (ConfigError, StoreError) as exc:
        print(f"Cannot tell: {exc}", file=sys.stderr)
        return 2
    try:
        health = check_health(database, config.health, dt.datetime.now(dt.timezone.utc))
    except StoreError as exc:
        print(f"Cannot tell: {exc}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(health.as_json(), indent=2))
    else:
        print("Healthy." if health.ok else "\n".join(f"UNHEALTHY: {p}" for p in health.problems))
    return health.exit_code
