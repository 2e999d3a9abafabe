"""The understand stage over a batch: site-level chrome detection and failure isolation."""

from __future__ import annotations

import datetime as dt

from conftest import SEEDS

from flows.text.model import DocumentInput
from flows.understand import understand_batch

NOW = dt.datetime(2024, 11, 13, tzinfo=dt.timezone.utc)
MENU = "Home | World | Business | Sport | Opinion"


def _doc(i: int, text: str, folder: str = "/feeds/example") -> DocumentInput:
    return DocumentInput(document_id=f"doc{i}", text=text, uri=f"{folder}/{i}.txt", format="txt")


def test_wire_copies_in_one_feed_keep_their_bodies_while_the_feed_menu_is_chrome():
    story = (SEEDS / "004_b38a8fdaf0c37c52.txt").read_text()
    other = (SEEDS / "000_85b49a4b4ac27d53.txt").read_text()
    docs = [_doc(i, f"{MENU}\n\n{text}") for i, text in enumerate([story, story + "\nUpdated.", story + "\n(AP)", other])]
    result = understand_batch(docs, code_version="t", run_id="r", now=NOW)
    articles = result.frames["articles"].set_index("document_id")
    assert (articles["body_words"] > 150).all()
    assert all("up to 12,000 North Korean troops" in articles.loc[f"doc{i}", "body_text"] for i in range(3))
    blocks = result.frames["blocks"]
    menu_labels = set(blocks[(blocks["char_start"] == 0)]["label"])
    assert "body" not in menu_labels


def test_one_failing_document_does_not_stop_the_batch(monkeypatch):
    import flows.understand as understand

    real = understand.segment

    def flaky(text, **kwargs):
        if "EXPLODE" in text:
            raise ValueError("simulated parser bug")
        return real(text, **kwargs)

    monkeypatch.setattr(understand, "segment", flaky)
    seed = (SEEDS / "001_cd4a0265bc41ce92.txt").read_text()
    result = understand_batch([_doc(1, seed), _doc(2, "EXPLODE\n" + seed)], code_version="t", run_id="r", now=NOW)
    assert list(result.frames["articles"]["document_id"]) == ["doc1"]
    assert result.failures == [("doc2", "ValueError: simulated parser bug")]
