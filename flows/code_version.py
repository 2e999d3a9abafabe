"""The extraction code's version: the package version plus a digest of the text-logic sources.

Every derived row records it; `newsledger run --reprocess` re-derives documents made by another one.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flows import __version__

TEXT_DIR = Path(__file__).resolve().parent / "text"


@lru_cache(maxsize=1)
def code_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(TEXT_DIR.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"
