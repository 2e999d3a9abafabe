-- Every body paragraph of 20-400 characters with its site (the paragraphs a site's chrome is found
-- among), kept so a run splits only the bodies it derived; one row with a null paragraph for an
-- article that has none.  Incremental by the article's derivation (run_id).
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns',
    post_hook="{{ drop_superseded_derivations() }}"
) }}

{% set built = built_with_run_id() %}

with {% if built %}derived_articles as (
    {{ articles_derived_since_build() }}
),

{% endif %}articles as (
    select article_id, body_text, run_id from {{ ref('stg_articles') }}
    {% if built %}where article_id in (select article_id from derived_articles){% endif %}
),

documents as (
    select document_id, site_key from {{ ref('stg_documents') }}
    {% if built %}where document_id in (select article_id from derived_articles){% endif %}
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
