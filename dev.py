#!/usr/bin/env python3
"""Bootstrap and run newsledger with nothing but python3.

    python3 dev.py run [newsledger run args...]   # the pipeline on seeds/articles (default)
    python3 dev.py test [pytest args...]          # the whole test suite
    python3 dev.py newsledger ARGS...             # any newsledger command (query, quality, serve …)

Creates `.venv` in the repo root on first use and installs the pinned versions from
`requirements.lock` (re-installs when the lock or pyproject.toml changes).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".newsledger-installed"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.lock", "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_venv() -> None:
    want = _fingerprint()
    if PY.exists() and STAMP.exists() and STAMP.read_text().strip() == want:
        return
    if not PY.exists():
        print("dev.py: creating .venv", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("dev.py: installing pinned dependencies from requirements.lock (first run takes ~1-2 min)", file=sys.stderr)
    pip = [str(PY), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["install", "-r", str(ROOT / "requirements.lock")], check=True)
    subprocess.run(pip + ["install", "--no-deps", "-e", str(ROOT)], check=True)
    STAMP.write_text(want)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    try:
        ensure_venv()
    except subprocess.CalledProcessError as exc:
        print(f"dev.py: error: installing dependencies failed ({exc})", file=sys.stderr)
        return 2
    env = dict(os.environ)
    if command == "run":
        args = [str(BIN / "newsledger"), "run", *rest]
    elif command == "test":
        args = [str(PY), "-m", "pytest", *rest]
    elif command == "newsledger":
        args = [str(BIN / "newsledger"), *rest]
    else:
        print(f"dev.py: unknown command {command!r} (run, test, newsledger)", file=sys.stderr)
        return 2
    return subprocess.run(args, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
