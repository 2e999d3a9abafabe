with lineage as (
    select * from {{ ref('stg_lineage') }}
),

final as (
    select
        lineage_id,
        article_id,
        related_article_id,
        relation,
        similarity,
        containment,
        shared_shingles,
        earlier_article_id,
        evidence,
        rule
    from lineage
)

select * from final
