-- Rebuilt from every article's sources each run (a few hundred rows), but written incrementally: only
-- the sources whose row changed (or that are gone) are rewritten, so the tests of the articles and
-- claims pointing at sources read only those.
{{ incremental_by_key('source_id', 'name', derivations=false) }}

{% set columns = ['source_id', 'name', 'source_type', 'entity_type', 'n_articles', 'n_claims'] %}

with article_sources as (
    select * from {{ ref('int_article_sources') }}
),

claim_counts as (
    -- fct_claims.cited_source_id is the cited source's key (md5 of 'cited' and attributed_to)
    select cited_source_id as source_id, count(*) as n_claims
    from {{ ref('fct_claims') }}
    where cited_source_id is not null
    group by 1
),

grouped as (
    select
        source_id,
        any_value(name) as name,
        any_value(source_type) as source_type,
        mode(entity_type) as entity_type,
        count(distinct article_id) as n_articles
    from article_sources
    group by source_id
),

final as (
    select
        grouped.source_id,
        grouped.name,
        grouped.source_type,
        grouped.entity_type,
        grouped.n_articles,
        coalesce(claim_counts.n_claims, 0) as n_claims
    from grouped
    left join claim_counts using (source_id)
)

{{ changed_rows_of('final', 'source_id', columns) }}
