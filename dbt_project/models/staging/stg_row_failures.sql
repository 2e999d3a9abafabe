with source as (
    select * from {{ source('quality', 'row_failures') }}
),

latest_run as (
    select run_id from {{ source('quality', 'validations') }}
    order by validated_at desc
    limit 1
),

final as (
    select source.*
    from source
    join latest_run using (run_id)
)

select * from final
