"""Claim clusters kept incrementally in the state file (the claim half of `flows.link`).

`flows.text.clusters.cluster_claims` clusters the claims of each (story, group key) group in three
steps (see the section "the same rules, one claim at a time" there); this module keeps what each step
compares, so that a run only redoes what its new, re-derived, removed or re-storied claims change:

* ``link.claims``: per claim its group (story, group key), kind, ``key`` and ``position``
  (`clustering_inputs`), its subject group ``sgid`` and its ``cluster_id``;
* ``link.claim_keys``: for every group in pairwise mode (<= `PAIRWISE_MAX_KEYS` candidate keys) each
  candidate key's component (its smallest key); groups in equal-keys mode have no rows.

A run: (1) the claims of moved articles leave their groups (re-derived / vanished ones are deleted,
those whose story changed only change group); new claims are read from ``raw.claims`` once;
(2) per touched group, step 1 (`key_components`) compares only keys new to the group with the others
and recomputes only components that lost a key (the whole group when it crosses the
`PAIRWISE_MAX_KEYS` switch: that rule is group-wide); (3) step 2 (largest component) is a count per
component, in SQL; a subject group is *dirty* when a claim entered or left it; (4) step 3 re-chains
only the dirty subject groups, in SQL, from the stored positions; (5) clusters that gained or lost a
claim are relabelled and re-summarised (with clusters whose sources changed), reading their members
from ``raw.claims``; only ``derived.claim_clusters`` rows whose cluster or label changed are rewritten.

Cluster ids depend on the members only, and every step gives what `cluster_claims` gives on the whole
group, so any split of the corpus into runs gives the same outputs as one run.  Memory stays bounded:
new claims are read and derived in batches of `CLAIM_BATCH`; the per-claim work of steps 2-5 is SQL
(DuckDB, under the link's memory cap, spilling beyond); Python holds only the keys of groups in
pairwise mode (<= `PAIRWISE_MAX_KEYS` each) and one row per changed cluster.
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
from flows.warehouse import insert_frame

_STORED = ("lab1", "lab2", "lo", "hi", "exact", "vmin", "vmax")
CLAIM_BATCH = 50_000  # new claims read from raw.claims and derived per batch

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
"""

_RAW_COLUMNS = """r.document_id as article_id, r.claim_index, md5(r.document_id || '|' || r.claim_index) as claim_id,
    r.claim_type, r.claim_text, r.quantity_value, r.quantity_low, r.quantity_high, r.quantity_unit,
    r.qualifier, r.attributed_to, r.subject, r.event_verb, r.event_date"""
_TEMP = ("_lc_removed", "_lc_touched", "_lc_fresh", "_lc_cur", "_lc_new", "_lc_changed", "_lc_redo",
         "_lc_members", "_lc_part", "_lc_rows")


def _ids(values) -> pd.DataFrame:
    return pd.DataFrame({"id": pd.Series(sorted(set(values)), dtype="object")})


def claims_indexed(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the state already has ``link.claims`` (older state files only have the outputs)."""
    return bool(con.execute("select count(*) from duckdb_tables() where schema_name = 'link' "
                            "and table_name = 'claims'").fetchone()[0])


def update_claim_clusters(con: duckdb.DuckDBPyConnection, run_id: str, moved: set[str], rederived: set[str],
                          resourced: set[str], story_of: dict[str, str], fetch,
                          batch: int | None = None) -> dict:
    """Bring ``link.claims`` and ``derived.claim_clusters`` / ``derived.cluster_summary`` up to date.

    `moved`: articles whose claims or story changed; `rederived`: those of them whose claims are new
    (new, re-derived or vanished articles: their claims are read again from ``raw.claims``);
    `resourced`: articles whose source changed only (their clusters are re-summarised);
    `story_of`: every linked article's story (sources are read from ``link.articles``);
    `fetch(con, sql)`: rows as a DataFrame."""
    limit = batch or CLAIM_BATCH
    stats = {"reclustered_claims": 0, "resummarised_clusters": 0}
    con.execute(CLAIMS_DDL)
    for name in _TEMP:
        con.execute(f"drop table if exists {name}")
    con.execute("create temp table _lc_changed (cluster_id varchar)")
    if moved:
        _move(con, moved, rederived, story_of, fetch, limit)
        stats["reclustered_claims"] = _recluster_groups(con)
    if resourced:
        with _Frames(con, _r=_ids(resourced)) as c:
            c.execute("insert into _lc_changed select distinct cluster_id from link.claims "
                      "where article_id in (select id from _r)")
    stats["resummarised_clusters"] = _resummarise(con, run_id, limit)
    for name in _TEMP:
        con.execute(f"drop table if exists {name}")
    return stats


# ---------------------------------------------------------------- (1) claims leave and enter groups


def _move(con, moved: set[str], rederived: set[str], story_of: dict[str, str], fetch, limit: int) -> None:
    """Claims of `moved` articles leave their groups (kept in ``_lc_removed``); those of articles
    that are still linked enter the group of their (new) story with ``cluster_id`` null."""
    stories = pd.DataFrame({"id": pd.Series(sorted(moved), dtype=object)})
    stories["story_id"] = pd.Series([story_of.get(a) for a in stories["id"].tolist()], dtype=object)
    with _Frames(con, _m=stories) as c:
        c.execute("""create temp table _lc_removed as
                     select claim_id, story_id, group_key, sgid, cluster_id from link.claims
                     where article_id in (select id from _m)""")
        c.execute("delete from derived.claim_clusters where article_id in (select id from _m)")
    # articles whose claims are the same (only their story moved) keep their inputs
    keep = stories[~stories["id"].isin(rederived) & stories["story_id"].notna()]
    fresh_ids = stories[stories["id"].isin(rederived) & stories["story_id"].notna()][["id"]]
    with _Frames(con, _m=stories, _k=keep, _f=fresh_ids) as c:
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
    total = con.execute("select count(*) from _lc_fresh").fetchone()[0]
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


# ---------------------------------------------------------------- (2)-(4) re-cluster touched groups


def _recluster_groups(con) -> int:
    """Steps 1-3 for the touched groups (``_lc_touched``), in SQL but for step 1 (Python holds only
    the keys of groups in pairwise mode: <= `PAIRWISE_MAX_KEYS` each); records changed clusters in
    ``_lc_changed``.  Returns the number of claims whose subject group was re-chained."""
    # candidate keys: subjects of quantities with a unit / events; texts of >= 4 tokens otherwise
    candidate = ("key <> '' and group_key <> 'quantity|' and (kind in ('quantity', 'event') "
                 f"or length(key) - length(replace(key, ' ', '')) + 1 >= {TEXT_MIN_TOKENS})")
    keys = con.execute(f"""
        with k as (select distinct story_id, group_key, key from link.claims
                   semi join _lc_touched using (story_id, group_key) where {candidate}),
        small as (select story_id, group_key from k group by all having count(*) <= {PAIRWISE_MAX_KEYS})
        select story_id, group_key, key from k semi join small using (story_id, group_key)
        """).fetchall()
    stored = con.execute("""select story_id, group_key, key, comp from link.claim_keys
                            semi join _lc_touched using (story_id, group_key)""").fetchall()
    # step 1: key components of every group in pairwise mode
    now: dict[tuple, list[str]] = defaultdict(list)
    for st, gk, key in keys:
        now[(st, gk)].append(key)
    old: dict[tuple, dict[str, str]] = defaultdict(dict)
    for st, gk, key, comp in stored:
        old[(st, gk)][key] = comp
    rows = []
    for (st, gk), cands in now.items():  # groups in equal-keys mode: a key is its own component
        comps = key_components(gk, sorted(cands), old.get((st, gk)))
        rows += [(st, gk, k, v) for k, v in comps.items()]
    comp_frame = pd.DataFrame(rows, columns=["story_id", "group_key", "key", "comp"], dtype=object)
    with _Frames(con, _kc=comp_frame) as c:
        c.execute("delete from link.claim_keys where (story_id, group_key) in "
                  "(select (story_id, group_key) from _lc_touched)")
        c.execute("insert into link.claim_keys select story_id, group_key, key, comp from _kc")
        # step 2: subject group of every claim (subject-less claims: the largest component)
        c.execute("""
            create or replace temp table _lc_cur as
            select c.claim_id, c.story_id, c.group_key, c.kind, c.key, c.position, c.sgid as old_sgid,
                   c.cluster_id as old_cid,
                   case when c.group_key = 'quantity|' then c.claim_id else coalesce(k.comp, c.key) end as comp
            from link.claims c semi join _lc_touched using (story_id, group_key)
            left join _kc k using (story_id, group_key, key)
            """)
    con.execute("""
        create or replace temp table _lc_new as
        with named as (
            select story_id, group_key, comp, count(*) as n, min(claim_id) as lo from _lc_cur
            where key <> '' and (kind = 'event' or (kind = 'quantity' and group_key <> 'quantity|'))
            group by all),
        big as (select story_id, group_key, first(comp order by n desc, lo) as comp from named group by all)
        select c.*, case when c.key = '' and (c.kind = 'event' or (c.kind = 'quantity' and c.group_key <> 'quantity|'))
                         then coalesce(b.comp, '') else c.comp end as sgid
        from _lc_cur c left join big b using (story_id, group_key)
        """)
    # dirty subject groups: a claim entered or left them
    con.execute("""
        create or replace temp table _lc_cur as
        with left_old as (
            select r.story_id, r.group_key, r.sgid from _lc_removed r
            where r.sgid is not null
            union select story_id, group_key, old_sgid from _lc_new where old_sgid is distinct from sgid
                                                                  and old_sgid is not null),
        dirty as (
            select distinct n.story_id, n.group_key, n.sgid from _lc_new n
            left join left_old o on o.story_id = n.story_id and o.group_key = n.group_key and o.sgid = n.old_sgid
            where n.old_sgid is null or n.old_sgid <> n.sgid or o.sgid is not null)
        select n.* from _lc_new n semi join dirty d using (story_id, group_key, sgid)
        """)
    n_dirty = con.execute("select count(*) from _lc_cur").fetchone()[0]
    # step 3: chain positions inside each dirty subject group; unpositioned claims join the largest part
    con.execute(f"""
        create or replace temp table _lc_cur as
        with v as (
            select claim_id, story_id, group_key, sgid, kind, position,
                   lag(position) over w as prev
            from _lc_cur
            where position is not null and (kind = 'event' or (kind = 'quantity' and group_key <> 'quantity|'))
            window w as (partition by story_id, group_key, sgid order by position, claim_id)),
        p as (
            select claim_id, story_id, group_key, sgid,
                   sum(case when prev is null
                             or (kind = 'quantity' and position > prev * {VALUE_GAP!r})
                             or (kind = 'event' and position - prev > {EVENT_GAP_DAYS}) then 1 else 0 end)
                   over (partition by story_id, group_key, sgid order by position, claim_id
                         rows between unbounded preceding and current row) as part
            from v),
        sizes as (select story_id, group_key, sgid, part, count(*) as n from p group by all),
        big as (select story_id, group_key, sgid, first(part order by n desc, part) as part from sizes group by all),
        parts as (
            select c.claim_id, c.story_id, c.group_key, c.sgid, c.kind, c.old_cid,
                   coalesce(p.part, b.part, 0) as part
            from _lc_cur c left join p using (claim_id)
            left join big b on b.story_id = c.story_id and b.group_key = c.group_key and b.sgid = c.sgid)
        select claim_id, sgid, old_cid,
               'clu_' || left(sha1(kind || '|' || min(claim_id) over (partition by story_id, group_key, sgid, part)), 16)
               as cluster_id
        from parts
        """)
    # clusters that gained or lost a claim
    con.execute("""
        insert into _lc_changed
        select cluster_id from _lc_cur where old_cid is distinct from cluster_id
        union select old_cid from _lc_cur where old_cid is not null and old_cid <> cluster_id
        union select r.cluster_id from _lc_removed r where r.cluster_id is not null
        """)
    # rows whose subject group or cluster changed: delete + insert (an UPDATE of many rows keeps its
    # undo data in memory until the commit; deleted rows are only marked)
    con.execute("""
        create or replace temp table _lc_rows as
        select c.* replace (n.sgid as sgid, coalesce(d.cluster_id, n.old_cid) as cluster_id)
        from _lc_new n left join _lc_cur d using (claim_id) join link.claims c using (claim_id)
        where n.old_sgid is distinct from n.sgid or n.old_cid is distinct from coalesce(d.cluster_id, n.old_cid)
        """)
    con.execute("delete from link.claims where claim_id in (select claim_id from _lc_rows)")
    con.execute("insert into link.claims select * from _lc_rows")
    con.execute("drop table if exists _lc_cur")
    con.execute("drop table if exists _lc_new")
    return n_dirty


# ---------------------------------------------------------------- (5) labels, rows, summaries


def _resummarise(con, run_id: str, limit: int) -> int:
    """Relabel and re-summarise the clusters in ``_lc_changed`` that exist, from the members' stored
    inputs (SQL aggregates; Python only formats one label / conflict per cluster); drop the
    summaries of those that do not; rewrite the claim rows whose cluster or label changed.  Clusters
    go in batches of about `limit` members (DuckDB's ordered aggregates do not spill)."""
    con.execute("delete from derived.cluster_summary where cluster_id in (select cluster_id from _lc_changed)")
    con.execute(f"""
        create temp table _lc_redo as
        select cluster_id, (sum(n) over (order by cluster_id rows between unbounded preceding and current row)
                            - 1) // {int(limit)} as batch
        from (select cluster_id, count(*) as n from link.claims
              semi join (select distinct cluster_id from _lc_changed) using (cluster_id) group by 1)
        """)
    con.execute("""
        create or replace temp table _lc_members as
        select r.batch, c.claim_id, c.article_id, c.story_id, c.group_key, c.kind, c.cluster_id, c.position,
               c.lab1, c.lab2, c.lo, c.hi, c.exact, c.vmin, c.vmax, a.source_id
        from link.claims c join _lc_redo r using (cluster_id)
        left join link.articles a on a.article_id = c.article_id
        order by r.batch
        """)
    n_batches = con.execute("select coalesce(max(batch) + 1, 0) from _lc_redo").fetchone()[0]
    n_clusters = 0
    for k in range(n_batches):
        con.execute(f"create or replace temp table _lc_part as select * from _lc_members where batch = {int(k)}")
        rows = con.execute(_SUMMARY_SQL).fetchall()  # one row per cluster
        out, labels = [], []
        for (cid, kind, story, n_claims, n_articles, n_sources, vmin, vmax, first_day, last_day,
             lab1, lab2, exact_lo, exact_hi, low_hi, high_lo) in rows:
            label = format_label(kind, lab1, lab2, first_day, last_day)
            conflict, evidence = format_conflict(
                kind, exact_lo and (exact_lo["v"], exact_lo["id"]), exact_hi and (exact_hi["v"], exact_hi["id"]),
                low_hi and (low_hi["lo"], low_hi["hi"], low_hi["id"]),
                high_lo and (high_lo["lo"], high_lo["hi"], high_lo["id"]), first_day, last_day)
            agreement = "single_source" if n_sources <= 1 else "conflicting" if conflict else "consistent"
            labels.append((cid, label))
            out.append((cid, label, kind, story, n_claims, n_articles, n_sources,
                        float("nan") if vmin is None else vmin, float("nan") if vmax is None else vmax,
                        agreement, evidence))
        del rows
        n_clusters += len(out)
        summary = pd.DataFrame(out, columns=SUMMARY_COLUMNS)
        insert_frame(con, "derived.cluster_summary", summary.assign(run_id=run_id))
        with _Frames(con, _l=pd.DataFrame(labels, columns=["cluster_id", "label"], dtype=object)) as c:
            c.execute("""
                create or replace temp table _lc_rows as
                select m.claim_id, m.cluster_id, l.label as cluster_label, m.story_id, m.group_key, m.article_id
                from _lc_part m join _l l using (cluster_id)
                where not exists (select 1 from derived.claim_clusters d where d.claim_id = m.claim_id
                                  and d.cluster_id = m.cluster_id and d.cluster_label is not distinct from l.label)
                """)
        con.execute("delete from derived.claim_clusters where claim_id in (select claim_id from _lc_rows)")
        con.execute("insert into derived.claim_clusters by name select *, ? as run_id from _lc_rows", [run_id])
    return n_clusters


_SUMMARY_SQL = """
with base as (
    select cluster_id, any_value(kind) as kind, any_value(story_id) as story_id, count(*) as n_claims,
           count(distinct article_id) as n_articles, count(distinct source_id) as n_sources,
           min(vmin) as vmin, max(vmax) as vmax,
           min(position) filter (where kind = 'event') as first_day,
           max(position) filter (where kind = 'event') as last_day,
           min(lo) filter (where exact) as exact_min,
           first(struct_pack(lo := lo, hi := hi, id := claim_id) order by hi, claim_id) as low_hi,
           first(struct_pack(lo := lo, hi := hi, id := claim_id) order by lo desc, claim_id desc) as high_lo
    from _lc_part group by 1),
common1 as (
    select cluster_id, first(lab1 order by n desc, length(lab1), lab1) as lab1
    from (select cluster_id, lab1, count(*) as n from _lc_part where lab1 is not null group by all)
    group by 1),
common2 as (
    select cluster_id, first(lab2 order by n desc, length(lab2), lab2) as lab2
    from (select cluster_id, lab2, count(*) as n from _lc_part where lab2 is not null group by all)
    group by 1),
exact_lo as (
    select cluster_id, first(struct_pack(v := lo, id := claim_id) order by lo, claim_id) as exact_lo
    from _lc_part where exact group by 1),
exact_hi as (
    select m.cluster_id, first(struct_pack(v := m.lo, id := m.claim_id) order by m.lo, m.claim_id) as exact_hi
    from _lc_part m join base b using (cluster_id)
    where m.exact and m.lo > b.exact_min group by 1)
select b.cluster_id, b.kind, b.story_id, b.n_claims, b.n_articles, b.n_sources, b.vmin, b.vmax,
       b.first_day::bigint, b.last_day::bigint, c1.lab1, c2.lab2,
       case when b.kind = 'quantity' then e1.exact_lo end, case when b.kind = 'quantity' then e2.exact_hi end,
       case when b.kind = 'quantity' then b.low_hi end, case when b.kind = 'quantity' then b.high_lo end
from base b left join common1 c1 using (cluster_id) left join common2 c2 using (cluster_id)
left join exact_lo e1 using (cluster_id) left join exact_hi e2 using (cluster_id)
order by b.cluster_id
"""
