-- Every source an article names: its publisher, its wire agency, and the sources its claims cite.
with articles as (
    select * from {{ ref('stg_articles') }}
),

claims as (
    select * from {{ ref('stg_claims') }}
),

mentions as (
    select * from {{ ref('stg_mentions') }}
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
        article_id,
        name,
        source_type,
        entity_type
    from unioned
)

select * from final
