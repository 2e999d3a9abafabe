with candidates as (
    select * from {{ ref('stg_date_candidates') }}
),

final as (
    select
        date_candidate_id,
        article_id,
        candidate_index,
        date_text,
        location,
        granularity,
        value_date,
        value_utc,
        local_time,
        tz_name,
        is_ambiguous,
        is_relative,
        is_chosen,
        char_start,
        char_end,
        rule,
        confidence
    from candidates
)

select * from final
