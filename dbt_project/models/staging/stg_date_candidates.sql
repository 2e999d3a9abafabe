with source as (
    select * from {{ source('raw', 'date_candidates') }}
),

final as (
    select
        {{ surrogate_key(['document_id', 'candidate_index']) }} as date_candidate_id,
        document_id as article_id,
        candidate_index,
        char_start,
        char_end,
        text as date_text,
        location,
        granularity,
        rule,
        confidence,
        value_date,
        value_utc,
        local_time,
        tz_name,
        is_ambiguous,
        alternatives,
        is_relative,
        block_index,
        is_chosen,
        run_id
    from source
)

select * from final
