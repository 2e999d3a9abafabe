-- The analyst view: per cluster, each outlet's figure, qualifier, attribution and date.
-- Incremental by claim: a run recomputes the rows of the claims of articles derived (new or again) or
-- dropped since the last build, of claims whose cluster row link rewrote since (moved or relabelled),
-- and of claims in clusters whose label or agreement changed (among those link re-summarised since).
-- Same rows as a full rebuild (tested).
{{ incremental_by_key('claim_id', 'cluster_id', ['derived.claim_clusters', 'derived.cluster_summary']) }}
-- depends_on: {{ ref('stg_articles') }} {{ ref('stg_claim_clusters') }} {{ ref('stg_cluster_summary') }}

{%- set built = built_from_ledger() %}

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
{{ changed_articles_cte(built) }}-- clusters whose label or agreement changed: among those link re-summarised since
relabelled_clusters as (
    select cluster_id, label, agreement from {{ ref('stg_cluster_summary') }} where {{ unseen_runs() }}
    except
    select distinct cluster_id, cluster_label, agreement from {{ this }}
    where cluster_id in (select cluster_id from {{ ref('stg_cluster_summary') }} where {{ unseen_runs() }})
),

affected as materialized (
    select claim_id from {{ ref('stg_claim_clusters') }} where {{ unseen_runs() }}
    union
    -- (the table, not the claims CTE: a CTE read twice is materialized whole)
    select claim_id from {{ ref('fct_claims') }}
    where article_id in (select article_id from changed_articles)
       or cluster_id in (select cluster_id from relabelled_clusters)
    union
    select claim_id from {{ this }} where article_id in (select article_id from changed_articles)
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
    -- one placeholder row (cluster_id null) per affected claim: its old row goes even when it has none now
    {{ replaced_keys(built, 'claim_id', changed='affected') }}
)

select * from final
