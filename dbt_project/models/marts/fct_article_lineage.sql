-- Incremental by pair: link rewrites derived.lineage as a whole each run, so a run compares it with
-- the pairs built last time and rewrites only the pairs that were added, removed or changed.
-- Same rows as a full rebuild (tested).
{{ incremental_by_key('lineage_id', 'article_id', derivations=false) }}

{% set columns = ['lineage_id', 'article_id', 'related_article_id', 'relation', 'similarity', 'containment',
                  'shared_shingles', 'earlier_article_id', 'evidence', 'rule'] %}

with lineage as (
    select * from {{ ref('stg_lineage') }}
),

final as (
    select {{ columns | join(', ') }}
    from lineage
)

{{ changed_rows_of('final', 'lineage_id', columns) }}
