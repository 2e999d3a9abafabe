with source as (
    select * from {{ source('quality', 'row_failures') }}
),

final as (
    select run_id, suite_name, expectation_type, column_name, article_id, observed, expected, row_run_id
    from source
)

select * from final
