-- Incremental: a run rebuilds the candidates of the articles derived (new or again) or dropped since
-- the last build.  Same rows as a full rebuild (tested).
{{ incremental_by_derivation() }}

{% set built = built_from_ledger() %}

with {{ changed_articles_cte(built) }}candidates as (
    select * from {{ ref('stg_date_candidates') }}
    {{ only_changed(built) }}
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
{{ replaced_keys(built) }}
