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


def test_the_arrow_tables_a_worker_hands_back_store_the_same_rows_as_the_dataframes():
    """The flow loads what `understand_batch_for_load` returns (Arrow tables: cheaper to pickle and to
    insert); every raw table must hold exactly the rows the DataFrames of `understand_batch` would give,
    nulls, lists, dates and time zones included."""
    import duckdb
    import pyarrow as pa

    from flows import warehouse
    from flows.understand import understand_batch_for_load

    docs = [_doc(i, path.read_text()) for i, path in enumerate(sorted(SEEDS.glob("*.txt")))]
    docs.append(_doc(99, "Short note\n\nNo date, no byline, nothing to count."))  # mostly null metadata
    frames = understand_batch(docs, code_version="t", run_id="r", now=NOW)
    arrow = understand_batch_for_load(docs, code_version="t", run_id="r", now=NOW)
    assert arrow.failures == frames.failures
    assert all(isinstance(t, pa.Table) for t in arrow.frames.values())
    stores = []
    for result in (frames, arrow):
        con = duckdb.connect()
        warehouse.ensure_schema(con)
        for table, frame in result.frames.items():
            warehouse.insert_frame(con, f"raw.{table}", frame)
        stores.append(con)
    for table in warehouse.DERIVED_TABLES:
        rows = [sorted(con.execute(f"select * from raw.{table}").fetchall(), key=repr) for con in stores]
        assert rows[0] == rows[1], table
        assert rows[0], table  # the seeds fill every table


CHROME = "The Harbor Gazette has been read by families across the valley since 1921."


def _chrome_pages(folder: str, n: int) -> list[DocumentInput]:
    """`n` pages of one site, each with the site's line inside the story: chrome only when the batch
    holds enough of the site's pages to see it repeat (alone, it reads as body text)."""
    seeds = sorted(SEEDS.glob("*.txt"))
    docs = []
    for i in range(n):
        paragraphs = seeds[(i + 1) % len(seeds)].read_text().split("\n\n")  # the fifth page: seed 0
        paragraphs.insert(3, CHROME)
        docs.append(DocumentInput(document_id=f"{folder}-{i}", text="\n\n".join(paragraphs),
                                  uri=f"/feeds/{folder}/{i}.txt", format="txt"))
    return docs


def test_a_batch_shared_by_idle_workers_gives_exactly_the_rows_of_the_whole_batch():
    """On an incremental run the only new batch is cut into parts for the idle workers: cuts fall only
    between sites (each site's chrome is found among its own pages), so the rows are the same."""
    import pandas as pd

    from flows.understand import site_parts

    docs = _chrome_pages("a", 5) + _chrome_pages("b", 3)  # a cut at the middle would split site a
    parts = site_parts(docs, 2)
    assert [len(p) for p in parts] == [5, 3]
    whole = understand_batch(docs, code_version="t", run_id="r", now=NOW).frames
    split = [understand_batch(p, code_version="t", run_id="r", now=NOW).frames for p in parts]
    def rows(frame: pd.DataFrame) -> list[list]:  # values, nulls as None (a part's column may hold only nulls)
        return frame.astype(object).where(frame.notna(), None).values.tolist()

    for table, frame in whole.items():
        assert list(frame.columns) == list(split[0][table].columns), table
        assert [r for s in split for r in rows(s[table])] == rows(frame), table
    blocks = whole["blocks"].set_index(["document_id", "char_start"])["label"]
    chrome = [blocks[(d.document_id, d.text.index(CHROME))] for d in docs]
    assert "body" not in chrome  # chrome on every page of both sites: what a cut through site a would lose


def test_a_batch_whose_sites_interleave_is_not_cut():
    from flows.understand import site_parts

    a, b = _chrome_pages("a", 3), _chrome_pages("b", 3)
    interleaved = [a[0], b[0], a[1], b[1], a[2], b[2]]
    assert site_parts(interleaved, 2) == [interleaved]
    assert site_parts(a + b, 1) == [a + b]
    assert site_parts(a + b, 0) == [a + b]  # no idle worker: the batch goes whole
