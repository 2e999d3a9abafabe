with source as (
    select * from {{ source('raw', 'findings') }}
),

final as (
    select
        document_id as article_id,
        finding_index,
        check_name,
        severity,
        observed,
        expected,
        evidence,
        rule,
        char_start,
        char_end,
        likely_cause,
        run_id
    from source
)

select * from final
