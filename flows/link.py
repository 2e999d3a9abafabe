"""The link step: article lineage, stories and claim clusters, kept incrementally in the state file.

Only articles loaded or re-derived by this run (``raw.articles.run_id``), plus those the index has
never seen, are signed and compared; everything else is read from the index (schema ``link``):

* ``link.articles``: per article its sort key, copy group (= the group's canonical article), source
  (copy groups joined by rewrite/copy links between canonicals) and story id;
* ``link.bands``: MinHash band keys of every article (near-copy candidates);
* ``link.band_reps``: per band and copy group, the group's earliest member carrying the band (its
  tier-1 representative in that bucket), so a run reads the buckets of its bands without their members;
* ``link.canon_items``: shingle sample and keywords of each group canonical (rewrite/story candidates);
* ``link.edges``: every relation found between two group canonicals;
* ``link.star``: one row per non-canonical member: its copy link to the group's canonical.

Tier 1 groups near-copies: connected components of `is_near_copy` over pairs sharing a band, found
with a star per band bucket (every member against the bucket's earliest member; members that fail are
tried against the rest of the bucket), so a story carried by k outlets costs O(k), not O(k^2).  Tier 2
compares group canonicals only (pairs sharing >= 2 sampled shingles, or - both dated within the story
window - >= 3 keywords) with the full `Comparer`.  Sources = components of copy groups over copy edges; stories =
components over all edges.  Every rule is pairwise, so any split of the corpus into runs gives the same
groups, edges, stories and clusters as one run.

``derived.lineage`` = the star rows + for each canonical its `TOP_K` best edges (relation, then
keyword overlap, then similarity), written by changed pair: a row's ``run_id`` is the run that added the
pair or last changed its row (dbt's ``fct_article_lineage`` reads the rows of runs it has not seen).
Claim clusters are kept claim by claim in ``link.claims`` / ``link.claim_keys`` (`flows.link_claims`):
only new, re-derived, removed or re-storied claims are compared with the stored inputs of their groups;
clusters that gained or lost a claim (or whose sources changed) are relabelled and re-summarised, and only
claim rows whose cluster or label changed are rewritten.

Speed: articles are signed in numpy batches (`article_signatures`); tier-1 candidate pairs come from
one sort of all (band, sort key) rows, each distinct (leader, member) pair tested once; claims are read
with `_fetch` (numpy columns, no Arrow string round trips).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import defaultdict

import duckdb
import numpy as np
import pandas as pd

from flows.link_claims import claims_indexed, clusters_indexed, update_claim_clusters
from flows.text.lineage import (
    LINEAGE_COLUMNS,
    STORY_WINDOW_DAYS,
    Comparer,
    Signature,
    article_signatures,
    is_near_copy,
    shared_count,
)
from flows.text.union_find import UnionFind
from flows.warehouse import frames_registered as _Frames
from flows.warehouse import has_tables, insert_frame, with_memory_retries

MEMORY_LIMIT = "200MB"  # DuckDB's buffer pool during the link (it spills beyond)
_log = logging.getLogger(__name__)
MEMORY_LIMIT_RETRIES = 4  # a link out of memory is run again with the cap doubled: 400 MB ... 3.2 GB
_CLAIM_BATCH = 50_000  # new claims read and derived per batch (`flows.link_claims`)
_ROWS_BATCH = 250_000  # claims per SQL batch of the claim-cluster rewrites (`flows.link_claims`)
TOP_K = 5  # edges kept per canonical in derived.lineage
COPY_RELATIONS = ("syndicated_copy", "derived_rewrite")
_MIN_SAMPLED = 2  # sampled shingles two canonicals must share to be compared
_MIN_KEYWORDS = 3  # or keywords, within the story window

LINK_DDL = """
create schema if not exists link;
create table if not exists link.articles (
    article_id varchar not null, sort_key varchar not null, group_id varchar not null,
    source_id varchar, story_id varchar, run_id varchar not null
);
create table if not exists link.bands (band bigint not null, article_id varchar not null);
create table if not exists link.memory_cap (megabytes integer not null);  -- the cap the last link ran under
create table if not exists link.canon_items (
    item bigint not null, kind tinyint not null, day integer, article_id varchar not null
);
create table if not exists link.edges (
    article_id varchar not null, related_article_id varchar not null, relation varchar not null,
    similarity double, containment double, shared_shingles integer, evidence varchar, rule varchar,
    earlier_article_id varchar, keyword_overlap double, aligned_sentences integer, confidence double
);
create table if not exists link.star (
    member_id varchar not null, canonical_id varchar not null,
    article_id varchar not null, related_article_id varchar not null, relation varchar not null,
    similarity double, containment double, shared_shingles integer, evidence varchar, rule varchar,
    earlier_article_id varchar, keyword_overlap double, aligned_sentences integer, confidence double
);
alter table derived.lineage add column if not exists keyword_overlap double;
alter table derived.lineage add column if not exists confidence double;
alter table derived.claim_clusters add column if not exists group_key varchar;
alter table derived.claim_clusters add column if not exists article_id varchar;
alter table derived.cluster_summary add column if not exists story_id varchar;
alter table derived.cluster_summary add column if not exists n_claims integer;
alter table derived.cluster_summary add column if not exists agreement_evidence varchar;
"""

# the columns of derived.lineage a run compares (all but run_id) and the rows it should hold: every
# star row, and each canonical's `TOP_K` best edges (relation, then keyword overlap, similarity, id)
LINEAGE_OUTPUT = ("article_id", "related_article_id", "relation", "similarity", "containment", "shared_shingles",
                  "evidence", "rule", "earlier_article_id", "keyword_overlap", "confidence")
_LINEAGE_SQL = """
select article_id, related_article_id, relation, similarity, containment, shared_shingles,
       evidence, rule, earlier_article_id, keyword_overlap, confidence
from link.star
union all
select e.article_id, e.related_article_id, e.relation, e.similarity, e.containment,
       e.shared_shingles, e.evidence, e.rule, e.earlier_article_id, e.keyword_overlap, e.confidence
from link.edges e
where (e.article_id, e.related_article_id) in (
    select (x, y) from (
        select least(a, b) as x, greatest(a, b) as y, row_number() over (
            partition by a order by relation = 'same_story', keyword_overlap desc,
            similarity desc, b) as rk
        from (select article_id as a, related_article_id as b, relation, keyword_overlap,
                     similarity from link.edges
              union all
              select related_article_id, article_id, relation, keyword_overlap, similarity
              from link.edges)
    ) where rk <= ?
)"""

_CLAIM_COLUMNS = """document_id as article_id, claim_index, md5(document_id || '|' || claim_index) as claim_id,
    claim_type, claim_text, quantity_value, quantity_low, quantity_high, quantity_unit, qualifier,
    attributed_to, subject, event_verb, event_date"""


def claim_id(document_id: str, claim_index: int) -> str:
    """The same key dbt builds: md5 of 'document_id|claim_index' (macro surrogate_key)."""
    return hashlib.md5(f"{document_id}|{claim_index}".encode()).hexdigest()


def ensure_link_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(LINK_DDL)


# per (band, copy group) the earliest member with the band, from the members' rows (`{bands}` /
# `{articles}`: (band, article_id) / (article_id, sort_key, group_id) rows)
_BAND_REPS_SQL = """
select b.band, a.group_id, arg_min(a.article_id, a.sort_key) as rep, min(a.sort_key) as rep_key
from {bands} b join {articles} a on a.article_id = b.article_id
group by b.band, a.group_id"""


def _ensure_band_reps(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``link.band_reps`` and fill it from the stored bands, once (a state made before it)."""
    if has_tables(con, "link", "band_reps"):
        return
    con.execute("create table link.band_reps (band bigint not null, group_id varchar not null, "
                "rep varchar not null, rep_key varchar not null)")
    con.execute("insert into link.band_reps " + _BAND_REPS_SQL.format(bands="link.bands", articles="link.articles"))


def link_warehouse(con: duckdb.DuckDBPyConnection, run_id: str) -> dict:
    """Link the articles of this run (new or re-derived) into the index and refresh the outputs.

    DuckDB's buffer pool is capped at `MEMORY_LIMIT` meanwhile (it would otherwise keep every block
    the link reads cached, i.e. grow with the corpus); the connection's own limit is restored after.
    The link is one transaction, and what its steps hold pinned until the commit grows with the claim
    state: a link that runs out of memory under the cap is rolled back and run again with the cap
    doubled (up to `MEMORY_LIMIT_RETRIES` times), instead of failing the run, and later links start
    under the cap that worked (`link.memory_cap`)."""
    ensure_link_schema(con)
    before = con.execute("select current_setting('memory_limit')").fetchone()[0]
    # a cap raised by an earlier run is where the next starts (the claim state only grows)
    last = con.execute("select max(megabytes) from link.memory_cap").fetchone()[0]

    def attempt(cap_mb: int) -> dict:
        con.execute(f"set memory_limit = '{cap_mb}MB'")  # a number: nothing to quote
        con.execute("begin transaction")
        try:
            stats = _Linker(con, run_id).run()
            con.execute("delete from link.memory_cap")
            con.execute("insert into link.memory_cap values (?)", [cap_mb])
            con.execute("commit")
            return stats
        except Exception:
            con.execute("rollback")
            raise

    try:
        stats, cap_mb = with_memory_retries(attempt, max(_megabytes(MEMORY_LIMIT), last or 0), MEMORY_LIMIT_RETRIES,
                                            _log, "link")
        return {**stats, "memory_limit_mb": cap_mb}
    finally:
        con.execute(f"set memory_limit = '{before}'")


def _megabytes(limit: str) -> int:
    number, unit = re.fullmatch(r"(\d+)\s*(MB|GB)", limit.strip(), re.IGNORECASE).groups()
    return int(number) * (1024 if unit.upper() == "GB" else 1)


# ---------------------------------------------------------------- helpers


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> pd.DataFrame:
    """A query's rows as a DataFrame of plain numpy columns (text as Python str objects, missing
    values None/NaN/NaT): cheaper than ``.df()`` for the row-wise Python code that reads them."""
    cols = con.execute(sql, params).fetchnumpy() if params is not None else con.execute(sql).fetchnumpy()
    out = {}
    for name, values in cols.items():
        if isinstance(values, np.ma.MaskedArray):
            mask = np.ma.getmaskarray(values)
            data = values.data
            if mask.any():
                if data.dtype.kind in "iub":
                    data = data.astype(np.float64)
                else:
                    data = data.copy()
                data[mask] = None if data.dtype.kind == "O" else np.datetime64("NaT") \
                    if data.dtype.kind == "M" else np.nan  # (filled(None) would write "?")
            values = data
        out[name] = pd.Series(values, dtype=object) if values.dtype.kind == "O" else values
    return pd.DataFrame(out)


def _ids(values) -> pd.DataFrame:
    """A one-column frame of distinct ids, to register for ``in (select id from ...)`` filters."""
    return pd.DataFrame({"id": pd.Series(list(set(values)), dtype="object")})


def _components(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, str]:
    """Connected components; each node maps to the smallest node of its component."""
    uf = UnionFind()
    for a, b in edges:
        uf.union(a, b)
    return {n: uf.find(n) for n in nodes}


class _Linker:
    def __init__(self, con: duckdb.DuckDBPyConnection, run_id: str) -> None:
        self.con, self.run_id = con, run_id
        self.sigs: dict[str, Signature] = {}
        self.bodies: dict[str, str] = {}
        self.counts = {"signed_articles": 0, "reclustered_claims": 0, "resummarised_clusters": 0}

    # -------------------------------------------------------------- loading

    def _load(self, ids) -> None:
        """Signatures (and bodies) of these articles, from raw.articles."""
        need = _ids(i for i in ids if i not in self.sigs)
        if need.empty:
            return
        with _Frames(self.con, _need=need) as con:
            rows = con.execute(
                """
                select a.document_id, a.body_text, a.wire_agency, a.published_date, a.published_at
                from raw.articles a join _need n on n.id = a.document_id
                """
            ).fetchall()
        self.counts["signed_articles"] += len(rows)
        sigs = article_signatures(rows)
        for sig in sigs:
            self.bodies[sig.article_id] = sig.body
            self.sigs[sig.article_id] = sig

    # -------------------------------------------------------------- the run

    def run(self) -> dict:
        con = self.con
        # each linked article's source and story before this run (`_recluster` compares them after)
        con.execute("create or replace temp table _lk_before as "
                    "select article_id, source_id, story_id from link.articles")
        # this run's articles (loaded or re-derived by it) and those the index has never seen
        dirty = {r[0] for r in con.execute(
            "select document_id from raw.articles where run_id = ? "
            "or document_id not in (select article_id from link.articles)", [self.run_id]).fetchall()}
        vanished = {r[0] for r in con.execute(
            "select article_id from link.articles l "
            "where not exists (select 1 from raw.articles r where r.document_id = l.article_id)").fetchall()}
        # the groups of re-derived or vanished articles are regrouped: every member is reset
        with _Frames(con, _moved=_ids(dirty | vanished)) as c:
            rows = c.execute("select article_id, group_id from link.articles where group_id in "
                             "(select group_id from link.articles where article_id in (select id from _moved))").fetchall()
        bad_groups = {g for _, g in rows}
        reset = (dirty | {a for a, _ in rows}) - vanished
        gone = reset | vanished
        self.rederived = dirty | vanished  # articles whose claims are new (or gone)
        if not gone and not dirty:
            return self._outputs(set(), set())

        # drop what the index held about the reset articles and the canonicals of their groups (every
        # member of those groups is reset: their band representatives go too)
        _ensure_band_reps(con)
        with _Frames(con, _gone=_ids(gone), _canon=_ids(bad_groups)) as c:
            c.execute("delete from link.bands where article_id in (select id from _gone)")
            c.execute("delete from link.band_reps where group_id in (select id from _canon)")
            c.execute("delete from link.articles where article_id in (select id from _gone)")
            c.execute("delete from link.star where member_id in (select id from _gone) "
                      "or canonical_id in (select id from _canon)")
            c.execute("delete from link.canon_items where article_id in (select id from _canon)")
            c.execute("delete from link.edges where article_id in (select id from _canon) "
                      "or related_article_id in (select id from _canon)")

        self._load(reset)
        changed_groups, dropped_canon = self._tier1(sorted(reset, key=lambda a: self.sigs[a].key))
        with _Frames(con, _canon=_ids(dropped_canon)) as c:  # absorbed into an earlier group
            c.execute("delete from link.canon_items where article_id in (select id from _canon)")
            c.execute("delete from link.edges where article_id in (select id from _canon) "
                      "or related_article_id in (select id from _canon)")
        self._tier2(changed_groups)
        self._assign_components()
        self._refresh_star(changed_groups, reset)
        self.sigs, self.bodies = {}, {}  # not needed by the claim steps: free them before those
        return self._outputs(reset, vanished)

    # -------------------------------------------------------------- tier 1: near-copy groups

    def _tier1(self, reset: list[str]) -> tuple[dict[str, list[str]], set[str]]:
        """Group the reset articles with each other and the index.  Returns {canonical: new members}
        of every group that changed and the canonicals that stopped being canonical."""
        con = self.con
        band_lists = [self.sigs[a].bands for a in reset]
        art_band = np.concatenate(band_lists).astype(np.int64) if reset else np.zeros(0, np.int64)
        art_row = np.repeat(np.arange(len(reset), dtype=np.int64), [len(x) for x in band_lists])
        bands = pd.DataFrame({"band": art_band,
                              "article_id": pd.Series(np.asarray(reset, dtype=object)[art_row], dtype=object)})
        with _Frames(con, _bands=bands) as c:
            existing = c.execute(
                "select band, group_id, rep, rep_key from link.band_reps "
                "where band in (select band from _bands)").fetchall()
        # nodes: reset articles (by id) and existing groups (by canonical id, represented by the
        # group's earliest member in the bucket); one row per (band, node) with the node's rep
        keys = {a: self.sigs[a].key for a in reset}
        group_keys = dict(con.execute("select group_id, min(sort_key) from link.articles group by 1").fetchall())
        self._load(rep for _, _, rep, _ in existing)
        nodes: list[str] = list(reset)
        reps: list[str] = list(reset)
        rep_keys: list[str] = [keys[a] for a in reset]
        node_at: dict[str, int] = {}
        rep_at: dict[str, int] = {}
        ex_band, ex_node, ex_rep = [], [], []
        for band, group, rep, rep_key in existing:
            if group not in node_at:
                node_at[group] = len(nodes)
                nodes.append(group)
            if rep not in rep_at:
                rep_at[rep] = len(reps)
                reps.append(rep)
                rep_keys.append(rep_key)
            ex_band.append(band)
            ex_node.append(node_at[group])
            ex_rep.append(rep_at[rep])
        row_band = np.concatenate([art_band, np.asarray(ex_band, dtype=np.int64)])
        row_node = np.concatenate([art_row, np.asarray(ex_node, dtype=np.int64)])
        row_rep = np.concatenate([art_row, np.asarray(ex_rep, dtype=np.int64)])
        rank = np.empty(len(reps), dtype=np.int64)  # bucket order: the members' sort keys (unique)
        rank[np.argsort(np.asarray(rep_keys, dtype=object), kind="stable")] = np.arange(len(reps))
        order = np.lexsort((rank[row_rep], row_band))
        row_band, row_node, row_rep = row_band[order], row_node[order], row_rep[order]
        n_dirty = len(reset)  # nodes below this index are reset articles
        dirty = set(reset)
        uf = UnionFind()
        tested: dict[tuple[str, str], bool] = {}

        def test(x: str, y: str) -> bool:
            pair = (x, y) if x < y else (y, x)
            hit = tested.get(pair)
            if hit is None:
                hit = tested[pair] = is_near_copy(self.sigs[x], self.sigs[y])
            return hit

        # star per bucket: every member against the bucket's earliest member (each distinct pair
        # once); a pair that fails sends every bucket it occurs in to the all-pairs pass below
        first = np.r_[True, row_band[1:] != row_band[:-1]] if len(row_band) else np.zeros(0, bool)
        lead = np.flatnonzero(first)[np.cumsum(first) - 1]
        member = ~first & ((row_node < n_dirty) | (row_node[lead] < n_dirty))
        lead_rep, member_rep = row_rep[lead][member], row_rep[member]
        pair_code, pair_of = np.unique(lead_rep * len(reps) + member_rep, return_inverse=True)
        bad = np.zeros(len(pair_code), dtype=bool)
        rep_node = np.empty(len(reps), dtype=np.int64)
        rep_node[row_rep] = row_node
        for k, code in enumerate(pair_code.tolist()):
            ra, rb = divmod(code, len(reps))
            na, nb = nodes[rep_node[ra]], nodes[rep_node[rb]]
            if uf.find(na) == uf.find(nb):
                continue
            if test(reps[ra], reps[rb]):
                uf.union(na, nb)
            else:
                bad[k] = True
        failed = set(row_band[member][bad[pair_of]].tolist())
        buckets: dict[int, list[tuple[str, str, str]]] = defaultdict(list)  # band -> (key, node, rep)
        if failed:
            for i in np.flatnonzero(np.isin(row_band, np.fromiter(failed, np.int64, len(failed)))).tolist():
                buckets[int(row_band[i])].append((rep_keys[row_rep[i]], nodes[row_node[i]], reps[row_rep[i]]))
        for band in sorted(set(failed)):  # members that failed against the leader: try the others
            comps: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for _, node, rep in buckets[band]:
                comps[uf.find(node)].append((node, rep))
            parts = sorted(comps.values(), key=len, reverse=True)
            for i, part_a in enumerate(parts):
                for part_b in parts[i + 1:]:
                    if uf.find(part_a[0][0]) == uf.find(part_b[0][0]):
                        continue
                    if not any(x in dirty for x, _ in part_a) and not any(y in dirty for y, _ in part_b):
                        continue
                    if any((x in dirty or y in dirty) and test(rx, ry)
                           for x, rx in part_a for y, ry in part_b):
                        uf.union(part_a[0][0], part_b[0][0])

        # components -> canonical (earliest member over the whole group)
        comps: dict[str, list[str]] = defaultdict(list)
        for node in list(dirty) + [g for _, g, _, _ in existing]:
            comps[uf.find(node)].append(node)
        changed: dict[str, list[str]] = {}
        dropped: set[str] = set()
        new_rows, remap = [], []
        for nodes in comps.values():
            if not any(n in dirty for n in nodes):
                continue
            olds = {n for n in nodes if n not in dirty}
            cand = [(keys[n], n) for n in nodes if n in dirty] + [(group_keys[g], g) for g in olds]
            canon = min(cand)[1]
            fresh = sorted(n for n in nodes if n in dirty)
            changed[canon] = fresh
            dropped |= olds - {canon}
            remap += [(g, canon) for g in olds if g != canon]
            new_rows += [(a, keys[a], canon) for a in fresh]
        frame = pd.DataFrame(new_rows, columns=["article_id", "sort_key", "group_id"]).assign(run_id=self.run_id)
        insert_frame(con, "link.articles", frame)
        insert_frame(con, "link.bands", bands)
        # band representatives: the new members' and those of the groups absorbed into another, each
        # against the stored one of its (band, group)
        with _Frames(con, _remap=pd.DataFrame(remap, columns=["old", "new"], dtype=object),
                     _bands=bands, _rows=frame) as c:
            c.execute("create or replace temp table _lk_reps as " + _BAND_REPS_SQL.format(bands="_bands", articles="_rows")
                      + " union all select r.band, m.new, r.rep, r.rep_key from link.band_reps r "
                        "join _remap m on m.old = r.group_id")
            c.execute("insert into _lk_reps select * from link.band_reps "
                      "semi join (select distinct band, group_id from _lk_reps) using (band, group_id)")
            c.execute("delete from link.band_reps where group_id in (select old from _remap) "
                      "or (band, group_id) in (select (band, group_id) from _lk_reps)")
            c.execute("insert into link.band_reps select band, group_id, arg_min(rep, rep_key), min(rep_key) "
                      "from _lk_reps group by all")
            c.execute("drop table _lk_reps")
        if remap:
            with _Frames(con, _remap=pd.DataFrame(remap, columns=["old", "new"])) as c:
                c.execute("update link.articles set group_id = r.new from _remap r "
                          "where link.articles.group_id = r.old")
                # canonicals absorbed into another group: their star rows point to a stale canonical
                c.execute("delete from link.star where canonical_id in (select old from _remap)")
        self.stats_tested = len(tested)
        return changed, dropped

    # -------------------------------------------------------------- tier 2: canonicals

    def _tier2(self, changed: dict[str, list[str]]) -> None:
        """Index the canonicals of changed groups that have no index entries yet (new groups, or a
        new canonical) and compare them with every indexed canonical."""
        con = self.con
        indexed = {r[0] for r in con.execute(
            "select distinct article_id from link.canon_items where article_id in (select unnest(?))",
            [sorted(changed)]).fetchall()}
        # canonicals without items: brand-new groups, or groups whose canonical changed
        new_canon = sorted(c for c in changed if c not in indexed)
        self._load(new_canon)
        rows = []
        for c in new_canon:
            sig = self.sigs[c]
            day = sig.day
            rows += [(int(s), 0, day, c) for s in sig.sample.tolist()]
            rows += [(int(k), 1, day, c) for k in sig.keywords[0].tolist()]
        items = pd.DataFrame(rows, columns=["item", "kind", "day", "article_id"]).astype(
            {"item": "int64", "kind": "int8", "day": "Int64"})
        if items.empty:
            return
        insert_frame(con, "link.canon_items", items)
        with _Frames(con, _items=items, _new=_ids(new_canon)) as c:
            pairs = c.execute(
                """
                with hits as (
                    select n.article_id as a, i.article_id as b, 0 as kind
                    from _items n
                    join link.canon_items i on i.item = n.item and i.kind = 0
                    where n.kind = 0 and i.article_id <> n.article_id
                    union all
                    select n.article_id, i.article_id, 1
                    from _items n cross join range(-?, ? + 1) o(off)
                    join link.canon_items i on i.item = n.item and i.kind = 1 and i.day = n.day + o.off
                    where n.kind = 1 and n.day is not null and i.article_id <> n.article_id
                )
                select a, b, count(*) filter (where kind = 0) as sh, count(*) filter (where kind = 1) as kw
                from hits
                where a < b or b not in (select id from _new)
                group by 1, 2
                having count(*) filter (where kind = 0) >= ? or count(*) filter (where kind = 1) >= ?
                order by 1, 2
                """,
                [STORY_WINDOW_DAYS, STORY_WINDOW_DAYS, _MIN_SAMPLED, _MIN_KEYWORDS],
            ).fetchall()
        self._load(b for _, b, _, _ in pairs)
        comparer = Comparer(self.bodies, self.sigs)
        edges = [r for a, b, _, _ in pairs if (r := comparer.row(a, b)) is not None]
        insert_frame(con, "link.edges", pd.DataFrame(edges, columns=LINEAGE_COLUMNS))
        self.stats_pairs = len(pairs)

    # -------------------------------------------------------------- sources and stories

    def _assign_components(self) -> None:
        """Recompute source and story of every article from the canonical edges (cheap, exact)."""
        con = self.con
        canon = [r[0] for r in con.execute("select distinct group_id from link.articles").fetchall()]
        edges = con.execute("select article_id, related_article_id, relation from link.edges").fetchall()
        source = _components(canon, [(a, b) for a, b, r in edges if r in COPY_RELATIONS])
        story = _components(canon, [(a, b) for a, b, _ in edges])
        frame = pd.DataFrame({"group_id": canon, "source_root": [source[c] for c in canon],
                              "story_root": [story[c] for c in canon]})
        with _Frames(con, _roots=frame) as c:
            c.execute(
                """
                update link.articles set source_id = x.source_id, story_id = x.story_id
                from (  -- a story's id: its smallest article id, the smallest of its groups' smallest
                    select r.group_id, r.source_root as source_id,
                           'sty_' || left(sha1(min(g.lo) over (partition by r.story_root)), 16) as story_id
                    from (select group_id, min(article_id) as lo from link.articles group by 1) g
                    join _roots r using (group_id)
                ) x
                where link.articles.group_id = x.group_id
                  and (link.articles.source_id is distinct from x.source_id
                       or link.articles.story_id is distinct from x.story_id)
                """
            )

    # -------------------------------------------------------------- star rows

    def _refresh_star(self, changed: dict[str, list[str]], reset: set[str]) -> None:
        """Star rows for new members and for members without one (their canonical changed: rows
        pointing to a former canonical were deleted)."""
        con = self.con
        with _Frames(con, _changed=_ids(changed), _reset=_ids(reset)) as c:
            todo = c.execute("""
                select article_id, group_id from link.articles
                where group_id in (select id from _changed) and article_id <> group_id
                  and (article_id in (select id from _reset) or article_id not in (
                      select member_id from link.star where canonical_id in (select id from _changed)))
                order by group_id, article_id""").fetchall()
        if not todo:
            return
        with _Frames(con, _m=_ids(m for m, _ in todo)) as c:
            c.execute("delete from link.star where member_id in (select id from _m)")
        self._load([m for m, _ in todo] + [g for _, g in todo])
        comparer = Comparer(self.bodies, self.sigs)
        out = []
        for m, g in todo:
            row = comparer.copy_row(g, m)
            if row is None or row[2] not in COPY_RELATIONS:  # joined through other copies
                a, b = sorted((g, m))
                sa, sb = self.sigs[a], self.sigs[b]
                n = min(len(sa.shingles), len(sb.shingles)) or 1
                shared = shared_count(sa.shingles, sb.shingles)
                union = len(sa.shingles) + len(sb.shingles) - shared
                row = (a, b, "syndicated_copy", round(shared / union, 4) if union else 0.0,
                       round(shared / n, 4), shared, None, "copy_chain", None, None, 0, 0.5)
            out.append((m, g, *row))
        insert_frame(con, "link.star", pd.DataFrame(out, columns=["member_id", "canonical_id", *LINEAGE_COLUMNS]))

    # -------------------------------------------------------------- outputs

    def _outputs(self, reset: set[str], vanished: set[str]) -> dict:
        n_lineage = self._write_lineage()
        n_clusters = self._recluster(reset, vanished)
        return {"lineage_pairs": n_lineage, "clusters": n_clusters, "linked_articles": len(reset), **self.counts}

    def _write_lineage(self) -> int:
        """Bring ``derived.lineage`` up to `_LINEAGE_SQL` by changed pair: pairs that are gone or whose
        row changed are deleted, new and changed rows are inserted with this run's id; a pair whose row
        is the same keeps the run id of the run that wrote it.  Returns the number of pairs.  (No temp
        table: one dropped inside the link's transaction keeps its memory until the commit.)"""
        con = self.con
        pair = "n.article_id = o.article_id and n.related_article_id = o.related_article_id"
        same = " and ".join(f"n.{c} is not distinct from o.{c}" for c in LINEAGE_OUTPUT[2:])  # constant names
        con.execute(f"delete from derived.lineage o where not exists "
                    f"(select 1 from ({_LINEAGE_SQL}) n where {pair} and {same})", [TOP_K])
        con.execute(f"insert into derived.lineage by name select n.*, ? as run_id from ({_LINEAGE_SQL}) n "
                    f"where not exists (select 1 from derived.lineage o where {pair})", [self.run_id, TOP_K])
        return con.execute("select count(*) from derived.lineage").fetchone()[0]

    # -------------------------------------------------------------- claim clusters

    def _recluster(self, reset: set[str], vanished: set[str]) -> int:
        """Update the claim clusters (`flows.link_claims`): the claims of articles that are new,
        re-derived, vanished or in another story move; clusters whose claims changed are relabelled
        and re-summarised, and so are those whose sources changed.  Returns the number of clusters
        in the warehouse."""
        con = self.con
        # articles whose story / source differ from before the run (or that are new or gone)
        changed = con.execute("""
            select article_id,
                   n.story_id is null or b.story_id is null or n.story_id <> b.story_id as restoried,
                   n.source_id is null or b.source_id is null or n.source_id <> b.source_id as resourced
            from link.articles n full join _lk_before b using (article_id)
            where restoried or resourced""").fetchall()
        moved = {a for a, restoried, _ in changed if restoried} | reset | vanished
        resourced = {a for a, _, resourced in changed if resourced} - moved
        rederived = self.rederived
        if not clusters_indexed(con):  # a state made before the part ranges: index every claim once
            con.execute("delete from derived.claim_clusters")
            con.execute("delete from derived.cluster_summary")
            moved |= {r[0] for r in con.execute("select article_id from link.articles").fetchall()}
            if not claims_indexed(con):  # nor link.claims: derive every claim's inputs too
                rederived = rederived | moved
        with _Frames(con, _moved=_ids(moved)) as c:  # the (new) story of every moved article
            story_of = dict(c.execute("select article_id, story_id from link.articles "
                                      "where article_id in (select id from _moved)").fetchall())
            stored = {r[0] for r in c.execute(  # those linked before the run (the others have no claims stored)
                "select article_id from _lk_before where article_id in (select id from _moved)").fetchall()}
        con.execute("drop table _lk_before")
        stats = update_claim_clusters(con, self.run_id, moved, rederived, resourced, story_of, _fetch,
                                      _CLAIM_BATCH, _ROWS_BATCH, stored=stored)
        self.counts.update(stats)
        return con.execute("select count(*) from derived.cluster_summary").fetchone()[0]


# ---------------------------------------------------------------- frames in, frames out (tests, tools)


def load_frames(con: duckdb.DuckDBPyConnection, articles: pd.DataFrame, claims: pd.DataFrame | None,
                run_id: str) -> None:
    """Put article/claim frames (link columns only) into raw.articles/raw.claims as run `run_id`,
    replacing earlier rows of the same articles (as a re-derivation does)."""
    from flows.warehouse import ensure_schema

    ensure_schema(con)
    arts = pd.DataFrame({
        "document_id": articles["article_id"].astype(str),
        "body_text": articles["body_text"],
        "publisher": articles.get("publisher"),
        "wire_agency": articles.get("wire_agency"),
        "published_date": pd.to_datetime(articles.get("published_date"), errors="coerce").dt.date
        if "published_date" in articles else None,
        "published_at": articles.get("published_at"),
        "code_version": "frames", "run_id": run_id,
    })
    with _Frames(con, _ids_frame=_ids(arts["document_id"])) as c:
        c.execute("delete from raw.articles where document_id in (select id from _ids_frame)")
        c.execute("delete from raw.claims where document_id in (select id from _ids_frame)")
    insert_frame(con, "raw.articles", arts)
    if claims is not None and not claims.empty:
        cl = claims.rename(columns={"article_id": "document_id"}).copy()
        cl["document_id"] = cl["document_id"].astype(str)
        if "claim_index" not in cl:
            cl["claim_index"] = cl.groupby("document_id").cumcount()
        for col, default in (("char_start", 0), ("char_end", 0), ("rule", "frames"), ("confidence", 1.0)):
            if col not in cl:
                cl[col] = default
        cl = cl[cl["document_id"].isin(set(arts["document_id"]))]
        insert_frame(con, "raw.claims", cl.assign(code_version="frames", run_id=run_id))


def read_links(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The link outputs: lineage, claim clusters, cluster summary, and each article's story/source."""
    return {
        "lineage": con.execute(
            "select * exclude (run_id) from derived.lineage order by article_id, related_article_id").df(),
        "clusters": con.execute(
            "select * exclude (run_id) from derived.claim_clusters order by claim_id").df(),
        "summary": con.execute(
            "select * exclude (run_id) from derived.cluster_summary order by cluster_id").df(),
        "articles": con.execute(
            "select article_id, group_id, source_id, story_id from link.articles order by article_id").df(),
    }


def link_frames(articles: pd.DataFrame, claims: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Link article (and claim) frames from scratch in a throw-away in-memory state."""
    con = duckdb.connect()
    try:
        load_frames(con, articles, claims, "frames")
        link_warehouse(con, "frames")
        return read_links(con)
    finally:
        con.close()
