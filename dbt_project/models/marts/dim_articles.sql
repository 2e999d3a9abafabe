-- Incremental: a run rebuilds the rows of the articles derived (new or again) or dropped since the last
-- build (a row depends only on the article's own derivation, document and claims).
-- Same rows as a full rebuild (tested).
{{ incremental_by_derivation() }}

{% set built = built_from_ledger() %}

with {{ changed_articles_cte(built) }}documents as (
    select * from {{ ref('stg_documents') }}
    {{ only_changed(built, 'document_id') }}
),

articles as (
    select * from {{ ref('stg_articles') }}
    {{ only_changed(built) }}
),

claims as (
    select article_id, count(*) as n_claims from {{ ref('stg_claims') }}
    {{ only_changed(built) }}
    group by 1
),

final as (
    select
        articles.article_id,
        documents.source_uri,
        documents.url,
        documents.format,
        documents.site_key,
        articles.headline,
        articles.standfirst,
        articles.publisher,
        case when articles.publisher is not null
            then {{ surrogate_key(["'publisher'", 'articles.publisher']) }} end as publisher_source_id,
        articles.wire_agency,
        case when articles.wire_agency is not null
            then {{ surrogate_key(["'wire_agency'", 'articles.wire_agency']) }} end as wire_agency_source_id,
        array_to_string(articles.authors, '; ') as author,
        articles.authors,
        articles.dateline,
        articles.published_at,
        articles.published_date,
        articles.published_local,
        articles.published_date_source,
        articles.published_confidence,
        articles.published_is_inferred,
        articles.language,
        articles.body_text,
        articles.body_words,
        articles.boilerplate_ratio,
        coalesce(claims.n_claims, 0) as n_claims,
        documents.fetched_at,
        documents.ingested_at,
        articles.code_version,
        articles.run_id
    from articles
    join documents on documents.document_id = articles.article_id
    left join claims on claims.article_id = articles.article_id
)

select * from final
{{ replaced_keys(built) }}
