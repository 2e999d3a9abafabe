-- Incremental by cluster: a run rewrites the clusters whose summary link rewrote since the last build
-- (derived.cluster_summary rows carry the run that wrote them; link re-summarises only clusters that
-- gained or lost a claim or whose sources changed) and drops the clusters that are gone.
-- Same rows as a full rebuild (tested).
{{ incremental_by_key('cluster_id', 'agreement', runs_from=['derived.cluster_summary'], derivations=false) }}

{% set built = built_from_ledger('built_runs') %}

with summary as (
    select * from {{ ref('stg_cluster_summary') }}
),

{{ changed_keys_cte(built, 'summary', 'cluster_id') }}final as (
    select
        cluster_id,
        label,
        claim_type,
        n_articles,
        n_sources,
        value_min,
        value_max,
        agreement
    from summary
    {% if built %}where cluster_id in (select cluster_id from changed){% endif %}
)

select * from final
-- one placeholder row (agreement null) per changed cluster: its old row goes even when it is gone
{{ replaced_keys(built, 'cluster_id', changed='changed') }}
