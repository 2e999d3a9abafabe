-- Findings that need more than one document: duplicates, syndication, site-level boilerplate outliers,
-- and the row-level failures of the latest Great Expectations validation.
with sightings as (
    select * from {{ ref('stg_sightings') }}
),

articles as (
    select * from {{ ref('stg_articles') }}
),

documents as (
    select * from {{ ref('stg_documents') }}
),

lineage as (
    select * from {{ ref('stg_lineage') }}
),

row_failures as (
    select * from {{ ref('stg_row_failures') }}
),

duplicate_documents as (
    select
        document_id as article_id,
        'duplicate_document' as check_name,
        'info' as severity,
        count(distinct source_uri) || ' inputs with identical bytes' as observed,
        'each document ingested once' as expected,
        string_agg(distinct source_uri, ' | ') as evidence,
        'sightings_same_sha256' as rule
    from sightings
    group by document_id
    having count(distinct source_uri) > 1
),

syndicated as (
    select
        case when earlier_article_id = article_id then related_article_id else article_id end as article_id,
        'syndication' as check_name,
        'info' as severity,
        relation || ' of ' || coalesce(earlier_article_id, related_article_id)
            || ' (similarity ' || round(similarity, 2) || ')' as observed,
        'independent reporting' as expected,
        evidence,
        rule
    from lineage
    where relation in ('syndicated_copy', 'derived_rewrite')
),

site_stats as (
    select
        documents.site_key,
        avg(articles.boilerplate_ratio) as mean_ratio,
        stddev_samp(articles.boilerplate_ratio) as sd_ratio,
        count(*) as n
    from articles
    join documents on documents.document_id = articles.article_id
    group by documents.site_key
),

ratio_outliers as (
    select
        articles.article_id,
        'boilerplate_ratio_outlier' as check_name,
        'info' as severity,
        'boilerplate_ratio ' || round(articles.boilerplate_ratio, 3) as observed,
        'within 3 sd of the site mean ' || round(site_stats.mean_ratio, 3) as expected,
        'site ' || documents.site_key || ' (' || site_stats.n || ' articles)' as evidence,
        'site_zscore_gt_3' as rule
    from articles
    join documents on documents.document_id = articles.article_id
    join site_stats on site_stats.site_key = documents.site_key
    where site_stats.n >= 5
      and site_stats.sd_ratio > 0
      and abs(articles.boilerplate_ratio - site_stats.mean_ratio) > 3 * site_stats.sd_ratio
),

body_paragraphs as (
    select
        articles.article_id,
        documents.site_key,
        trim(unnest(string_split(articles.body_text, chr(10) || chr(10)))) as paragraph
    from articles
    join documents on documents.document_id = articles.article_id
    where documents.site_key is not null
),

repeated_paragraphs as (
    -- a body paragraph that recurs on 3+ pages of one site is the site's chrome, not the story
    select site_key, paragraph, count(distinct article_id) as n_pages
    from body_paragraphs
    where length(paragraph) between 20 and 400
    group by site_key, paragraph
    having count(distinct article_id) >= 3
),

site_repeats as (
    select
        body_paragraphs.article_id,
        'boilerplate_in_body' as check_name,
        'warn' as severity,
        'body paragraph repeated on ' || repeated_paragraphs.n_pages || ' pages of ' || body_paragraphs.site_key as observed,
        'body text unique to the article' as expected,
        body_paragraphs.paragraph as evidence,
        'site_repeated_paragraph' as rule
    from body_paragraphs
    join repeated_paragraphs using (site_key, paragraph)
),

gx_failures as (
    select
        row_failures.article_id,
        'gx_' || expectation_type as check_name,
        'warn' as severity,
        observed,
        expected,
        suite_name || ': ' || coalesce(column_name, '') as evidence,
        'great_expectations' as rule
    from row_failures
    -- failures of the article's current derivation (re-derived articles drop their old ones)
    join articles on articles.article_id = row_failures.article_id and articles.run_id = row_failures.row_run_id
),

final as (
    select *, 'warehouse_check' as flag_source from duplicate_documents
    union all select *, 'warehouse_check' from syndicated
    union all select *, 'warehouse_check' from ratio_outliers
    union all select *, 'warehouse_check' from site_repeats
    union all select *, 'great_expectations' from gx_failures
)

select * from final
