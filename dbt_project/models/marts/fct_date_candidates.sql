-- Incremental: a run adds the candidates of articles it derived (new or re-derived); a re-derived
-- article's earlier rows go (post-hook).  Same rows as a full rebuild (tested).
{{ incremental_by_derivation() }}

{% set built = built_with_run_id() %}

with candidates as (
    select * from {{ ref('stg_date_candidates') }}
    {% if built %}
    -- candidates of articles derived since the last build (new or re-derived)
    where article_id in ({{ articles_derived_since_build() }})
    {% endif %}
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
        confidence,
        run_id
    from candidates
)

select * from final
