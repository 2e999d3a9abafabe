-- Incremental by pair: link rewrites derived.lineage as a whole each run, so a run compares it with
-- the pairs built last time and rewrites only the pairs that were added, removed or changed.
-- Same rows as a full rebuild (tested).
{{ config(
    materialized='incremental',
    unique_key='lineage_id',
    incremental_strategy='replace_keys',
    present_column='article_id',
    on_schema_change='sync_all_columns',
    post_hook="{{ record_build(derivations=false) }}"
) }}

{% set columns = ['lineage_id', 'article_id', 'related_article_id', 'relation', 'similarity', 'containment',
                  'shared_shingles', 'earlier_article_id', 'evidence', 'rule'] %}

with lineage as (
    select * from {{ ref('stg_lineage') }}
),

final as (
    select {{ columns | join(', ') }}
    from lineage
)

{% if is_incremental() %}
, changed as materialized (
    {{ changed_keys('select * from final', 'lineage_id', columns) }}
)

select * from final where lineage_id in (select lineage_id from changed)
-- one placeholder row (article_id null) per changed pair: its old row goes even when it is gone
union all by name
select lineage_id from changed
{% else %}
select * from final
{% endif %}
