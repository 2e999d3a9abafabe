with source as (
    select * from {{ source('derived', 'lineage') }}
),

final as (
    select
        {{ surrogate_key(['article_id', 'related_article_id']) }} as lineage_id,
        article_id,
        related_article_id,
        relation,
        similarity,
        containment,
        shared_shingles,
        evidence,
        rule,
        earlier_article_id,
        run_id
    from source
)

select * from final
