"""Claim clusters: claims in different articles that report the same fact.

Stories first: articles joined by any lineage link (``same_story``, ``syndicated_copy``,
``derived_rewrite``) form one story (connected components), or the caller passes the story of each
article (`flows.link` keeps them in its index).  Claims only ever cluster inside one story:

* quantities: same normalised unit, compatible subjects (token Jaccard >= 0.5 or one contains the
  other; a claim without subject joins the largest subject group), then split wherever two consecutive
  representative values differ by more than 10x (so "3 troops killed" never joins "10,000 troops sent");
* events: same event-verb lemma, compatible subjects, dates chained with gaps <= 3 days (undated events
  join the largest dated group of their verb);
* quotes / statements: near-identical text (token Jaccard >= 0.8), otherwise singletons.

``cluster_id`` = ``"clu_" + sha1(claim_type + "|" + smallest member claim_id)[:16]`` and ``story_id`` =
``"sty_" + sha1(smallest article_id of the story)[:16]``: the same data gives the same ids in any order.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import regex

from flows.text.shingles import STOPWORDS, fold
from flows.text.union_find import UnionFind

CLUSTER_COLUMNS = ["claim_id", "cluster_id", "cluster_label", "story_id"]
SUMMARY_COLUMNS = [
    "cluster_id", "label", "claim_type", "story_id", "n_claims", "n_articles", "n_sources",
    "value_min", "value_max", "agreement", "agreement_evidence",
]
STORY_RELATIONS = ("same_story", "syndicated_copy", "derived_rewrite")
COPY_RELATIONS = ("syndicated_copy", "derived_rewrite")

_WORD_RE = regex.compile(r"\d+(?:[.,]\d+)*|[\p{L}\p{M}][\p{L}\p{M}\p{N}'’]*")
# Plural/synonym folding for subjects (the unit is compared separately).
_SUBJECT_SYNONYMS = {"soldier": "troop", "soldiers": "troop", "troops": "troop", "personnel": "troop",
                     "forces": "troop", "force": "troop", "people": "person", "persons": "person"}
_IRREGULAR_VERBS = {
    "sent": "send", "sends": "send", "sending": "send", "met": "meet", "meets": "meet",
    "held": "hold", "made": "make", "took": "take", "taken": "take", "gave": "give", "given": "give",
    "began": "begin", "begun": "begin", "fought": "fight", "won": "win", "lost": "lose", "said": "say",
    "told": "tell", "left": "leave", "led": "lead", "struck": "strike", "shot": "shoot", "fell": "fall",
    "signed": "sign", "signs": "sign", "signing": "sign", "ratified": "ratify", "ratifies": "ratify",
    "ratifying": "ratify", "deployed": "deploy", "deploys": "deploy", "visited": "visit",
}
# Qualifiers, lower-cased, by what they say about the true value v relative to the written figure.
_LOWER_BOUND = ("more than", "over", "at least", "upwards of", "in excess of", "above", "exceeding",
                "plus", "more", "at minimum")
_UPPER_BOUND = ("up to", "fewer than", "less than", "under", "at most", "as many as", "no more than",
                "below", "maximum")
_NEAR_BELOW = ("nearly", "almost", "just under", "close to")
_APPROX = ("around", "about", "approximately", "roughly", "some", "an estimated", "estimated",
           "circa", "approx", "~", "almost exactly")
# Vague magnitudes written without a figure ("thousands of troops"): [low, high].
_VAGUE = {
    "dozens": (24.0, 99.0), "scores": (40.0, 99.0), "hundreds": (200.0, 999.0),
    "thousands": (2_000.0, 9_999.0), "tens of thousands": (20_000.0, 99_999.0),
    "hundreds of thousands": (200_000.0, 999_999.0), "millions": (2_000_000.0, 9_999_999.0),
}
_APPROX_TOLERANCE = 0.10  # "around 10,000" covers 9,000-11,000
VALUE_GAP = 10.0  # split a quantity group where consecutive values differ more than this factor
EVENT_GAP_DAYS = 3
_DERIVED: dict = {}  # pure function -> {text: value}, shared by `_Columns.derived` calls
_DERIVED_CACHE_SIZE = 50_000


def claim_group_key(claim_type, quantity_unit, event_verb) -> str:
    """The key claims are grouped by inside a story before clustering: kind, plus the normalised
    unit (quantities) or verb lemma (events)."""
    kind = (_s(claim_type) or "statement").lower()
    if kind == "quantity":
        return f"quantity|{(_s(quantity_unit) or '').lower()}"
    if kind == "event":
        return f"event|{_lemma(_s(event_verb) or '')}"
    return kind


def cluster_claims(
    claims: pd.DataFrame,
    articles: pd.DataFrame,
    lineage: pd.DataFrame | None,
    *,
    stories: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per claim: ``claim_id``, ``cluster_id``, ``cluster_label``, ``story_id``.

    Stories come from `lineage` (connected components), or ready-made from `stories`
    (article id -> story id); claims of one (story, `claim_group_key`) group are clustered together,
    so re-clustering only the groups whose claims changed gives the same result as all."""
    if claims.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CLUSTER_COLUMNS})
    c = claims.reset_index(drop=True)
    if stories is None:
        article_ids = set(articles["article_id"].astype(str)) | set(claims["article_id"].astype(str))
        root = _components(article_ids, lineage, STORY_RELATIONS)
        story_ids = {a: "sty_" + hashlib.sha1(r.encode()).hexdigest()[:16] for a, r in root.items()}
    else:
        story_ids = stories
    story = [story_ids[str(a)] for a in c["article_id"].tolist()]
    kinds: dict = {}
    ctype = [kinds.get(t) or kinds.setdefault(t, (_s(t) or "statement").lower())
             for t in c["claim_type"].tolist()]
    units = _col(c, "quantity_unit")
    verbs = _col(c, "event_verb")
    groups: dict[tuple, list[int]] = {}
    group_keys: dict[tuple, str] = {}
    for i, (st, kind, unit, verb) in enumerate(zip(story, ctype, units, verbs, strict=True)):
        gk = group_keys.get((kind, unit, verb))
        if gk is None:
            gk = group_keys[(kind, unit, verb)] = claim_group_key(kind, unit, verb)
        groups.setdefault((st, gk), []).append(i)

    claims_frame, c = c, _Columns(c)
    member_of = np.zeros(len(claims_frame), dtype=np.int64)
    next_id = 0
    for key, idx in sorted(groups.items()):
        kind = key[1].split("|", 1)[0]
        if kind == "quantity":
            parts = _quantity_groups(c, idx) if key[1] != "quantity|" else [[i] for i in idx]
        elif kind == "event":
            parts = _event_groups(c, idx)
        else:
            parts = _text_groups(c, idx)
        for part in parts:
            member_of[part] = next_id
            next_id += 1

    claim_ids = [str(x) for x in c.data["claim_id"]]
    out_cluster = [""] * len(claim_ids)
    out_label = [""] * len(claim_ids)
    order = np.argsort(member_of, kind="stable")
    bounds = np.flatnonzero(np.r_[True, member_of[order][1:] != member_of[order][:-1], True])
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        idx = order[lo:hi].tolist()
        first = min(claim_ids[i] for i in idx)
        cid = "clu_" + hashlib.sha1(f"{ctype[idx[0]]}|{first}".encode()).hexdigest()[:16]
        label = _label(c, idx, ctype[idx[0]])
        for i in idx:
            out_cluster[i], out_label[i] = cid, label
    return pd.DataFrame(
        {"claim_id": claim_ids, "cluster_id": out_cluster, "cluster_label": out_label,
         "story_id": story}, dtype=object
    )


def summarise_clusters(
    clustered_claims: pd.DataFrame,
    articles: pd.DataFrame,
    lineage: pd.DataFrame | None,
    *,
    sources: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per cluster (`SUMMARY_COLUMNS`).

    `clustered_claims` = the claims frame plus ``cluster_id``, ``cluster_label`` (and ``story_id``).

    ``n_sources`` counts independent sources: articles joined by ``syndicated_copy`` or
    ``derived_rewrite`` links (connected components over the whole lineage) count once; `sources`
    (article id -> source id) gives those components ready-made.

    ``agreement`` (quantities): each claim is read as a closed interval [lo, hi]:
    explicit ``quantity_low``/``quantity_high`` win; otherwise from value + qualifier —
    no qualifier: [v, v] (an *exact* figure); "more than/over/at least": [v, inf);
    "up to/fewer than/as many as": [0, v]; "nearly/almost": [0.9v, v];
    "around/about/some/roughly": [0.9v, 1.1v]; vague "thousands" [2,000, 9,999],
    "tens of thousands" [20,000, 99,999] (also "dozens", "hundreds", ...) when no figure is given;
    a lone low bound means [low, inf), a lone high bound [0, high].
    ``single_source`` when n_sources == 1; else ``conflicting`` when two exact figures differ or any
    two intervals are disjoint (lo1 > hi2); else ``consistent``.
    Events: ``conflicting`` when their event dates span more than 1 day.  Quotes/statements (clustered
    on near-identical text): ``consistent``.
    """
    if clustered_claims.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in SUMMARY_COLUMNS})
    if sources is None:
        article_ids = set(articles["article_id"].astype(str)) | set(
            clustered_claims["article_id"].astype(str)
        )
        source_root = _components(article_ids, lineage, COPY_RELATIONS)
    else:
        source_root = sources
    c = clustered_claims.reset_index(drop=True)
    n = len(c)
    cols = {k: c[k].tolist() for k in c.columns}
    nums = [pd.to_numeric(c[k], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
            for k in ("quantity_value", "quantity_low", "quantity_high") if k in c]
    dates = None  # per row: int64 ns or None (naive dates), else Timestamps (tz-aware)
    if "event_date" in c:
        parsed = pd.to_datetime(c["event_date"], errors="coerce")
        if getattr(parsed.dtype, "tz", None) is not None:
            dates = parsed.tolist()
        else:
            raw = parsed.to_numpy(dtype="datetime64[ns]")
            dates = [None if nat else v for v, nat in
                     zip(raw.view("int64").tolist(), np.isnat(raw).tolist(), strict=True)]
    members: dict[str, list[int]] = {}
    for i, cid in enumerate(cols["cluster_id"]):
        if cid is None or cid is pd.NA or (isinstance(cid, float) and math.isnan(cid)):
            continue  # no cluster: not summarised
        members.setdefault(cid, []).append(i)
    none = [None] * n
    kinds, article_ids = cols["claim_type"], [str(a) for a in cols["article_id"]]
    labels, stories = cols.get("cluster_label"), cols.get("story_id")
    q_cols = [cols.get(k, none) for k in ("quantity_value", "quantity_low", "quantity_high", "qualifier",
                                           "claim_text")]
    claim_ids = [str(x) for x in cols["claim_id"]]
    rows = []
    for cid in sorted(members):
        idx = members[cid]
        ctype = (_s(kinds[idx[0]]) or "statement").lower()
        arts = {article_ids[i] for i in idx}
        n_sources = len({source_root[a] for a in arts})
        vmin = vmax = float("nan")
        evidence = None
        if ctype == "quantity":
            if nums:
                vals = np.concatenate([col[idx] for col in nums])
                vals = vals[np.isfinite(vals)]
                if len(vals):
                    vmin, vmax = float(vals.min()), float(vals.max())
            conflict, evidence = _quantity_conflict_rows(
                [(*(col[i] for col in q_cols), claim_ids[i], article_ids[i]) for i in idx])
        elif ctype == "event":
            conflict, evidence = _event_conflict_dates([dates[i] for i in idx] if dates is not None else None)
        else:
            conflict = False
        if n_sources <= 1:
            agreement = "single_source"
        else:
            agreement = "conflicting" if conflict else "consistent"
        label = labels[idx[0]] if labels is not None else cid
        story = stories[idx[0]] if stories is not None else None
        rows.append((cid, label, ctype, story, len(idx), len(arts), n_sources, vmin, vmax,
                     agreement, evidence))
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def quantity_interval(value, low, high, qualifier, claim_text=None) -> tuple[float, float, bool]:
    """(lo, hi, is_exact) of one quantity claim under the rule in `summarise_clusters`."""
    v, lo, hi = _num(value), _num(low), _num(high)
    q = " ".join((_s(qualifier) or "").lower().split())
    if lo is not None or hi is not None:
        if lo is not None and hi is not None:
            return lo, hi, False
        if lo is not None:
            exact = not q and v is not None and v == lo
            return (lo, lo, True) if exact else (lo, math.inf, False)
        exact = not q and v is not None and v == hi
        return (hi, hi, True) if exact else (0.0, hi, False)
    if v is None:
        vague = _vague(q) or _vague((_s(claim_text) or "").lower())
        return (*vague, False) if vague else (0.0, math.inf, False)
    if not q:
        return v, v, True
    if q in _VAGUE or _vague(q):
        return v, v * 9.999, False
    if q.startswith(_UPPER_BOUND):
        return 0.0, v, False
    if q.startswith(_NEAR_BELOW):
        return v * (1 - _APPROX_TOLERANCE), v, False
    if q.startswith(_LOWER_BOUND):
        return v, math.inf, False
    if q.startswith(_APPROX):
        return v * (1 - _APPROX_TOLERANCE), v * (1 + _APPROX_TOLERANCE), False
    return v, v, True  # an unknown qualifier ("exactly", "a total of") leaves the figure exact


# --- the same rules, one claim at a time (incremental clustering, `flows.link_claims`) ----------
#
# `cluster_claims` is, per (story, group key) group, three steps; the first two are unions of
# pairwise rules, so they can be kept up to date claim by claim:
#   1. keys: each claim's `claim_key` (subject tokens; quotes/statements: text tokens); distinct keys
#      joined by `keys_similar` into components - only while the group has at most
#      `PAIRWISE_MAX_KEYS` candidate keys (else equal keys only): a group-wide switch;
#   2. subject groups (quantities/events): a key component; subject-less claims join the largest one
#      (most named claims, then smallest claim id): group-wide, but only a count per component;
#   3. inside a subject group, `claim_position`s chained (ratio <= `VALUE_GAP` for quantities, gap <=
#      `EVENT_GAP_DAYS` days for events); unpositioned claims join the largest part: per subject group.
# Quotes/statements stop after step 1; quantities without a unit are singletons.

PAIRWISE_MAX_KEYS = 400
SUBJECT_KINDS = ("quantity", "event")
TEXT_MIN_TOKENS = 4  # quote/statement keys with fewer tokens only join equal keys


def claim_kind(claim_type) -> str:
    """The lower-cased claim type (``statement`` when missing)."""
    return (_s(claim_type) or "statement").lower()


def cluster_id_for(kind: str, first_claim_id: str) -> str:
    """``clu_`` + sha1(kind | smallest member claim id)[:16]."""
    return "clu_" + hashlib.sha1(f"{kind}|{first_claim_id}".encode()).hexdigest()[:16]


def clustering_inputs(claims: pd.DataFrame) -> pd.DataFrame:
    """Per claim (row order kept) what clustering, labels and summaries read of it:

    * ``kind``, ``group_key``, ``key`` (sorted tokens joined by spaces: the subject of
      quantities/events, the text of other kinds; "" = none) and ``position`` (the quantity's
      `_rep` value or the event date in days since 1970; NaN = none);
    * ``lab1`` / ``lab2``: the `_normalised_text` values the label takes the most common of
      (quantity: subject, unit; event: subject, verb; others: text, attributed_to);
    * quantities: ``lo``, ``hi``, ``exact`` (`quantity_interval`), ``vmin`` / ``vmax`` (finite
      extremes of value, low and high; NaN = none)."""
    c = _Columns(claims.reset_index(drop=True))
    n = len(c.frame)
    kinds = [claim_kind(t) for t in c.col("claim_type")]
    units, verbs = c.col("quantity_unit"), c.col("event_verb")
    cache: dict[tuple, str] = {}
    group_keys = []
    for kind, unit, verb in zip(kinds, units, verbs, strict=True):
        gk = cache.get((kind, unit, verb))
        if gk is None:
            gk = cache[(kind, unit, verb)] = claim_group_key(kind, unit, verb)
        group_keys.append(gk)
    subjects = c.derived("subject", _subject_key) if any(k in SUBJECT_KINDS for k in kinds) else None
    texts = c.derived("claim_text", _text_key) if any(k not in SUBJECT_KINDS for k in kinds) else None
    value, low, high = c.col("quantity_value"), c.col("quantity_low"), c.col("quantity_high")
    qualifier, text = c.col("qualifier"), c.col("claim_text")
    ns = c.date_ns() if "event" in kinds else None
    keys, pos = [""] * n, np.full(n, np.nan)
    lo, hi, exact = np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, dtype=bool)
    lab1, lab2 = [None] * n, [None] * n
    norm = {col: c.derived(col, _normalised_text) for col in ("subject", "quantity_unit", "event_verb",
                                                                "claim_text", "attributed_to")}
    for i, kind in enumerate(kinds):
        if kind == "quantity":
            lab1[i], lab2[i] = norm["subject"][i], norm["quantity_unit"][i]
        elif kind == "event":
            lab1[i], lab2[i] = norm["subject"][i], norm["event_verb"][i]
        else:
            lab1[i], lab2[i] = norm["claim_text"][i], norm["attributed_to"][i]
        if kind == "quantity":
            keys[i] = subjects[i]
            q_lo, q_hi, q_exact = quantity_interval(value[i], low[i], high[i], qualifier[i], text[i])
            lo[i], hi[i], exact[i] = q_lo, q_hi, q_exact
            r = _interval_rep(q_lo, q_hi)
            if r is not None:
                pos[i] = r
        elif kind == "event":
            keys[i] = subjects[i]
            if ns is not None:
                d = ns[i]
            else:  # tz-aware dates
                t = _ts(c.get("event_date", i))
                d = None if pd.isna(t) else t.value
            if d is not None:
                pos[i] = float(d // _DAY_NS)
        else:
            keys[i] = texts[i]
    nums = np.array([[np.nan if (f := _num(x)) is None else f for x in col] for col in (value, low, high)],
                    dtype=np.float64).reshape(3, n)
    finite = np.where(np.isfinite(nums), nums, np.nan)
    with np.errstate(all="ignore"):
        known = np.isfinite(finite).any(axis=0)
        vmin = np.where(known, np.nanmin(np.where(known, finite, 0.0), axis=0), np.nan)
        vmax = np.where(known, np.nanmax(np.where(known, finite, 0.0), axis=0), np.nan)
    quantity = np.array([k == "quantity" for k in kinds], dtype=bool)
    return pd.DataFrame({"kind": pd.Series(kinds, dtype=object), "group_key": pd.Series(group_keys, dtype=object),
                         "key": pd.Series(keys, dtype=object), "position": pos,
                         "lab1": pd.Series(lab1, dtype=object), "lab2": pd.Series(lab2, dtype=object),
                         "lo": lo, "hi": hi, "exact": exact,
                         "vmin": np.where(quantity, vmin, np.nan), "vmax": np.where(quantity, vmax, np.nan)})


def format_label(kind: str, lab1: str | None, lab2: str | None, first_day: int | None,
                 last_day: int | None) -> str:
    """A cluster's label (`_label`) from its most common ``lab1`` / ``lab2`` and its event days."""
    if kind == "quantity":
        return f"{lab1} ({lab2})" if lab1 else (lab2 or "quantity")
    if kind == "event":
        verb = _lemma(lab2 or "")
        when = ""
        if first_day is not None:
            a, b = str(_day(first_day)), str(_day(last_day))
            when = f" ({a})" if a == b else f" ({a}..{b})"
        return " ".join(x for x in (lab1, verb) if x) + when or "event"
    text = lab1 or ""
    short = text if len(text) <= 80 else text[:79] + "…"
    return f"{kind}: {short}" + (f" — {lab2}" if lab2 else "")


def format_conflict(kind: str, exact_lo: tuple | None, exact_hi: tuple | None, low_hi: tuple | None,
                    high_lo: tuple | None, first_day: int | None, last_day: int | None) -> tuple[bool, str | None]:
    """A cluster's conflict and evidence (`summarise_clusters`) from its extreme members:
    quantities: the smallest exact figure and the smallest larger one as (value, claim id), the
    interval with the smallest upper bound and the one with the largest lower bound as
    (lo, hi, claim id); events: first and last event day."""
    if kind == "quantity":
        if exact_lo is not None and exact_hi is not None:
            return True, f"exact {_fmt(exact_lo[0])} ({exact_lo[1]}) vs exact {_fmt(exact_hi[0])} ({exact_hi[1]})"
        if low_hi is not None and high_lo[0] > low_hi[1]:
            return True, (f"[{_fmt(low_hi[0])}, {_fmt(low_hi[1])}] ({low_hi[2]}) vs "
                          f"[{_fmt(high_lo[0])}, {_fmt(high_lo[1])}] ({high_lo[2]})")
        return False, None
    if kind == "event" and first_day is not None and last_day - first_day > 1:
        return True, f"event dates {_day(first_day)} vs {_day(last_day)}"
    return False, None


def _day(days: int):
    return (pd.Timestamp(0) + pd.Timedelta(days=int(days))).date()


def is_subject_group(group_key: str) -> bool:
    """Quantities with a unit and events: clustered by subject, then position."""
    kind = group_key.split("|", 1)[0]
    return kind in SUBJECT_KINDS and group_key != "quantity|"


def key_candidates(group_key: str, keys) -> list[str]:
    """The keys of a group that the pairwise rule compares (the rest only join equal keys)."""
    if group_key.split("|", 1)[0] in SUBJECT_KINDS:
        return [k for k in keys if k]
    return [k for k in keys if k and k.count(" ") + 1 >= TEXT_MIN_TOKENS]


def keys_similar(group_key: str, a: str, b: str) -> bool:
    """The pairwise rule between two candidate keys: compatible subjects, or text Jaccard >= 0.8."""
    return _tokens_similar(group_key.split("|", 1)[0] in SUBJECT_KINDS,
                           frozenset(a.split(" ")), frozenset(b.split(" ")))


def _tokens_similar(subject: bool, ta: frozenset[str], tb: frozenset[str]) -> bool:
    return _compatible(ta, tb) if subject else len(ta & tb) / len(ta | tb) >= 0.8


def key_components(group_key: str, keys: list[str], old: dict[str, str] | None = None) -> dict[str, str]:
    """Components of the candidate `keys` of one group (call only while there are at most
    `PAIRWISE_MAX_KEYS`): key -> smallest key of its component.  `old` (key -> component of an
    earlier key set, all of it pairwise) is reused: components that lost no key stay as they are
    (a component's induced graph only changes when it loses a node), components that lost keys are
    recomputed from their remaining keys, and only the keys not in `old` are compared with all."""
    present = set(keys)
    uf = UnionFind()
    find, union = uf.find, uf.union
    tokens = {k: frozenset(k.split(" ")) for k in keys}
    subject = group_key.split("|", 1)[0] in SUBJECT_KINDS

    def link_all(members: list[str], against: list[str]) -> None:
        for x, a in enumerate(members):
            for b in against + members[:x]:
                if find(a) != find(b) and _tokens_similar(subject, tokens[a], tokens[b]):
                    union(a, b)

    old = {k: v for k, v in (old or {}).items()}
    lost = {comp for k, comp in old.items() if k not in present}
    by_comp: dict[str, list[str]] = defaultdict(list)
    for k, comp in old.items():
        if k in present:
            by_comp[comp].append(k)
    settled: list[str] = []
    for comp, members in by_comp.items():
        if comp in lost:
            link_all(sorted(members), [])
        else:
            for k in members[1:]:
                union(k, members[0])
        settled.extend(members)
    fresh = sorted(k for k in keys if k not in old)
    if not subject and not settled:
        for a, b in zip(fresh, _similar_roots([tokens[k] for k in fresh]), strict=True):
            union(a, " ".join(sorted(b)))
    else:
        link_all(fresh, settled)
    return {k: find(k) for k in keys}


def cluster_labels(claims: pd.DataFrame) -> dict[str, str]:
    """``cluster_id`` -> label (`cluster_claims`' rule) of the clusters in `claims` (all members of
    each: the claims frame plus ``cluster_id``)."""
    if claims.empty:
        return {}
    c = _Columns(claims.reset_index(drop=True))
    members: dict[str, list[int]] = {}
    for i, cid in enumerate(c.col("cluster_id")):
        members.setdefault(cid, []).append(i)
    kinds = c.col("claim_type")
    return {cid: _label(c, idx, claim_kind(kinds[idx[0]])) for cid, idx in members.items()}


# --- helpers ---------------------------------------------------------------------------------


def _components(nodes: set[str], lineage: pd.DataFrame, relations: tuple[str, ...]) -> dict[str, str]:
    """Union-find over lineage links of the given relations; root = smallest article id."""
    parent = {n: n for n in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    if lineage is not None and not lineage.empty:
        links = lineage[lineage["relation"].isin(relations)]
        for a, b in zip(links["article_id"].astype(str), links["related_article_id"].astype(str),
                        strict=True):
            if a not in parent or b not in parent:
                continue
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {n: find(n) for n in nodes}


def _s(value) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _num(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _col(frame: pd.DataFrame, col: str) -> list:
    return frame[col].tolist() if col in frame.columns else [None] * len(frame)


class _Columns:
    """Column lists of a claims frame (row access by position without pandas overhead), converted
    on first use; event dates parsed once (as one array) and made Timestamps on access; per-call
    caches of derived text values (copies repeat the same subjects and texts)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.data: dict[str, list] = {"claim_id": frame["claim_id"].tolist()}
        self.dates: np.ndarray | None = None
        self.cache: dict[tuple, object] = {}

    def get(self, col: str, i: int):
        if col == "event_date":
            return self._date(i)
        values = self.data.get(col)
        if values is None:
            if col not in self.frame.columns:
                return None
            values = self.data[col] = self.frame[col].tolist()
        return values[i]

    def _parse_dates(self) -> None:
        if self.dates is None:
            parsed = pd.to_datetime(self.frame["event_date"], errors="coerce")
            if getattr(parsed.dtype, "tz", None) is not None:  # keep tz-aware values as they are
                self.data["event_date"] = parsed.tolist()
                self.dates = np.zeros(0)
            else:
                self.dates = parsed.to_numpy(dtype="datetime64[ns]")

    def _date(self, i: int):
        if "event_date" not in self.frame.columns:
            return None
        self._parse_dates()
        if "event_date" in self.data:
            return self.data["event_date"][i]
        value = self.dates[i]
        return pd.NaT if np.isnat(value) else pd.Timestamp(value)

    def col(self, col: str) -> list:
        """The values of column `col` (None for each row when the frame has no such column)."""
        values = self.data.get(col)
        if values is None:
            values = self.data[col] = (self.frame[col].tolist() if col in self.frame.columns
                                       else [None] * len(self.frame))
        return values

    def texts(self, col: str) -> list[str | None]:
        """`_s` of each value of column `col` (stripped text, None when missing or blank)."""
        key = ("texts", col)
        values = self.cache.get(key)
        if values is None:
            values = self.cache[key] = [(v.strip() or None) if v.__class__ is str else
                                        (None if v is None else _s(v)) for v in self.col(col)]
        return values

    def derived(self, col: str, fn) -> list:
        """fn(`texts`(col)[i]) for every row, computed once per distinct text (`fn` is pure: the
        values are shared across calls, up to `_DERIVED_CACHE_SIZE` texts per function, so callers
        that cluster in batches do not recompute them)."""
        key = ("derived", col, fn)
        values = self.cache.get(key)
        if values is None:
            seen = _DERIVED.setdefault(fn, {})
            if len(seen) > _DERIVED_CACHE_SIZE:
                seen.clear()
            values = []
            for v in self.texts(col):
                hit = seen.get(v, seen)
                if hit is seen:
                    hit = seen[v] = fn(v)
                values.append(hit)
            self.cache[key] = values
        return values

    def date_ns(self) -> list[int | None] | None:
        """Event dates as int64 nanoseconds (None when unknown); None (the whole list) when the
        dates are tz-aware (compared as Timestamps then)."""
        key = ("date_ns",)
        if key not in self.cache:
            if "event_date" not in self.frame.columns:
                self.cache[key] = [None] * len(self.frame)
            else:
                self._parse_dates()
                if "event_date" in self.data:  # tz-aware
                    self.cache[key] = None
                else:
                    ints, nat = self.dates.view("int64").tolist(), np.isnat(self.dates).tolist()
                    self.cache[key] = [None if n else v for v, n in zip(ints, nat, strict=True)]
        return self.cache[key]


def _ts(value) -> pd.Timestamp:
    """A parsed date (NaT when missing or unreadable); already-parsed values pass through."""
    if isinstance(value, pd.Timestamp) or value is pd.NaT:
        return value
    return pd.to_datetime(value, errors="coerce")


def _vague(text: str) -> tuple[float, float] | None:
    for phrase in sorted(_VAGUE, key=len, reverse=True):
        if regex.search(rf"\b{phrase}\b", text):
            return _VAGUE[phrase]
    return None


def _lemma(verb: str) -> str:
    v = verb.lower().strip().split(" ")[0] if verb else ""
    if v in _IRREGULAR_VERBS:
        return _IRREGULAR_VERBS[v]
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if v.endswith(suffix) and len(v) - len(suffix) >= 3:
            return v[: -len(suffix)] + repl
    return v


def _subject_tokens(subject: str | None) -> frozenset[str]:
    if not subject:
        return frozenset()
    out = set()
    for m in _WORD_RE.finditer(subject):
        w = fold(m.group())
        if w in STOPWORDS:
            continue
        w = _SUBJECT_SYNONYMS.get(w, w)
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return frozenset(out)


def _compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return True
    inter = len(a & b)
    return inter / len(a | b) >= 0.5 or inter == min(len(a), len(b))


def _subject_groups(subjects: list[frozenset[str]], idx: list[int],
                    claim_ids: list[str] | None = None) -> list[list[int]]:
    """Union-find over compatible non-empty subjects; subject-less members join the largest group
    (ties: the group with the smallest claim id, so the row order never matters)."""
    named = [i for i in idx if subjects[i]]
    parent = {i: i for i in named}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    distinct: dict[frozenset[str], list[int]] = {}
    for i in named:
        distinct.setdefault(subjects[i], []).append(i)
    keys = sorted(distinct, key=lambda s: sorted(s))
    for members in distinct.values():
        for i in members[1:]:
            parent[find(i)] = find(members[0])
    if len(keys) <= 400:  # pairwise over distinct subjects only
        for x in range(len(keys)):
            for y in range(x + 1, len(keys)):
                if _compatible(keys[x], keys[y]):
                    ra, rb = find(distinct[keys[x]][0]), find(distinct[keys[y]][0])
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
    parts: dict[int, list[int]] = {}
    for i in named:
        parts.setdefault(find(i), []).append(i)
    groups = sorted(parts.values(), key=lambda g: (-len(g), min(claim_ids[i] for i in g)
                                                    if claim_ids is not None else min(g)))
    unnamed = [i for i in idx if not subjects[i]]
    if unnamed:
        if groups:
            groups[0].extend(unnamed)
        else:
            groups.append(unnamed)
    return groups


def _subject_tokens_of(c: "_Columns", idx: list[int]) -> dict[int, frozenset[str]]:
    subjects = c.derived("subject", _subject_tokens)
    return {i: subjects[i] for i in idx}


def _quantity_groups(c: "_Columns", idx: list[int]) -> list[list[int]]:
    subjects = _subject_tokens_of(c, idx)
    value, low, high = c.col("quantity_value"), c.col("quantity_low"), c.col("quantity_high")
    qualifier, text = c.col("qualifier"), c.col("claim_text")
    out: list[list[int]] = []
    for group in _subject_groups(subjects, idx, c.col("claim_id")):
        reps = [(_rep(value[i], low[i], high[i], qualifier[i], text[i]), i) for i in group]
        valued = sorted((r, i) for r, i in reps if r is not None)
        parts: list[list[int]] = []
        for k, (r, i) in enumerate(valued):
            if k == 0 or r > valued[k - 1][0] * VALUE_GAP:
                parts.append([])
            parts[-1].append(i)
        unvalued = [i for r, i in reps if r is None]
        if unvalued:
            if parts:
                max(parts, key=len).extend(unvalued)
            else:
                parts.append(unvalued)
        out.extend(parts)
    return out


def _rep(value, low, high, qualifier, text) -> float | None:
    """The value a quantity claim is ordered by (geometric middle of its interval; None: none)."""
    lo, hi, _ = quantity_interval(value, low, high, qualifier, text)
    return _interval_rep(lo, hi)


def _interval_rep(lo: float, hi: float) -> float | None:
    """`_rep` of a claim whose `quantity_interval` is (lo, hi)."""
    rep = math.sqrt(max(lo, 1e-9) * hi) if math.isfinite(hi) and lo > 0 else (
        lo if not math.isfinite(hi) else hi)
    return rep if rep > 0 else None


_DAY_NS = 86_400 * 10**9


def _event_groups(c: "_Columns", idx: list[int]) -> list[list[int]]:
    subjects = _subject_tokens_of(c, idx)
    ns = c.date_ns()  # int64 ns per row (None: tz-aware dates, compared as Timestamps)
    out: list[list[int]] = []
    for group in _subject_groups(subjects, idx, c.col("claim_id")):
        dated, undated = [], []
        for i in group:
            if ns is not None:
                d = ns[i]
                (undated if d is None else dated).append((d, i))
            else:
                d = _ts(c.get("event_date", i))
                (undated if pd.isna(d) else dated).append((d, i))
        dated.sort()
        parts: list[list[int]] = []
        for k, (d, i) in enumerate(dated):
            if k == 0:
                parts.append([])
            else:
                step = d - dated[k - 1][0]
                if (step // _DAY_NS if ns is not None else step.days) > EVENT_GAP_DAYS:
                    parts.append([])
            parts[-1].append(i)
        if undated:
            if parts:
                max(parts, key=len).extend(i for _, i in undated)
            else:
                parts.append([i for _, i in undated])
        out.extend(parts)
    return out


_FOLD_CACHE: dict[str, str] = {}


def _fold_cached(word: str) -> str:
    hit = _FOLD_CACHE.get(word)
    if hit is None:
        if len(_FOLD_CACHE) > 500_000:
            _FOLD_CACHE.clear()
        hit = _FOLD_CACHE[word] = fold(word)
    return hit


def _text_tokens(text: str | None) -> frozenset[str]:
    return frozenset(map(_fold_cached, _WORD_RE.findall(text or "")))


def _text_key(text: str | None) -> str:
    return " ".join(sorted(_text_tokens(text)))


def _subject_key(subject: str | None) -> str:
    return " ".join(sorted(_subject_tokens(subject)))


def _text_groups(c: pd.DataFrame, idx: list[int]) -> list[list[int]]:
    """Near-identical quote/statement texts (token Jaccard >= 0.8); exact-text grouping if huge."""
    tokens = c.derived("claim_text", _text_tokens)
    toks = {i: tokens[i] for i in idx}
    parent = {i: i for i in idx}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_text: dict[frozenset[str], list[int]] = {}
    for i in idx:
        by_text.setdefault(toks[i], []).append(i)
    for members in by_text.values():
        for i in members[1:]:
            parent[find(i)] = find(members[0])
    keys = [k for k in by_text if len(k) >= 4]
    if len(keys) <= 400:
        for a, b in zip(keys, _similar_roots(keys), strict=True):
            ra, rb = find(by_text[a][0]), find(by_text[b][0])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    parts: dict[int, list[int]] = {}
    for i in idx:
        parts.setdefault(find(i), []).append(i)
    return list(parts.values())


def _similar_roots(keys: list[frozenset[str]]) -> list[frozenset[str]]:
    """For each of `keys`, one key of its component under token Jaccard >= 0.8 (connected
    components over all similar pairs).  Prefix filter instead of all pairs: with tokens ordered
    rarest first, two sets of Jaccard >= 4/5 share a token among the first ``n - ceil(4n/5) + 1``
    tokens of each (n = its size); a candidate already in the same component is not checked."""
    parent = list(range(len(keys)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    freq = Counter(t for k in keys for t in k)
    index: dict[str, list[int]] = {}
    for x, a in enumerate(keys):
        n = len(a)
        prefix = sorted(a, key=lambda t: (freq[t], t))[: n - (4 * n + 4) // 5 + 1]
        seen: set[int] = set()
        for t in prefix:
            for y in index.get(t, ()):
                if y in seen:
                    continue
                seen.add(y)
                rx, ry = find(x), find(y)
                if rx != ry:
                    b = keys[y]
                    if len(a & b) / len(a | b) >= 0.8:
                        parent[max(rx, ry)] = min(rx, ry)
            index.setdefault(t, []).append(x)
    return [keys[find(x)] for x in range(len(keys))]


def _normalised_text(value: str | None) -> str | None:
    """Lower-cased text with single spaces (None for no text)."""
    return " ".join(value.lower().split()) if value else None


def _label(c: pd.DataFrame, idx: list[int], ctype: str) -> str:
    def common(col: str) -> str | None:
        norm = c.derived(col, _normalised_text)
        values = [v for i in idx if (v := norm[i])]
        if not values:
            return None
        counts = Counter(values)
        return min(counts, key=lambda v: (-counts[v], len(v), v))

    if ctype == "quantity":
        subject, unit = common("subject"), common("quantity_unit")
        return f"{subject} ({unit})" if subject else (unit or "quantity")
    if ctype == "event":
        subject, verb = common("subject"), _lemma(common("event_verb") or "")
        dates = sorted(str(d.date()) for i in idx if not pd.isna(d := _ts(c.get("event_date", i))))
        when = f" ({dates[0]})" if dates and dates[0] == dates[-1] else (
            f" ({dates[0]}..{dates[-1]})" if dates else "")
        return " ".join(x for x in (subject, verb) if x) + when or "event"
    text = common("claim_text") or ""
    who = common("attributed_to")
    short = text if len(text) <= 80 else text[:79] + "…"
    return f"{ctype}: {short}" + (f" — {who}" if who else "")


def _fmt(v: float) -> str:
    return "inf" if math.isinf(v) else f"{v:,.0f}" if v == int(v) else f"{v:,.2f}"


def _quantity_conflict_rows(rows: list[tuple]) -> tuple[bool, str | None]:
    """Conflict test of one quantity cluster; rows = (value, low, high, qualifier, claim_text,
    claim_id, article_id)."""
    items = []
    for value, low, high, qualifier, text, cid, aid in rows:
        lo, hi, exact = quantity_interval(value, low, high, qualifier, text)
        items.append((lo, hi, exact, cid, aid))
    items.sort(key=lambda t: (t[0], t[1], t[3]))
    exact = [t for t in items if t[2]]
    if exact:  # the smallest exact figure against the first larger one (pairwise test, in O(n))
        x = exact[0]
        for y in exact:
            if x[0] < y[0]:
                return True, f"exact {_fmt(x[0])} ({x[3]}) vs exact {_fmt(y[0])} ({y[3]})"
    # disjoint intervals: the smallest upper bound below the largest lower bound
    low_hi = min(items, key=lambda t: (t[1], t[3]))
    high_lo = max(items, key=lambda t: (t[0], t[3]))
    if high_lo[0] > low_hi[1]:
        return True, (
            f"[{_fmt(low_hi[0])}, {_fmt(low_hi[1])}] ({low_hi[3]}) vs "
            f"[{_fmt(high_lo[0])}, {_fmt(high_lo[1])}] ({high_lo[3]})"
        )
    return False, None


def _event_conflict_dates(dates: list | None) -> tuple[bool, str | None]:
    """Conflict test of one event cluster from its dates: int64 ns or Timestamps (None/NaT for
    unknown): dates more than one day apart."""
    if dates is None:
        return False, None
    known = [d for d in dates if d is not None and not (d.__class__ is not int and pd.isna(d))]
    if len(known) < 2:
        return False, None
    lo, hi = min(known), max(known)
    days = (hi - lo) // _DAY_NS if lo.__class__ is int else (hi - lo).days
    if days > 1:
        return True, f"event dates {pd.Timestamp(lo).date()} vs {pd.Timestamp(hi).date()}"
    return False, None
