with article_sources as (
    select * from {{ ref('int_article_sources') }}
),

claims as (
    select * from {{ ref('stg_claims') }}
),

claim_counts as (
    select {{ surrogate_key(["'cited'", 'attributed_to']) }} as source_id, count(*) as n_claims
    from claims
    where attributed_to is not null
    group by 1
),

grouped as (
    select
        source_id,
        any_value(name) as name,
        any_value(source_type) as source_type,
        mode(entity_type) as entity_type,
        count(distinct article_id) as n_articles
    from article_sources
    group by source_id
),

final as (
    select
        grouped.source_id,
        grouped.name,
        grouped.source_type,
        grouped.entity_type,
        grouped.n_articles,
        coalesce(claim_counts.n_claims, 0) as n_claims
    from grouped
    left join claim_counts using (source_id)
)

select * from final
