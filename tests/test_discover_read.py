"""The flow reads the paths `discover` expanded without resolving them again: it must get exactly
what `read_inputs` gets from the original arguments (same documents, same URIs, same quarantine)."""

from __future__ import annotations

import os
import shutil

from conftest import SEEDS
from flows.sources.discover import discover
from flows.sources.document import KnownDocument, Quarantined, RawDocument
from flows.sources.read import read_files, read_inputs


def _summary(items) -> list[tuple]:
    out = []
    for i in items:
        if isinstance(i, RawDocument):
            out.append(("doc", i.document_id, i.uri))
        elif isinstance(i, Quarantined):
            out.append(("bad", i.reason, i.uri))
        else:
            out.append(("known", i.document_id, i.uri))
    return out


def test_read_files_on_discovered_paths_equals_read_inputs(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SEEDS, inputs)
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("A page kept outside the input folder.\n\nSecond paragraph of it.\n", encoding="utf-8")
    os.symlink(outside, inputs / "linked.txt")  # a symlinked file is known by its target
    (inputs / "empty.txt").write_bytes(b"")
    args = [str(inputs), str(tmp_path / "missing-*.txt")]

    files = discover(args)
    assert str(outside) in files and str(inputs / "linked.txt") not in files
    assert _summary(read_files(files)) == _summary(read_inputs(args))


def test_known_files_are_only_hashed(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SEEDS, inputs)
    files = discover([str(inputs)])
    first = list(read_files(files))
    known = frozenset(d.document_id for d in first[:3])
    again = list(read_files(files, known=known))
    assert [type(i) for i in again] == [KnownDocument] * 3 + [RawDocument] * (len(files) - 3)
    assert [(i.document_id, i.uri) for i in again] == [(d.document_id, d.uri) for d in first]
