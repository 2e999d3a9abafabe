-- Incremental: a run adds the candidates of articles it derived (new or re-derived); a re-derived
-- article's earlier rows go (post-hook).  Same rows as a full rebuild (tested).
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns',
    post_hook="delete from {{ this }} t where not exists (select 1 from {{ ref('stg_articles') }} a where a.article_id = t.article_id and a.run_id = t.run_id)"
) }}

{% set built = is_incremental() and 'run_id' in (adapter.get_columns_in_relation(this) | map(attribute='name') | list) %}

with candidates as (
    select * from {{ ref('stg_date_candidates') }}
    {% if built %}
    -- candidates of articles derived since the last build (new or re-derived)
    where article_id in (
        select a.article_id from {{ ref('stg_articles') }} a
        where not exists (select 1 from {{ this }} t where t.article_id = a.article_id and t.run_id = a.run_id)
    )
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
