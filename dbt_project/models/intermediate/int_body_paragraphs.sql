-- Every body paragraph of 20-400 characters with its site (the paragraphs a site's chrome is found
-- among), kept so a run splits only the bodies it derived; one row with a null paragraph for an
-- article that has none.  Incremental by the article's derivation (run_id).
{{ incremental_by_derivation() }}

{% set built = built_from_ledger() %}

with {{ changed_articles_cte(built) }}articles as (
    select article_id, body_text, run_id from {{ ref('stg_articles') }}
    {{ only_changed(built) }}
),

documents as (
    select document_id, site_key from {{ ref('stg_documents') }}
    {{ only_changed(built, 'document_id') }}
),

paragraphs as (
    select
        articles.article_id,
        documents.site_key,
        trim(unnest(string_split(articles.body_text, chr(10) || chr(10)))) as paragraph,
        articles.run_id
    from articles
    join documents on documents.document_id = articles.article_id
    where documents.site_key is not null
),

kept as (
    select * from paragraphs where length(paragraph) between 20 and 400
),

final as (
    select article_id, site_key, paragraph, run_id from kept
    union all
    select articles.article_id, null, null, articles.run_id
    from articles anti join kept on kept.article_id = articles.article_id
)

select * from final
{{ replaced_keys(built) }}
