"""derived.lineage is written by changed pair: a run adds the pairs that are new or whose row changed
(with its run id), deletes the pairs that are gone (a re-derived or removed article), and leaves every
other row as it was, run id included; the rows always equal a link of the same articles in one go."""

from __future__ import annotations

import importlib.util
import pathlib

import duckdb
import pandas as pd

from flows.link import link_frames, link_warehouse, load_frames

HERE = pathlib.Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("test_link", HERE / "test_link.py")
link_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(link_tests)

PAIR = ["article_id", "related_article_id"]


def _lineage(con) -> pd.DataFrame:
    return con.execute("select * from derived.lineage order by article_id, related_article_id").df()


def _assert_written_by_changed_pair(before: pd.DataFrame, after: pd.DataFrame, run_id: str,
                                    reference: pd.DataFrame) -> tuple[int, int]:
    """`after` holds the reference rows; a pair carries `run_id` exactly when it is new or its row
    changed, and keeps its earlier run id otherwise.  Returns (pairs written, pairs kept)."""
    rows = after.drop(columns=["run_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(rows, reference.reset_index(drop=True), check_like=True)
    assert not after.duplicated(PAIR).any()
    cols = [c for c in after.columns if c != "run_id"]
    joined = after.merge(before, on=PAIR, how="left", suffixes=("", "_before"), indicator=True)
    same = joined["_merge"] == "both"
    for c in cols:
        if c in PAIR:
            continue
        a, b = joined[c], joined[f"{c}_before"]
        same &= (a == b) | (a.isna() & b.isna())
    written = joined[~same]
    kept = joined[same]
    assert (written["run_id"] == run_id).all(), written[PAIR + ["run_id"]]
    assert (kept["run_id"] == kept["run_id_before"]).all(), kept[PAIR + ["run_id", "run_id_before"]]
    return len(written), len(kept)


def test_lineage_rows_are_written_by_changed_pair():
    arts, claims = link_tests.world()
    late = arts.article_id.isin(["cp_07", "seed002"])
    con = duckdb.connect()
    try:
        # run0: all but a copy and a rewrite
        load_frames(con, arts[~late], None, "run0")
        link_warehouse(con, "run0")
        before = _lineage(con)
        assert set(before.run_id) == {"run0"}

        # run1: the copy and the rewrite arrive: their pairs are added, every other pair keeps run0
        load_frames(con, arts[late], None, "run1")
        link_warehouse(con, "run1")
        after = _lineage(con)
        written, kept = _assert_written_by_changed_pair(before, after, "run1", link_frames(arts)["lineage"])
        assert written >= 2 and kept > written
        pairs = set(zip(after.article_id, after.related_article_id, strict=True))
        assert ("cp_07", "ms_b2") in pairs
        assert after[after.article_id.eq("cp_07") | after.related_article_id.eq("cp_07")].run_id.eq("run1").all()

        # run2: ms_d1 re-derived as an unrelated text (its pairs go), ms_c2 re-derived as a copy of ms_c1
        changed = arts.copy()
        c1 = changed.set_index("article_id").body_text["ms_c1"]
        changed.loc[changed.article_id == "ms_c2", "body_text"] = c1[: len(c1) * 3 // 4]
        changed.loc[changed.article_id == "ms_d1", "body_text"] = (
            "Harvest festival opens in a quiet mountain town with music, bread and long tables.")
        d1_pairs = before[(before.article_id == "ms_d1") | (before.related_article_id == "ms_d1")]
        assert not d1_pairs.empty
        before = after
        load_frames(con, changed[changed.article_id.isin(["ms_c2", "ms_d1"])], None, "run2")
        link_warehouse(con, "run2")
        after = _lineage(con)
        written, kept = _assert_written_by_changed_pair(before, after, "run2", link_frames(changed)["lineage"])
        assert written >= 1 and kept > written
        assert after[(after.article_id == "ms_d1") | (after.related_article_id == "ms_d1")].empty

        # run3: a copy removed from the warehouse: its star pair goes, nothing else is rewritten
        before = after
        con.execute("delete from raw.articles where document_id = 'cp_07'")
        link_warehouse(con, "run3")
        after = _lineage(con)
        remaining = changed[changed.article_id != "cp_07"]
        written, kept = _assert_written_by_changed_pair(before, after, "run3", link_frames(remaining)["lineage"])
        assert written == 0 and len(after) == len(before) - 1
        assert after[(after.article_id == "cp_07") | (after.related_article_id == "cp_07")].empty

        # run4: nothing new: no row is rewritten
        before = after
        link_warehouse(con, "run4")
        pd.testing.assert_frame_equal(_lineage(con), before)
    finally:
        con.close()
