-- The analyst view: per cluster, each outlet's figure, qualifier, attribution and date.
-- Incremental by claim: a run recomputes the rows of claims that were added, removed or moved to
-- another cluster, of articles derived (new or re-derived) since the last build
-- (int_claim_outlet_articles records that build), and of clusters whose label or agreement changed.
-- Same rows as a full rebuild (tested).
{{ config(
    materialized='incremental',
    unique_key='claim_id',
    incremental_strategy='replace_keys',
    present_column='cluster_id',
    on_schema_change='sync_all_columns'
) }}
-- depends_on: {{ ref('stg_articles') }}

{%- set ledger = adapter.get_relation(database=this.database, schema='intermediate', identifier='int_claim_outlet_articles') if execute else none %}
{%- set built = is_incremental() and ledger is not none %}

with clusters as (
    select * from {{ ref('fct_claim_clusters') }}
),

claims as (
    select * from {{ ref('fct_claims') }}
),

articles as (
    select * from {{ ref('dim_articles') }}
),

{% if built %}
-- claims added, removed or moved to another cluster
moved as (
    select coalesce(c.claim_id, t.claim_id) as claim_id
    from (select claim_id, cluster_id from claims where cluster_id is not null) c
    full join (select claim_id, cluster_id from {{ this }}) t on t.claim_id = c.claim_id
    where c.cluster_id is distinct from t.cluster_id
),

rederived_articles as (
    select article_id from (
        (select article_id, run_id from {{ ref('stg_articles') }} except select article_id, run_id from {{ ledger }})
        union all
        (select article_id, run_id from {{ ledger }} except select article_id, run_id from {{ ref('stg_articles') }})
    )
),

relabelled_clusters as (
    select cluster_id from (
        select cluster_id, label, agreement from clusters
        except
        select distinct cluster_id, cluster_label, agreement from {{ this }}
    )
),

affected as materialized (
    select claim_id from moved
    union
    select claim_id from claims
    where article_id in (select article_id from rederived_articles)
       or cluster_id in (select cluster_id from relabelled_clusters)
    union
    select claim_id from {{ this }} where article_id in (select article_id from rederived_articles)
),
{% endif %}

rows as (
    select
        claims.claim_id,
        clusters.cluster_id,
        clusters.label as cluster_label,
        clusters.agreement,
        articles.article_id,
        -- the publisher, else the page's host, else the input file's name
        coalesce(
            articles.publisher,
            case when articles.url is not null then articles.site_key end,
            regexp_extract(articles.source_uri, '[^/#]+(#.*)?$')
        ) as outlet,
        articles.wire_agency,
        articles.headline,
        articles.published_date,
        claims.claim_type,
        claims.quantity_value,
        claims.quantity_low,
        claims.quantity_high,
        claims.quantity_unit,
        claims.qualifier,
        claims.attributed_to,
        claims.attribution_verb,
        claims.event_date,
        claims.evidence_text
    from claims
    join clusters on clusters.cluster_id = claims.cluster_id
    join articles on articles.article_id = claims.article_id
    {% if built %}where claims.claim_id in (select claim_id from affected){% endif %}
),

final as (
    select * from rows
    {% if built %}
    -- one placeholder row (cluster_id null) per affected claim: its old row goes even when it has none now
    union all by name
    select claim_id from affected
    {% elif is_incremental() %}
    -- built before its ledger existed: every claim built earlier is replaced
    union all by name
    select claim_id from {{ this }}
    {% endif %}
)

select * from final
