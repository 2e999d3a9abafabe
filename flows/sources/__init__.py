"""Input readers: files / folders / globs → `RawDocument`s, bad input → `Quarantined` (never raised).

One module per job: `discover` (paths), `decode` (bytes → str), one reader per format (`txt`, `html`,
`jsonl`, `warc`) and `read` (the entry point).
"""

from .discover import discover
from .document import Quarantined, RawDocument
from .read import read_inputs, read_path

__all__ = ["Quarantined", "RawDocument", "discover", "read_inputs", "read_path"]
