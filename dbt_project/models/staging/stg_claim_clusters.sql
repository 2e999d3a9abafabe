with source as (
    select * from {{ source('derived', 'claim_clusters') }}
),

final as (
    select claim_id, cluster_id, cluster_label, story_id, run_id
    from source
)

select * from final
