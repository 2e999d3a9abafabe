-- Every source an article names: its publisher, its wire agency, and the sources its claims cite.
-- Incremental: rows depend only on the article's own derivation (run_id), so a run rebuilds the rows of
-- the articles derived (new or again) or dropped since the last build.
{{ incremental_by_derivation() }}

{% set built = built_from_ledger() %}

with {{ changed_articles_cte(built) }}articles as (
    select * from {{ ref('stg_articles') }}
    {{ only_changed(built) }}
),

claims as (
    select * from {{ ref('stg_claims') }}
    {{ only_changed(built) }}
),

mentions as (
    select * from {{ ref('stg_mentions') }}
    {{ only_changed(built) }}
),

publishers as (
    select article_id, publisher as name, 'publisher' as source_type, 'media' as entity_type
    from articles where publisher is not null
),

agencies as (
    select article_id, wire_agency as name, 'wire_agency' as source_type, 'agency' as entity_type
    from articles where wire_agency is not null
),

cited_claims as (
    select article_id, attributed_to as name, 'cited' as source_type, null as entity_type
    from claims where attributed_to is not null
),

cited_mentions as (
    select article_id, canonical_name as name, 'cited' as source_type, entity_type
    from mentions
),

unioned as (
    select * from publishers
    union all select * from agencies
    union all select * from cited_claims
    union all select * from cited_mentions
),

final as (
    select
        {{ surrogate_key(['source_type', 'name']) }} as source_id,
        unioned.article_id,
        name,
        source_type,
        entity_type,
        articles.run_id   -- the article's derivation (incremental key)
    from unioned
    join articles using (article_id)
)

select * from final
{{ replaced_keys(built) }}
