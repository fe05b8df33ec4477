"""Reading YAML quickly without changing what a mistake looks like.

The pure-Python parser costs more than anything else a read-only command does (the policy, the
configuration and the directory are parsed at each start); libyaml, when PyYAML was built with
it, reads the same files many times faster. A file it refuses is read again by the pure-Python
parser, so a person fixing a file sees the same message, with its excerpt, as always.
"""

from __future__ import annotations

from typing import Any

import yaml

FAST_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (SafeConstructor's rules, C parser), else the plain one."""


def load_safely(text: str, fast: type[Any] = FAST_SAFE_LOADER, plain: type[Any] = yaml.SafeLoader,
                *, before_retry: Any = None) -> Any:
    """``yaml.load(text, plain)``, parsed by ``fast`` first; on a YAMLError ``plain`` reads it again
    (``before_retry()`` first undoes anything ``fast`` recorded), so errors are exactly the old ones."""
    if fast is not plain:
        try:
            return yaml.load(text, Loader=fast)  # a safe loader
        except yaml.YAMLError:
            if before_retry is not None:
                before_retry()
    return yaml.load(text, Loader=plain)  # a safe loader
