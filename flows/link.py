"""The link step: cross-article lineage and claim clusters over everything in the warehouse."""

from __future__ import annotations

import hashlib

import duckdb
import pandas as pd

from flows.text.clusters import cluster_claims, summarise_clusters
from flows.text.lineage import find_lineage
from flows.warehouse import insert_frame


def claim_id(document_id: str, claim_index: int) -> str:
    """The same key dbt builds: md5 of 'document_id|claim_index' (macro surrogate_key)."""
    return hashlib.md5(f"{document_id}|{claim_index}".encode()).hexdigest()


def link_warehouse(con: duckdb.DuckDBPyConnection, run_id: str) -> dict:
    articles = con.execute(
        """
        select document_id as article_id, body_text, publisher, wire_agency, published_at, published_date
        from raw.articles
        """
    ).df()
    claims = con.execute(
        """
        select document_id as article_id, claim_index, claim_type, claim_text, quantity_value,
               quantity_low, quantity_high, quantity_unit, qualifier, attributed_to, subject,
               event_verb, event_date
        from raw.claims
        """
    ).df()
    claims.insert(0, "claim_id", [claim_id(d, i) for d, i in zip(claims["article_id"], claims["claim_index"])])
    lineage = find_lineage(articles)
    clustered = cluster_claims(claims, articles, lineage)
    summary = summarise_clusters(claims.merge(clustered, on="claim_id"), articles, lineage)
    con.execute("begin transaction")
    try:
        for table, frame in (("derived.lineage", lineage), ("derived.claim_clusters", clustered),
                             ("derived.cluster_summary", summary)):
            con.execute(f"delete from {table}")  # internal constant; recomputed whole each run
            if not frame.empty:
                frame = frame.assign(run_id=run_id)
                if table == "derived.claim_clusters":
                    frame = frame[["claim_id", "cluster_id", "cluster_label", "story_id", "run_id"]]
                insert_frame(con, table, frame)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return {"lineage_pairs": len(lineage), "clusters": len(summary)}
