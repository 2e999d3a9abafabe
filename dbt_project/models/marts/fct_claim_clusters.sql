with summary as (
    select * from {{ ref('stg_cluster_summary') }}
),

final as (
    select
        cluster_id,
        label,
        claim_type,
        n_articles,
        n_sources,
        value_min,
        value_max,
        agreement
    from summary
)

select * from final
