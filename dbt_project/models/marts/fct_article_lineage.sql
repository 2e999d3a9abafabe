-- Incremental by pair: link writes derived.lineage by changed pair (a pair added, or whose row changed,
-- carries the run that wrote it; a pair that is gone is deleted), so a run rewrites the pairs written by
-- runs this model was not built after and drops the pairs that are gone.
-- Same rows as a full rebuild (tested).
{{ incremental_by_key('lineage_id', 'article_id', runs_from=['derived.lineage'], derivations=false) }}

{% set built = built_from_ledger('built_runs') %}

with lineage as (
    select * from {{ ref('stg_lineage') }}
),

{{ changed_keys_cte(built, 'lineage', 'lineage_id') }}final as (
    select
        lineage_id,
        article_id,
        related_article_id,
        relation,
        similarity,
        containment,
        shared_shingles,
        earlier_article_id,
        evidence,
        rule
    from lineage
    {% if built %}where lineage_id in (select lineage_id from changed){% endif %}
)

select * from final
-- one placeholder row (article_id null) per changed pair: its old row goes even when the pair is gone
{{ replaced_keys(built, 'lineage_id', changed='changed') }}
