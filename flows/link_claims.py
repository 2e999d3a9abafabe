"""Claim clusters kept incrementally in the state file (the claim half of `flows.link`).

`flows.text.clusters.cluster_claims` clusters the claims of each (story, group key) group in three
steps (see the section "the same rules, one claim at a time" there); this module keeps what each step
needs, so that a run only redoes what its new, re-derived, removed or re-storied claims change:

* ``link.claims``: per claim its group (story, group key), kind, ``key`` and ``position``
  (`clustering_inputs`), its subject group ``sgid`` and its ``cluster_id``;
* ``link.claim_keys``: for every group in pairwise mode (<= `PAIRWISE_MAX_KEYS` candidate keys) each
  candidate key's component (its smallest key); groups in equal-keys mode have no rows;
* ``link.claim_subjects``: per key of a subject group, its named claims (count, smallest claim id):
  step 2's counts, summed per component;
* ``link.claim_parts``: per subject group its chained parts (position range ``lo``..``hi``, count and
  smallest claim id of the positioned members, cluster id) and one *pool* row (``lo`` null) for its
  unchained claims (no position, or a kind that is not chained), which join the largest part;
* ``link.cluster_totals``: per cluster the running totals its summary is formatted from;
* ``link.cluster_values``: per cluster how many of its claims carry each label value (``lab1``,
  ``lab2``) and each source (``source``): a cluster that gains claims checks them against these counts
  instead of reading its members again.

A run: (1) the claims of moved articles leave their groups (re-derived / vanished ones are deleted,
those whose story changed only change group); new claims are read from ``raw.claims`` once;
(2) step 1 (`key_components`) compares only keys new to a touched group with the others; step 2
updates the per-key counts and moves the claims whose subject group changed (new claims, keys whose
component changed, subject-less claims when the largest component changed); (3) step 3 re-chains,
per subject group that a claim entered or left, its stored parts (as ranges) together with the claims
that entered and the members of the parts that lost a claim: the chain rule only looks at neighbours,
so a part a claim did not touch stays a range; (4) claims whose subject group or cluster id changed
are rewritten, once (steps 3-4 read the new subject groups from a temp table meanwhile);
(5) a cluster that only gained claims adds them to its totals and value counts (distinct sources and
label counts from ``link.cluster_values``, distinct articles from the other claims of the added
claims' articles); a cluster that lost a claim, or whose sources changed, is totalled and counted
again from its members; summaries are formatted from the totals, and only
``derived.claim_clusters`` rows whose cluster or label changed are rewritten.

Cluster ids depend on the members only, and every step gives what `cluster_claims` gives on the whole
group, so any split of the corpus into runs gives the same outputs as one run (a full run is the same
code with every claim entering).  Memory stays bounded: new claims are read and derived in batches of
`CLAIM_BATCH`; steps 2-5 are SQL (DuckDB, under the link's memory cap, spilling beyond), rewriting and
totalling in batches of `ROWS_BATCH` claims (each batch scans ``link.claims`` once); Python holds
only the keys of groups in pairwise mode (<= `PAIRWISE_MAX_KEYS` each) and one row per changed cluster.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb
import pandas as pd

from flows.text.clusters import (
    EVENT_GAP_DAYS,
    PAIRWISE_MAX_KEYS,
    SUMMARY_COLUMNS,
    TEXT_MIN_TOKENS,
    VALUE_GAP,
    clustering_inputs,
    format_conflict,
    format_label,
    key_components,
)
from flows.warehouse import frames_registered as _Frames
from flows.warehouse import has_tables, insert_frame

_STORED = ("lab1", "lab2", "lo", "hi", "exact", "vmin", "vmax")
CLAIM_BATCH = 50_000  # new claims read from raw.claims and derived per batch (Python frames)
ROWS_BATCH = 250_000  # claims rewritten / clusters' members totalled per SQL batch (each batch scans
# link.claims once, so a full run costs (claims / ROWS_BATCH) scans: small batches make it quadratic)

CLAIMS_DDL = """
create table if not exists link.claims (
    claim_id varchar not null, article_id varchar not null, claim_index integer not null,
    story_id varchar not null, group_key varchar not null, kind varchar not null,
    key varchar not null, position double, sgid varchar, cluster_id varchar,
    lab1 varchar, lab2 varchar, lo double, hi double, exact boolean, vmin double, vmax double
);
create table if not exists link.claim_keys (
    story_id varchar not null, group_key varchar not null, key varchar not null, comp varchar not null
);
create table if not exists link.claim_subjects (
    story_id varchar not null, group_key varchar not null, key varchar not null,
    n bigint not null, first_id varchar not null
);
create table if not exists link.claim_parts (
    story_id varchar not null, group_key varchar not null, sgid varchar not null,
    lo double, hi double, n bigint not null, first_id varchar not null, cluster_id varchar not null
);
create table if not exists link.cluster_totals (
    cluster_id varchar not null, kind varchar, story_id varchar, n_claims bigint, n_articles bigint,
    n_sources bigint, vmin double, vmax double, first_day double, last_day double,
    lab1 varchar, lab1_n bigint, lab2 varchar, lab2_n bigint,
    exact_lo struct(v double, id varchar), exact_hi struct(v double, id varchar),
    low_hi struct(lo double, hi double, id varchar), high_lo struct(lo double, hi double, id varchar)
);
create table if not exists link.cluster_values (
    cluster_id varchar not null, field varchar not null, v varchar not null, n bigint not null
);
"""
_NEW_TABLES = ("claims", "claim_subjects", "claim_parts", "cluster_totals")

_RAW_COLUMNS = """r.document_id as article_id, r.claim_index, md5(r.document_id || '|' || r.claim_index) as claim_id,
    r.claim_type, r.claim_text, r.quantity_value, r.quantity_low, r.quantity_high, r.quantity_unit,
    r.qualifier, r.attributed_to, r.subject, r.event_verb, r.event_date"""
_TEMP = ("_lc_removed", "_lc_touched", "_lc_fresh", "_lc_changed", "_lc_rows", "_lc_move", "_lc_sg",
         "_lc_parts", "_lc_recid", "_lc_d", "_lc_old", "_lc_tot", "_lc_cl", "_lc_aff", "_lc_pool", "_lc_lost",
         "_lc_items", "_lc_in", "_lc_drv", "_lc_batch", "_lc_clb", "_lc_set", "_lc_now", "_lc_vals")

# claims of a subject group (quantities with a unit, events) with / without a subject; chained claims
# (`p`: a table alias with its dot)
def _subject(p: str = "") -> str:
    return f"({p}kind = 'event' or ({p}kind = 'quantity' and {p}group_key <> 'quantity|'))"


def _named(p: str = "") -> str:
    return f"({p}key <> '' and {_subject(p)})"


def _unnamed(p: str = "") -> str:
    return f"({p}key = '' and {_subject(p)})"


def _chained(p: str = "") -> str:
    return f"({p}position is not null and {_subject(p)})"


def _ids(values) -> pd.DataFrame:
    return pd.DataFrame({"id": pd.Series(sorted(set(values)), dtype="object")})


def claims_indexed(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the state already has ``link.claims`` (older state files only have the outputs)."""
    return has_tables(con, "link", "claims")


def _values_counted(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the state has ``link.cluster_values`` (state files made before it have the totals only)."""
    return has_tables(con, "link", "cluster_values")


# each cluster's value counts from its members (`_VALUES_SQL.format(claims=...)`: a query of claims
# with cluster_id, lab1, lab2 and source_id)
_VALUES_SQL = """
select cluster_id, 'lab1' as field, lab1 as v, count(*) as n from {claims} where lab1 is not null group by all
union all select cluster_id, 'lab2', lab2, count(*) from {claims} where lab2 is not null group by all
union all select cluster_id, 'source', source_id, count(*) from {claims} where source_id is not null group by all"""


def _count_values(con) -> None:
    """Fill ``link.cluster_values`` from every cluster's members, once (a state made before it)."""
    con.execute("insert into link.cluster_values " + _VALUES_SQL.format(
        claims="(select c.cluster_id, c.lab1, c.lab2, a.source_id from link.claims c "
               "left join link.articles a using (article_id) where c.cluster_id is not null)"))


def clusters_indexed(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the state has the part ranges and cluster totals too (state files made before them
    have ``link.claims`` only: their claims' inputs are kept, their clusters are indexed once)."""
    return has_tables(con, "link", *_NEW_TABLES)


def update_claim_clusters(con: duckdb.DuckDBPyConnection, run_id: str, moved: set[str], rederived: set[str],
                          resourced: set[str], story_of: dict[str, str], fetch,
                          batch: int | None = None, rows_batch: int | None = None,
                          stored: set[str] | None = None) -> dict:
    """Bring ``link.claims`` and ``derived.claim_clusters`` / ``derived.cluster_summary`` up to date.

    `moved`: articles whose claims or story changed; `rederived`: those of them whose claims are new
    (new, re-derived or vanished articles: their claims are read again from ``raw.claims``);
    `resourced`: articles whose source changed only (their clusters are totalled again);
    `story_of`: the story of every moved article still linked (sources are read from ``link.articles``);
    `fetch(con, sql)`: rows as a DataFrame; `batch` / `rows_batch`: `CLAIM_BATCH` / `ROWS_BATCH`;
    `stored`: the moved articles that were linked before this run (only those have stored claims and
    claim rows; None: any may have)."""
    limit = batch or CLAIM_BATCH
    rows = rows_batch or ROWS_BATCH
    stats = {"reclustered_claims": 0, "resummarised_clusters": 0}
    indexed = clusters_indexed(con)
    counted = _values_counted(con)
    con.execute(CLAIMS_DDL)
    if indexed and not counted:  # totals kept, value counts not yet: count the members once
        _count_values(con)
    for name in _TEMP:
        con.execute(f"drop table if exists {name}")
    con.execute("create temp table _lc_recid (claim_id varchar, old_cid varchar, cluster_id varchar)")
    con.execute("create temp table _lc_changed (cluster_id varchar, lost boolean)")
    if moved:
        _move(con, moved, rederived, story_of, fetch, limit, moved if stored is None else stored & moved)
        if not indexed:  # no counts, parts or totals yet: every claim enters (the caller moved all)
            for table in ("_lc_removed", "link.claim_keys", "link.claim_subjects", "link.claim_parts",
                          "link.cluster_totals", "link.cluster_values"):
                con.execute(f"delete from {table}")  # fixed names
        stats["reclustered_claims"] = _recluster_groups(con, rows)
    if resourced:
        with _Frames(con, _r=_ids(resourced)) as c:
            c.execute("insert into _lc_changed select distinct cluster_id, true from link.claims "
                      "where article_id in (select id from _r)")
    stats["resummarised_clusters"] = _resummarise(con, run_id, rows)
    for name in _TEMP:
        con.execute(f"drop table if exists {name}")
    return stats
# ---------------------------------------------------------------- (1) claims leave and enter groups


def _move(con, moved: set[str], rederived: set[str], story_of: dict[str, str], fetch, limit: int,
          stored: set[str]) -> None:
    """Claims of `moved` articles leave their groups (kept in ``_lc_removed``); those of articles
    that are still linked enter the group of their (new) story with ``cluster_id`` null.  Stored
    claims are looked up for the `stored` ones only (articles new to the link have none: with none
    of those, the stored claims are not scanned)."""
    stories = pd.DataFrame({"id": pd.Series(sorted(moved), dtype=object)})
    stories["story_id"] = pd.Series([story_of.get(a) for a in stories["id"].tolist()], dtype=object)
    held = stories[stories["id"].isin(stored)]
    with _Frames(con, _m=held) as c:
        c.execute("""create temp table _lc_removed as
                     select claim_id, story_id, group_key, kind, key, position, sgid, cluster_id
                     from link.claims where article_id in (select id from _m)""")
        c.execute("delete from derived.claim_clusters where article_id in (select id from _m)")
    # articles whose claims are the same (only their story moved) keep their inputs
    keep = held[~held["id"].isin(rederived) & held["story_id"].notna()]
    fresh_ids = stories[stories["id"].isin(rederived) & stories["story_id"].notna()][["id"]]
    with _Frames(con, _m=held, _k=keep, _f=fresh_ids) as c:
        c.execute("delete from link.claims where article_id in (select id from _m) "
                  "and article_id not in (select id from _k)")
        c.execute("""create temp table _lc_rows as
                     select c.* replace (_k.story_id as story_id, null as sgid, null as cluster_id)
                     from link.claims c join _k on _k.id = c.article_id""")
        c.execute("delete from link.claims where article_id in (select id from _k)")
        c.execute("insert into link.claims select * from _lc_rows")
        c.execute("drop table _lc_rows")
        # numbered in order, so each batch below reads one range (zone maps skip the rest)
        c.execute(f"""create temp table _lc_fresh as
                      select row_number() over (order by r.document_id, r.claim_index) - 1 as rn, {_RAW_COLUMNS}
                      from raw.claims r join _f on _f.id = r.document_id order by rn""")
    total = con.execute("select count(*) from _lc_fresh").fetchall()[0][0]
    for lo in range(0, total, limit):
        raw = fetch(con, f"select * exclude (rn) from _lc_fresh where rn >= {int(lo)} and rn < {int(lo + limit)}")
        inputs = clustering_inputs(raw)
        frame = pd.DataFrame({
            "claim_id": raw["claim_id"], "article_id": raw["article_id"],
            "claim_index": raw["claim_index"].astype("int64"),
            "story_id": pd.Series([story_of[a] for a in raw["article_id"].tolist()], dtype=object),
            "group_key": inputs["group_key"], "kind": inputs["kind"], "key": inputs["key"],
            "position": inputs["position"], **{k: inputs[k] for k in _STORED},
            "sgid": pd.Series([None] * len(raw), dtype=object),
            "cluster_id": pd.Series([None] * len(raw), dtype=object)})
        insert_frame(con, "link.claims", frame)
    with _Frames(con) as c:
        c.execute("""create temp table _lc_touched as
                     select distinct story_id, group_key from _lc_removed
                     union select distinct story_id, group_key from link.claims where cluster_id is null""")




# ---------------------------------------------------------------- (2) keys and subject groups


def _largest_components(con) -> dict[tuple, str]:
    """Step 2's largest component of each touched subject group (most named claims, then smallest
    claim id), from the per-key counts and the stored key components."""
    return {(st, gk): big for st, gk, big in con.execute("""
        select story_id, group_key, first(comp order by n desc, lo) from (
            select s.story_id, s.group_key, coalesce(k.comp, s.key) as comp, sum(s.n) as n, min(s.first_id) as lo
            from link.claim_subjects s semi join _lc_touched using (story_id, group_key)
            left join link.claim_keys k using (story_id, group_key, key)
            group by all)
        group by all""").fetchall()}


def _count_subjects(con) -> None:
    """Per-key named-claim counts of the touched groups: add the claims that entered, take out
    those that left (a key that lost its smallest claim id looks it up again)."""
    con.execute(f"""
        create or replace temp table _lc_sg as
        with delta as (
            select story_id, group_key, key, -1 as d, claim_id from _lc_removed where {_named()}
            union all
            select story_id, group_key, key, 1, claim_id from link.claims where sgid is null and {_named()})
        select d.story_id, d.group_key, d.key, coalesce(any_value(s.n), 0) + sum(d.d) as n,
               case when bool_or(d.d < 0 and d.claim_id = s.first_id) then null
                    else least(any_value(s.first_id), min(d.claim_id) filter (where d.d > 0)) end as first_id
        from delta d left join link.claim_subjects s using (story_id, group_key, key)
        group by all""")
    con.execute(f"""
        update _lc_sg set first_id = x.lo from (
            select story_id, group_key, key, min(claim_id) as lo from link.claims
            semi join (select * from _lc_sg where first_id is null and n > 0) using (story_id, group_key, key)
            where {_named()} group by all) x
        where _lc_sg.story_id = x.story_id and _lc_sg.group_key = x.group_key and _lc_sg.key = x.key""")
    con.execute("delete from link.claim_subjects where (story_id, group_key, key) in "
                "(select (story_id, group_key, key) from _lc_sg)")
    con.execute("insert into link.claim_subjects select story_id, group_key, key, n, first_id from _lc_sg where n > 0")


def _key_components(con) -> list[tuple]:
    """Step 1 for the touched groups in pairwise mode (Python holds only their keys: <=
    `PAIRWISE_MAX_KEYS` each); replaces their ``link.claim_keys`` rows.  Returns the keys whose
    component changed, as (story, group key, key, new component)."""
    # candidate keys: subjects of quantities with a unit / events; texts of >= 4 tokens otherwise
    # (>= n tokens: >= n - 1 spaces, matched by LIKE without copying the text)
    spaces = "%" + " %" * max(TEXT_MIN_TOKENS - 1, 0)
    candidate = ("key <> '' and group_key <> 'quantity|' and (kind in ('quantity', 'event') "
                 f"or key like '{spaces}')")  # a constant pattern of spaces and %
    keys = con.execute(f"""
        with k as (select distinct story_id, group_key, key from link.claims
                   semi join _lc_touched using (story_id, group_key) where {candidate}),
        small as (select story_id, group_key from k group by all having count(*) <= {PAIRWISE_MAX_KEYS})
        select story_id, group_key, key from k semi join small using (story_id, group_key)
        """).fetchall()
    stored = con.execute("""select story_id, group_key, key, comp from link.claim_keys
                            semi join _lc_touched using (story_id, group_key)""").fetchall()
    now: dict[tuple, list[str]] = defaultdict(list)
    for st, gk, key in keys:
        now[(st, gk)].append(key)
    old: dict[tuple, dict[str, str]] = defaultdict(dict)
    for st, gk, key, comp in stored:
        old[(st, gk)][key] = comp
    new: dict[tuple, dict[str, str]] = {}
    rows = []
    for (st, gk), cands in now.items():  # groups in equal-keys mode: a key is its own component
        new[(st, gk)] = comps = key_components(gk, sorted(cands), old.get((st, gk)))
        rows += [(st, gk, k, v) for k, v in comps.items()]
    changed = []
    for group in set(old) | set(new):
        was, comps = old.get(group, {}), new.get(group, {})
        changed += [(*group, k, comps.get(k, k)) for k in set(was) | set(comps) if was.get(k, k) != comps.get(k, k)]
    comp_frame = pd.DataFrame(rows, columns=["story_id", "group_key", "key", "comp"], dtype=object)
    with _Frames(con, _kc=comp_frame) as c:
        c.execute("delete from link.claim_keys where (story_id, group_key) in "
                  "(select (story_id, group_key) from _lc_touched)")
        c.execute("insert into link.claim_keys select story_id, group_key, key, comp from _kc")
    return changed


def _regroup(con) -> None:
    """Steps 1-2: the claims that enter or leave a subject group (``_lc_move``: old / new ``sgid``;
    removed claims have no new one, new claims no old one); their new ``sgid`` in ``_lc_in``."""
    old_big = _largest_components(con)
    _count_subjects(con)
    changed_keys = _key_components(con)
    new_big = _largest_components(con)
    big = pd.DataFrame([(st, gk, b) for (st, gk), b in new_big.items()],
                       columns=["story_id", "group_key", "big"], dtype=object)
    moved_big = pd.DataFrame([(st, gk, new_big.get((st, gk), "")) for st, gk in set(old_big) | set(new_big)
                              if old_big.get((st, gk), "") != new_big.get((st, gk), "")],
                             columns=["story_id", "group_key", "big"], dtype=object)
    rekeyed = pd.DataFrame(changed_keys, columns=["story_id", "group_key", "key", "comp"], dtype=object)
    cols = "c.claim_id, c.story_id, c.group_key, c.kind, c.key, c.position"
    with _Frames(con, _big=big, _moved_big=moved_big, _rekeyed=rekeyed) as c:
        c.execute(f"""
            create or replace temp table _lc_move as
            select {cols}, null::varchar as old_sgid,
                   case when c.group_key = 'quantity|' then c.claim_id
                        when {_unnamed('c.')} then coalesce(b.big, '')
                        else coalesce(k.comp, c.key) end as new_sgid
            from link.claims c left join _big b using (story_id, group_key)
            left join link.claim_keys k using (story_id, group_key, key)
            where c.sgid is null
            union all
            select {cols}, c.sgid, r.comp from link.claims c join _rekeyed r using (story_id, group_key, key)
            where c.sgid is not null and c.sgid <> r.comp
            union all
            select {cols}, c.sgid, m.big from link.claims c join _moved_big m using (story_id, group_key)
            where c.sgid is not null and c.sgid <> m.big and {_unnamed('c.')}
            union all
            select claim_id, story_id, group_key, kind, key, position, sgid, null from _lc_removed
            where sgid is not null""")
    con.execute("drop table if exists _lc_sg")
    # the new subject groups are written together with the new cluster ids (`_recluster_groups`)
    con.execute("create or replace temp table _lc_in as select claim_id, new_sgid from _lc_move where new_sgid is not null")


def _rewrite(con, changes: str, rows_sql: str, limit: int) -> None:
    """Replace the ``link.claims`` rows of the claims in table `changes` with what `rows_sql` (over
    ``link.claims c`` joined to the batch ``_lc_batch`` of `changes`) selects, in batches of
    `limit` claims (a full run rewrites every claim: the batches bound the temp tables; each scans
    link.claims, so they are large).  Delete + insert: an UPDATE of many stored rows keeps its undo
    data in memory until the commit (measured: 2M rows under a 200 MB cap run out of memory)."""
    con.execute(f"create or replace temp table _lc_drv as select row_number() over () - 1 as rn, * from {changes}")
    total = con.execute("select count(*) from _lc_drv").fetchall()[0][0]
    for lo in range(0, total, limit):
        con.execute(f"create or replace temp table _lc_batch as select * exclude (rn) from _lc_drv "
                    f"where rn >= {int(lo)} and rn < {int(lo + limit)}")
        con.execute(f"create or replace temp table _lc_rows as {rows_sql}")
        con.execute("delete from link.claims where claim_id in (select claim_id from _lc_rows)")
        con.execute("insert into link.claims select * from _lc_rows")
    for name in ("_lc_drv", "_lc_batch", "_lc_rows"):
        con.execute(f"drop table if exists {name}")


# ---------------------------------------------------------------- (3)-(4) chain the parts, new cluster ids

# link.claims with the subject groups of step 2 (``_lc_now``: not written yet)
_CLAIMS_NOW = """(select claim_id, story_id, group_key, kind, position, sgid, cluster_id
                   from link.claims anti join _lc_now using (claim_id)
                   union all select * from _lc_now)"""

_CHAIN_BREAK = (f"prev is null or (group_key like 'quantity|%' and lo > prev * {VALUE_GAP!r}) "
                f"or (group_key like 'event|%' and lo - prev > {EVENT_GAP_DAYS})")
_CLUSTER_ID = "'clu_' || left(sha1(split_part(group_key, '|', 1) || '|' || {first}), 16)"


def _recluster_groups(con, limit: int) -> int:
    """Steps 1-3 for the subject groups claims entered or left; records the claims whose cluster
    changed in ``_lc_recid`` and the clusters that gained or lost one in ``_lc_changed``.  Returns
    the number of claims whose cluster changed."""
    _regroup(con)
    keys = "story_id, group_key, sgid"
    on = "p.story_id = m.story_id and p.group_key = m.group_key"
    con.execute("""create or replace temp table _lc_aff as
                    select distinct story_id, group_key, old_sgid as sgid from _lc_move where old_sgid is not null
                    union select distinct story_id, group_key, new_sgid from _lc_move where new_sgid is not null""")
    # the claims that changed subject group, in their new one (``_lc_in``: written with the new
    # cluster ids at the end); steps 3-4 read the claims through `_CLAIMS_NOW`
    con.execute("""create or replace temp table _lc_now as
                   select c.claim_id, c.story_id, c.group_key, c.kind, c.position, i.new_sgid as sgid, c.cluster_id
                   from link.claims c join _lc_in i using (claim_id)""")
    # the pool (unchained claims) of each affected subject group
    con.execute(f"""
        create or replace temp table _lc_pool as
        with delta as (
            select story_id, group_key, old_sgid as sgid, -1 as d, claim_id from _lc_move
            where old_sgid is not null and not {_chained()}
            union all
            select story_id, group_key, new_sgid, 1, claim_id from _lc_move
            where new_sgid is not null and not {_chained()})
        select a.story_id, a.group_key, a.sgid, coalesce(any_value(p.n), 0) + coalesce(sum(d.d), 0) as n,
               case when bool_or(d.d < 0 and d.claim_id = p.first_id) then null
                    else least(any_value(p.first_id), min(d.claim_id) filter (where d.d > 0)) end as first_id,
               any_value(p.cluster_id) as old_cid
        from _lc_aff a left join delta d using ({keys})
        left join link.claim_parts p on p.lo is null and p.story_id = a.story_id and p.group_key = a.group_key
                                     and p.sgid = a.sgid
        group by all""")
    con.execute(f"""
        update _lc_pool set first_id = x.lo from (
            select {keys}, min(claim_id) as lo from {_CLAIMS_NOW} c
            semi join (select * from _lc_pool where first_id is null and n > 0) using ({keys})
            where not {_chained()} group by all) x
        where _lc_pool.story_id = x.story_id and _lc_pool.group_key = x.group_key and _lc_pool.sgid = x.sgid""")
    # chained parts: the stored ranges, but those that lost a claim are split back into their members
    con.execute(f"""
        create or replace temp table _lc_lost as
        select distinct p.story_id, p.group_key, p.sgid, p.lo, p.hi from link.claim_parts p
        join _lc_move m on {on} and p.sgid = m.old_sgid and m.position between p.lo and p.hi
        where p.lo is not null and m.old_sgid is not null and {_chained('m.')}""")
    con.execute(f"""
        create or replace temp table _lc_items as
        select p.story_id, p.group_key, p.sgid, p.lo, p.hi, p.n, p.first_id, p.cluster_id as old_cid, true as whole
        from link.claim_parts p semi join _lc_aff using ({keys})
        anti join _lc_lost l using ({keys}, lo)
        where p.lo is not null
        union all
        select story_id, group_key, sgid, position, position, 1, claim_id, cluster_id, false from (
            select c.story_id, c.group_key, c.sgid, c.position, c.claim_id, c.cluster_id from {_CLAIMS_NOW} c
            join _lc_lost l on l.story_id = c.story_id and l.group_key = c.group_key and l.sgid = c.sgid
                           and c.position between l.lo and l.hi
            union
            select c.story_id, c.group_key, c.sgid, c.position, c.claim_id, c.cluster_id from {_CLAIMS_NOW} c
            semi join (select claim_id from _lc_move where new_sgid is not null) using (claim_id)
            where {_chained('c.')})""")
    # the chain rule: sorted by position, a new part where the gap to the furthest position so far
    # is too wide (a stored part is one item: its members have no such gap)
    con.execute(f"""
        create or replace temp table _lc_items as
        with o as (
            select *, max(hi) over (partition by {keys} order by lo, first_id
                                    rows between unbounded preceding and 1 preceding) as prev
            from _lc_items)
        select *, sum(case when {_CHAIN_BREAK} then 1 else 0 end) over (
                      partition by {keys} order by lo, first_id rows between unbounded preceding and current row) as part
        from o""")
    # unchained claims join the largest part (most positioned claims, then the first)
    con.execute(f"""
        create or replace temp table _lc_parts as
        with parts as (
            select {keys}, part, min(lo) as lo, max(hi) as hi, sum(n) as n, min(first_id) as first_id
            from _lc_items group by all),
        big as (select {keys}, first(part order by n desc, lo) as part from parts group by all)
        select p.story_id, p.group_key, p.sgid, p.part, p.lo, p.hi, p.n, p.first_id, {_CLUSTER_ID.format(
            first="case when b.part is not null and q.n > 0 then least(p.first_id, q.first_id) else p.first_id end")}
            as cluster_id, b.part is not null as big
        from parts p left join big b using ({keys}, part) left join _lc_pool q using ({keys})""")
    con.execute(f"""
        create or replace temp table _lc_pool as
        select q.*, coalesce(p.cluster_id, {_CLUSTER_ID.format(first='q.first_id')}) as cluster_id
        from _lc_pool q left join (select * from _lc_parts where big) p using ({keys})""")
    # claims whose cluster changed: members of items that went to a part with another id, and the
    # pool's claims when the pool's id changed (or that entered it)
    con.execute(f"""
        insert into _lc_recid
        select c.claim_id, i.old_cid, p.cluster_id
        from _lc_items i join _lc_parts p using ({keys}, part)
        join {_CLAIMS_NOW} c on c.story_id = i.story_id and c.group_key = i.group_key and c.sgid = i.sgid
                          and c.position between i.lo and i.hi
        where i.whole and i.old_cid is distinct from p.cluster_id
          and c.claim_id not in (select claim_id from _lc_move where new_sgid is not null)
        union all
        select i.first_id, i.old_cid, p.cluster_id from _lc_items i join _lc_parts p using ({keys}, part)
        where not i.whole and i.old_cid is distinct from p.cluster_id
        union all
        select c.claim_id, c.cluster_id, q.cluster_id from {_CLAIMS_NOW} c join _lc_pool q using ({keys})
        where q.n > 0 and not {_chained('c.')}
          and c.cluster_id is distinct from q.cluster_id
          and (q.old_cid is distinct from q.cluster_id
               or c.claim_id in (select claim_id from _lc_move where new_sgid is not null))""")
    con.execute(f"delete from link.claim_parts where ({keys}) in (select ({keys}) from _lc_aff)")
    con.execute("""insert into link.claim_parts
                   select story_id, group_key, sgid, lo, hi, n, first_id, cluster_id from _lc_parts
                   union all
                   select story_id, group_key, sgid, null, null, n, first_id, cluster_id from _lc_pool where n > 0""")
    for name in ("_lc_move", "_lc_aff", "_lc_pool", "_lc_lost", "_lc_items", "_lc_parts", "_lc_now"):
        con.execute(f"drop table if exists {name}")  # before the rewrite: a full run's are large
    # one rewrite of the claims whose subject group or cluster changed
    con.execute("""create or replace temp table _lc_set as
                   select claim_id, i.new_sgid, r.cluster_id as new_cid
                   from _lc_in i full join (select claim_id, cluster_id from _lc_recid) r using (claim_id)""")
    con.execute("drop table _lc_in")
    _rewrite(con, "_lc_set", "select c.* replace (coalesce(b.new_sgid, c.sgid) as sgid, coalesce(b.new_cid, "
                             "c.cluster_id) as cluster_id) from link.claims c join _lc_batch b using (claim_id)", limit)
    con.execute("drop table _lc_set")
    con.execute("""insert into _lc_changed
                   select cluster_id, false from _lc_recid
                   union all select old_cid, true from _lc_recid where old_cid is not null
                   union all select cluster_id, true from _lc_removed where cluster_id is not null""")
    return con.execute("select count(*) from _lc_recid").fetchall()[0][0]


# ---------------------------------------------------------------- (5) totals, labels, rows, summaries


def _resummarise(con, run_id: str, limit: int) -> int:
    """Bring the totals of the clusters in ``_lc_changed`` up to date, re-format their summaries and
    rewrite the ``derived.claim_clusters`` rows of the claims whose cluster or label changed.

    A cluster that only gained claims (and has totals) adds the claims that entered it; any other
    (lost a claim, sources changed, new id) is totalled from all its members.  The label values and
    sources of the added claims are counted with the cluster's stored value counts (``_lc_vals``), their
    articles checked against the cluster's other claims of those articles (``_lc_old``).
    Clusters go in batches of about `limit` claims read (the link's memory cap)."""
    con.execute("""
        create or replace temp table _lc_cl as
        with cl as (
            select cluster_id, bool_or(lost) or cluster_id not in (select cluster_id from link.cluster_totals) as whole
            from _lc_changed where cluster_id is not null group by 1),
        n as (
            select cluster_id, count(*) as n from _lc_recid semi join (select cluster_id from cl where not whole)
            using (cluster_id) group by 1
            union all
            select cluster_id, count(*) from link.claims semi join (select cluster_id from cl where whole)
            using (cluster_id) group by 1)
        select cl.cluster_id, cl.whole, (sum(coalesce(n.n, 0)) over (order by cl.cluster_id
                 rows between unbounded preceding and current row)) // ? as batch
        from cl left join n using (cluster_id)""", [limit])
    n_batches = con.execute("select coalesce(max(batch) + 1, 0) from _lc_cl").fetchall()[0][0]
    n_clusters = 0
    for k in range(n_batches):
        con.execute(f"create or replace temp table _lc_clb as select * from _lc_cl where batch = {int(k)}")
        n_clusters += _resummarise_batch(con, run_id)
    return n_clusters


def _resummarise_batch(con, run_id: str) -> int:
    """`_resummarise` for the clusters in ``_lc_clb``."""
    con.execute("""
        create or replace temp table _lc_d as
        select c.cluster_id, c.claim_id, c.article_id, a.source_id, c.kind, c.story_id, c.position,
               c.lo, c.hi, c.exact, c.vmin, c.vmax, c.lab1, c.lab2, not x.whole as add
        from (select distinct r.claim_id, false as whole from _lc_recid r
              semi join (select cluster_id from _lc_clb where not whole) using (cluster_id)
              union all
              select c.claim_id, true from link.claims c
              semi join (select cluster_id from _lc_clb where whole) using (cluster_id)) x
        join link.claims c using (claim_id) left join link.articles a using (article_id)""")
    con.execute("""
        create or replace temp table _lc_vals as
        select * from link.cluster_values
        semi join (select cluster_id from _lc_clb where not whole) using (cluster_id)""")
    con.execute("""
        create or replace temp table _lc_old as
        with d as (select * from _lc_d where add)
        select distinct c.cluster_id, c.article_id from link.claims c
        where c.article_id in (select article_id from d) and c.cluster_id in (select cluster_id from d)
          and c.claim_id not in (select claim_id from d)""")
    con.execute(_TOTALS_SQL)
    labels_before = dict(con.execute("""select cluster_id, label from derived.cluster_summary
                                        where cluster_id in (select cluster_id from _lc_clb)""").fetchall())
    con.execute("delete from link.cluster_totals where cluster_id in (select cluster_id from _lc_clb)")
    con.execute("insert into link.cluster_totals select * from _lc_tot")
    # value counts: the stored ones of clusters that only gained claims plus those of `_lc_d`
    con.execute("insert into _lc_vals " + _VALUES_SQL.format(claims="_lc_d"))
    con.execute("delete from link.cluster_values where cluster_id in (select cluster_id from _lc_clb)")
    con.execute("insert into link.cluster_values select cluster_id, field, v, sum(n) from _lc_vals group by all")
    con.execute("delete from derived.cluster_summary where cluster_id in (select cluster_id from _lc_clb)")
    rows = con.execute("""
        select cluster_id, kind, story_id, n_claims, n_articles, n_sources, vmin, vmax, first_day::bigint,
               last_day::bigint, lab1, lab2, exact_lo, exact_hi, low_hi, high_lo
        from _lc_tot order by cluster_id""").fetchall()
    out, relabelled = [], []
    for (cid, kind, story, n_claims, n_articles, n_sources, vmin, vmax, first_day, last_day,
         lab1, lab2, exact_lo, exact_hi, low_hi, high_lo) in rows:
        quantity = kind == "quantity"
        label = format_label(kind, lab1, lab2, first_day, last_day)
        conflict, evidence = format_conflict(
            kind, quantity and exact_lo and (exact_lo["v"], exact_lo["id"]) or None,
            quantity and exact_hi and (exact_hi["v"], exact_hi["id"]) or None,
            quantity and low_hi and (low_hi["lo"], low_hi["hi"], low_hi["id"]) or None,
            quantity and high_lo and (high_lo["lo"], high_lo["hi"], high_lo["id"]) or None, first_day, last_day)
        agreement = "single_source" if n_sources <= 1 else "conflicting" if conflict else "consistent"
        if labels_before.get(cid) != label:
            relabelled.append((cid, label))
        out.append((cid, label, kind, story, n_claims, n_articles, n_sources,
                    float("nan") if vmin is None else vmin, float("nan") if vmax is None else vmax,
                    agreement, evidence))
    del rows
    summary = pd.DataFrame(out, columns=SUMMARY_COLUMNS)
    insert_frame(con, "derived.cluster_summary", summary.assign(run_id=run_id))
    # rows to write: claims whose cluster changed, and every claim of a cluster whose label changed
    with _Frames(con, _l=pd.DataFrame(relabelled, columns=["cluster_id", "label"], dtype=object)) as c:
        c.execute("""
            create or replace temp table _lc_rows as
            select c.claim_id, c.cluster_id, s.label as cluster_label, c.story_id, c.group_key, c.article_id
            from link.claims c join derived.cluster_summary s using (cluster_id)
            where c.cluster_id in (select cluster_id from _lc_clb)
              and (c.claim_id in (select claim_id from _lc_recid semi join _lc_clb using (cluster_id))
                   or c.cluster_id in (select cluster_id from _l))""")
    con.execute("delete from derived.claim_clusters where claim_id in (select claim_id from _lc_rows)")
    con.execute("insert into derived.claim_clusters by name select *, ? as run_id from _lc_rows", [run_id])
    return len(out)


def _label_totals(column: str) -> str:
    """The CTE `<column>` of `_TOTALS_SQL`: per changed cluster, its most common label value (`m.v`, then
    shortest, then first) with its count (`m.n`), from the added claims, the stored value counts and
    the stored totals (`column` is one of the constant label columns, never data)."""
    return f"""{column} as (
    select cluster_id, arg_min(struct_pack(v := v, n := n), struct_pack(a := -n, b := length(v), c := v)) as m
    from (select d.cluster_id, d.v, d.n + coalesce(o.n, 0) as n
          from (select cluster_id, {column} as v, count(*) as n from _lc_d where {column} is not null group by all) d
          left join (select cluster_id, v, n from _lc_vals where field = '{column}') o using (cluster_id, v)
          union all
          select cluster_id, {column}, {column}_n from base where {column} is not null)
    group by 1)"""


# per changed cluster: its stored totals (clusters that only gained claims) merged with the
# aggregates of `_lc_d` (the claims added, or all members); label = most common value, then shortest,
# then first; exact_hi = the smallest exact figure above the smallest one
_TOTALS_SQL = """
create or replace temp table _lc_tot as
with agg as (
    select cluster_id, bool_or(add) as add, any_value(kind) as kind, any_value(story_id) as story_id,
           count(*) as n, min(vmin) as vmin, max(vmax) as vmax,
           min(position) filter (where kind = 'event') as first_day,
           max(position) filter (where kind = 'event') as last_day,
           arg_min(struct_pack(v := lo, id := claim_id), struct_pack(v := lo, id := claim_id))
               filter (where exact) as exact_lo,
           arg_min(struct_pack(lo := lo, hi := hi, id := claim_id), struct_pack(h := hi, id := claim_id))
               filter (where kind = 'quantity') as low_hi,
           arg_max(struct_pack(lo := lo, hi := hi, id := claim_id), struct_pack(l := lo, id := claim_id))
               filter (where kind = 'quantity') as high_lo
    from _lc_d group by 1),
base as (select t.* from link.cluster_totals t semi join (select cluster_id from agg where add) using (cluster_id)),
arts as (
    select cluster_id, count(distinct article_id) as n from _lc_d d
    where not exists (select 1 from _lc_old o where o.cluster_id = d.cluster_id and o.article_id = d.article_id)
    group by 1),
srcs as (
    select cluster_id, count(distinct source_id) as n from _lc_d d
    where not exists (select 1 from _lc_vals o where o.cluster_id = d.cluster_id and o.field = 'source'
                      and o.v = d.source_id)
    group by 1),
""" + _label_totals("lab1") + ",\n" + _label_totals("lab2") + """,
merged as (
    select a.cluster_id, a.kind, a.story_id, coalesce(b.n_claims, 0) + a.n as n_claims,
           coalesce(b.n_articles, 0) + coalesce(ar.n, 0) as n_articles,
           coalesce(b.n_sources, 0) + coalesce(sr.n, 0) as n_sources,
           least(b.vmin, a.vmin) as vmin, greatest(b.vmax, a.vmax) as vmax,
           least(b.first_day, a.first_day) as first_day, greatest(b.last_day, a.last_day) as last_day,
           l1.m.v as lab1, l1.m.n as lab1_n, l2.m.v as lab2, l2.m.n as lab2_n,
           least(b.exact_lo, a.exact_lo) as exact_lo, b.exact_lo as old_exact_lo, b.exact_hi as old_exact_hi,
           case when b.low_hi is null then a.low_hi when a.low_hi is null then b.low_hi
                when struct_pack(h := b.low_hi.hi, id := b.low_hi.id) < struct_pack(h := a.low_hi.hi, id := a.low_hi.id)
                then b.low_hi else a.low_hi end as low_hi,
           case when b.high_lo is null then a.high_lo when a.high_lo is null then b.high_lo
                when struct_pack(l := b.high_lo.lo, id := b.high_lo.id) > struct_pack(l := a.high_lo.lo, id := a.high_lo.id)
                then b.high_lo else a.high_lo end as high_lo
    from agg a left join base b using (cluster_id) left join arts ar using (cluster_id)
    left join srcs sr using (cluster_id) left join lab1 l1 using (cluster_id) left join lab2 l2 using (cluster_id)),
exact_hi as (
    select m.cluster_id, arg_min(e.e, e.e) as exact_hi
    from merged m join (
        select cluster_id, struct_pack(v := lo, id := claim_id) as e from _lc_d where exact
        union all select cluster_id, old_exact_lo from merged where old_exact_lo is not null
        union all select cluster_id, old_exact_hi from merged where old_exact_hi is not null) e using (cluster_id)
    where e.e.v > m.exact_lo.v
    group by 1)
select m.cluster_id, m.kind, m.story_id, m.n_claims, m.n_articles, m.n_sources, m.vmin, m.vmax, m.first_day,
       m.last_day, m.lab1, m.lab1_n, m.lab2, m.lab2_n, m.exact_lo, e.exact_hi, m.low_hi, m.high_lo
from merged m left join exact_hi e using (cluster_id)
"""
