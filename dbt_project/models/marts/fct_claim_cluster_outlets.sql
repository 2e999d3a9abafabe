-- The analyst view: per cluster, each outlet's figure, qualifier, attribution and date.
with clusters as (
    select * from {{ ref('fct_claim_clusters') }}
),

claims as (
    select * from {{ ref('fct_claims') }}
),

articles as (
    select * from {{ ref('dim_articles') }}
),

final as (
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
)

select * from final
