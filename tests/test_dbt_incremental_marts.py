"""The incremental marts hold, after every run, exactly what a `--full-refresh` dbt build of the same
state makes: new documents, documents that join an existing site, story and claim cluster (clusters
link re-summarises, relabels or drops, lineage pairs it adds), a re-derived document whose derivation
changed, and a dropped derivation.  Every mart is incremental (dbt_project/macros/build_ledger.sql)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, RESOURCES, SEEDS, state_db

sys.path.insert(0, str(REPO / "bench"))
from generate_corpus import generate  # noqa: E402

MARTS = ("dim_articles", "dim_sources", "fct_article_lineage", "fct_claim_cluster_outlets", "fct_claim_clusters",
         "fct_claims", "fct_date_candidates", "fct_quality_flags")
NEW_ARTICLE = RESOURCES / "corpus_multi_story" / "b1_harbourtimes.txt"
# one paragraph several pages of a site carry: on 2 pages it is news, on 3 it is the site's chrome
SHARED = "Officials said the figures would be reviewed again at the end of the quarter by an independent panel."


# pages of three unrelated stories (no copy or story link between them), our own writing in the
# seeds' style; each carries SHARED in its body
LONE_PAGES = [
    """Glacier Rail opens mountain freight tunnel\n\nBy Ada Lindqvist\n\nPublished 4 March 2025\n\n"""
    """BERGEN (Nordic Wire) - Glacier Rail opened a 14-kilometre freight tunnel under the Folgefonna massif on """
    """Tuesday, cutting the route between the fjord ports and the eastern valleys by two hours, the operator said.\n\n"""
    """The tunnel took nine years to build and cost 6.2 billion crowns, according to the company's annual report.\n\n"""
    """{shared}\n\n"""
    """Local hauliers said they expected about 40 lorries a day to move onto the trains by the autumn.\n""",
    """Vintners count losses after hailstorm in Douro valley\n\nBy Rui Tavares\n\nPublished 11 June 2025\n\n"""
    """PESO DA REGUA (Iberia Press) - A hailstorm lasting twenty minutes destroyed grapes on some 350 hectares of """
    """terraced vineyards on Sunday evening, the regional wine institute estimated.\n\n"""
    """Growers in the lower valley reported stones the size of walnuts and torn vines along the river terraces.\n\n"""
    """{shared}\n\n"""
    """The cooperative said members would ask the ministry for emergency credit before the harvest in September.\n""",
    """Observatory records brightest meteor shower in a decade\n\nBy Mei Tanaka\n\nPublished 14 August 2025\n\n"""
    """NAGANO (Asia Science Desk) - Astronomers at the Kiso observatory counted 212 meteors an hour at the peak of """
    """the Perseids early on Wednesday, the highest rate they have logged since 2016.\n\n"""
    """Clear skies over the central highlands drew thousands of visitors to the observatory grounds overnight.\n\n"""
    """{shared}\n\n"""
    """Researchers will compare the video records with radar data from two partner stations in Hokkaido.\n""",
]


def _differences(built: Path, rebuilt: Path) -> dict[str, tuple]:
    """Per mart: (columns differ, rows only in `built`, rows only in `rebuilt`) where they differ."""
    con = duckdb.connect()
    con.execute(f"attach '{built}' as a (read_only)")
    con.execute(f"attach '{rebuilt}' as b (read_only)")
    out = {}
    try:
        for mart in MARTS:
            cols = [con.execute("select column_name, data_type from duckdb_columns() where database_name = ? "
                                "and schema_name = 'marts' and table_name = ? order by column_index",
                                [db, mart]).fetchall() for db in ("a", "b")]
            only_a = con.execute(f"select count(*) from (from a.marts.{mart} except all from b.marts.{mart})"
                                 ).fetchone()[0] if cols[0] == cols[1] else None
            only_b = con.execute(f"select count(*) from (from b.marts.{mart} except all from a.marts.{mart})"
                                 ).fetchone()[0] if cols[0] == cols[1] else None
            if cols[0] != cols[1] or only_a or only_b:
                out[mart] = (cols[0] != cols[1], only_a, only_b)
    finally:
        con.close()
    return out


def _full_refresh_equals(state: Path, tmp: Path) -> dict:
    from flows.transform import dbt_build

    tmp.mkdir(parents=True, exist_ok=True)
    copy = tmp / "rebuilt.duckdb"
    shutil.copy(state, copy)
    dbt_build(copy, tmp / "work", full_refresh=True)
    return _differences(state, copy)


def _count(state: Path, sql: str) -> int:
    con = duckdb.connect(str(state), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def runs(prefect_harness, tmp_path_factory):
    """Three runs on one warehouse; after each, the state's marts vs a full rebuild of a copy."""
    from flows.pipeline import newsledger_run
    from flows.transform import dbt_build

    root = tmp_path_factory.mktemp("dbt_incremental")
    inputs = root / "inputs"
    shutil.copytree(SEEDS, inputs / "seeds")
    generate(inputs / "gen1", 24, seed=11)          # one site folder (site_000) of generated pages
    site = inputs / "gen1" / "site_000"
    for i in (0, 1):
        (site / f"lone_{i}.txt").write_text(LONE_PAGES[i].format(shared=SHARED), encoding="utf-8")
    warehouse = root / "wh.duckdb"
    state = state_db(warehouse)
    report: dict[str, dict] = {}

    first = newsledger_run(paths=[str(inputs)], warehouse_path=str(warehouse))
    report["first"] = {"summary": first, "diff": _full_refresh_equals(state, root / "check1")}

    # new pages of the same site and stories (same templates, other figures), a near-copy of a
    # seed (joins its copy group and story), and an article of another story
    for page in sorted(generate(root / "gen2", 12, seed=12).rglob("*.txt")):
        shutil.move(page, site / f"late_{page.name}")
    (site / "lone_2.txt").write_text(LONE_PAGES[2].format(shared=SHARED), encoding="utf-8")
    seed = sorted(SEEDS.glob("*.txt"))[0]
    (inputs / "copy_of_seed.txt").write_text(seed.read_text(encoding="utf-8") + "\nUpdated with a note.\n",
                                             encoding="utf-8")
    shutil.copy(NEW_ARTICLE, inputs / NEW_ARTICLE.name)
    second = newsledger_run(paths=[str(inputs)], warehouse_path=str(warehouse))
    report["second"] = {"summary": second, "diff": _full_refresh_equals(state, root / "check2"),
                        "shared": _count(state, "select count(distinct article_id) from marts.fct_quality_flags "
                                                f"where check_name = 'boilerplate_in_body' and evidence = '{SHARED}'"),
                        "shared_first_run": _count(state, "select count(distinct f.article_id) from "
                                                   "marts.fct_quality_flags f join marts.dim_articles a using (article_id) "
                                                   f"where f.evidence = '{SHARED}' and a.run_id = '{first['run_id']}'")}

    # a derivation that differs from what the code makes (fewer claims, findings and paragraphs,
    # another body): built incrementally, then re-derived by `--reprocess`
    con = duckdb.connect(str(state))
    target = con.execute("select document_id from raw.articles where document_id in (select document_id from "
                         "raw.claims) order by body_words desc limit 1").fetchone()[0]
    con.execute("update raw.articles set run_id = 'tampered', code_version = 'old', "
                "body_text = split_part(body_text, chr(10) || chr(10), 1) where document_id = ?", [target])
    con.execute("delete from raw.claims where document_id = ? and claim_index % 2 = 0", [target])
    con.execute("update raw.claims set run_id = 'tampered' where document_id = ?", [target])
    con.execute("delete from raw.findings where document_id = ?", [target])
    con.close()
    dbt_build(state, root / "tampered_work")
    report["tampered"] = {"diff": _full_refresh_equals(state, root / "check3")}

    third = newsledger_run(paths=[str(inputs)], warehouse_path=str(warehouse), reprocess=True)
    report["third"] = {"summary": third, "diff": _full_refresh_equals(state, root / "check4"), "target": target}

    # what link writes when a cluster's sources change but not its members: a re-summarised row (its
    # agreement changes), no claim row rewritten
    con = duckdb.connect(str(state))
    cluster = con.execute("select cluster_id from marts.fct_claim_cluster_outlets group by 1 "
                          "order by count(distinct article_id) desc, 1 limit 1").fetchone()[0]
    agreement = con.execute("update derived.cluster_summary set run_id = 'resummarised', agreement = case agreement "
                            "when 'conflicting' then 'consistent' else 'conflicting' end where cluster_id = ? "
                            "returning agreement", [cluster]).fetchone()[0]
    con.close()
    dbt_build(state, root / "resummarised_work")
    report["resummarised"] = {"diff": _full_refresh_equals(state, root / "check5"), "cluster": cluster,
                              "agreement": agreement}
    report["state"] = state
    return report


def test_first_run_marts_equal_a_full_rebuild(runs):
    assert runs["first"]["diff"] == {}
    assert runs["first"]["summary"]["documents"]["new"] == 31


def test_new_documents_joining_sites_and_stories_equal_a_full_rebuild(runs):
    second = runs["second"]["summary"]
    assert second["documents"]["new"] == 15 and second["documents"]["already_known"] == 31
    assert runs["second"]["diff"] == {}
    # the third page with the shared paragraph turns it into chrome on the two pages of the first run too
    assert runs["second"]["shared"] == 3 and runs["second"]["shared_first_run"] == 2


def test_a_changed_derivation_built_incrementally_equals_a_full_rebuild(runs):
    assert runs["tampered"]["diff"] == {}


def test_a_rederived_document_equals_a_full_rebuild(runs):
    third = runs["third"]["summary"]
    assert third["documents"]["reprocessed"] == 1 and third["documents"]["new"] == 0
    assert runs["third"]["diff"] == {}
    state, target = runs["state"], runs["third"]["target"]
    # the re-derived article's rows are those of its new derivation, none of the tampered one
    assert _count(state, f"select count(*) from marts.dim_articles where article_id = '{target}' "
                         "and run_id <> 'tampered'") == 1
    assert _count(state, "select count(*) from marts.fct_claims where run_id = 'tampered'") == 0


def test_a_cluster_resummarised_without_new_members_equals_a_full_rebuild(runs):
    assert runs["resummarised"]["diff"] == {}
    rows = _count(runs["state"], "select count(*) from marts.fct_claim_cluster_outlets where cluster_id = "
                                 f"'{runs['resummarised']['cluster']}' and agreement <> '{runs['resummarised']['agreement']}'")
    assert rows == 0


def test_the_state_exercises_every_cross_document_check(runs):
    """The corpus is one where incremental marts can go wrong: repeated site paragraphs, syndication,
    claim clusters with several outlets."""
    state = runs["state"]
    flags = dict(duckdb.connect(str(state), read_only=True).execute(
        "select check_name, count(*) from marts.fct_quality_flags group by 1").fetchall())
    assert flags.get("boilerplate_in_body", 0) > 0 and flags.get("syndication", 0) > 0
    assert _count(state, "select count(*) from (select cluster_id from marts.fct_claim_cluster_outlets "
                         "group by 1 having count(distinct article_id) > 1)") > 0
