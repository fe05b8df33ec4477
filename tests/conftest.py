"""Make the repository's tools/ (build scripts and sample generators, not installed) importable as ``tools``."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:
    sys.path.append(ROOT)
