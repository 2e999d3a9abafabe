with source as (
    select * from {{ source('derived', 'cluster_summary') }}
),

final as (
    select cluster_id, label, claim_type, n_articles, n_sources, value_min, value_max, agreement, run_id
    from source
)

select * from final
