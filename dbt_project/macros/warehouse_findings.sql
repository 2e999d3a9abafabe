{#- Findings that need more than one document, one macro per check, each a select of
    (article_id, check_name, severity, observed, expected, evidence, rule, flag_source).
    `only`: none for every article, else a select of the article_ids to compute (the flags of those
    articles only, still judged against the whole warehouse).  Used by int_warehouse_findings (all)
    and the incremental fct_quality_flags (the articles whose flags may have changed). -#}

{% macro _only(column, only) -%}
    {%- if only is not none %} and {{ column }} in ({{ only }}){% endif -%}
{%- endmacro %}

{% macro wf_duplicate_documents(only=none) -%}
    select
        document_id as article_id,
        'duplicate_document' as check_name,
        'info' as severity,
        count(distinct source_uri) || ' inputs with identical bytes' as observed,
        'each document ingested once' as expected,
        string_agg(distinct source_uri, ' | ' order by source_uri) as evidence,  -- in a fixed order: the flag_id hashes it
        'sightings_same_sha256' as rule,
        'warehouse_check' as flag_source
    from {{ ref('stg_sightings') }}
    where true {{ _only('document_id', only) }}
    group by document_id
    having count(distinct source_uri) > 1
{%- endmacro %}

{% macro wf_syndicated(only=none) -%}
    select * from (
        select
            case when earlier_article_id = article_id then related_article_id else article_id end as article_id,
            'syndication' as check_name,
            'info' as severity,
            relation || ' of ' || coalesce(earlier_article_id, related_article_id)
                || ' (similarity ' || round(similarity, 2) || ')' as observed,
            'independent reporting' as expected,
            evidence,
            rule,
            'warehouse_check' as flag_source
        from {{ ref('stg_lineage') }}
        where relation in ('syndicated_copy', 'derived_rewrite')
    ) where true {{ _only('article_id', only) }}
{%- endmacro %}

{% macro wf_ratio_outliers(only=none) -%}
    {#- the site statistics always cover every article of the site -#}
    select
        articles.article_id,
        'boilerplate_ratio_outlier' as check_name,
        'info' as severity,
        'boilerplate_ratio ' || round(articles.boilerplate_ratio, 3) as observed,
        'within 3 sd of the site mean ' || round(site_stats.mean_ratio, 3) as expected,
        'site ' || documents.site_key || ' (' || site_stats.n || ' articles)' as evidence,
        'site_zscore_gt_3' as rule,
        'warehouse_check' as flag_source
    from {{ ref('stg_articles') }} articles
    join {{ ref('stg_documents') }} documents on documents.document_id = articles.article_id
    join (
        select
            documents.site_key,
            avg(articles.boilerplate_ratio) as mean_ratio,
            stddev_samp(articles.boilerplate_ratio) as sd_ratio,
            count(*) as n
        from {{ ref('stg_articles') }} articles
        join {{ ref('stg_documents') }} documents on documents.document_id = articles.article_id
        group by documents.site_key
    ) site_stats on site_stats.site_key = documents.site_key
    where site_stats.n >= 5
      and site_stats.sd_ratio > 0
      and abs(articles.boilerplate_ratio - site_stats.mean_ratio) > 3 * site_stats.sd_ratio
      {{ _only('articles.article_id', only) }}
{%- endmacro %}

{% macro wf_site_repeats(only=none) -%}
    {#- a body paragraph that recurs on 3+ pages of one site is the site's chrome, not the story;
        int_body_paragraphs holds every body paragraph of 20-400 characters (those that can count) -#}
    select * from (
    with body_paragraphs as (
        select article_id, site_key, paragraph from {{ ref('int_body_paragraphs') }}
        where paragraph is not null {{ _only('article_id', only) }}
    ),
    repeated_paragraphs as (
        select p.site_key, p.paragraph, count(distinct p.article_id) as n_pages
        from {{ ref('int_body_paragraphs') }} p
        {% if only is not none %}semi join (select distinct site_key, paragraph from body_paragraphs) k
            on k.site_key = p.site_key and k.paragraph = p.paragraph{% endif %}
        where p.paragraph is not null
        group by p.site_key, p.paragraph
        having count(distinct p.article_id) >= 3
    )
    select
        body_paragraphs.article_id,
        'boilerplate_in_body' as check_name,
        'warn' as severity,
        'body paragraph repeated on ' || repeated_paragraphs.n_pages || ' pages of ' || body_paragraphs.site_key as observed,
        'body text unique to the article' as expected,
        body_paragraphs.paragraph as evidence,
        'site_repeated_paragraph' as rule,
        'warehouse_check' as flag_source
    from body_paragraphs
    join repeated_paragraphs using (site_key, paragraph)
    )
{%- endmacro %}

{% macro wf_gx_failures(only=none) -%}
    select
        row_failures.article_id,
        'gx_' || expectation_type as check_name,
        'warn' as severity,
        observed,
        expected,
        suite_name || ': ' || coalesce(column_name, '') as evidence,
        'great_expectations' as rule,
        'great_expectations' as flag_source
    from {{ ref('stg_row_failures') }} row_failures
    -- failures of the article's current derivation (re-derived articles drop their old ones)
    join {{ ref('stg_articles') }} articles
        on articles.article_id = row_failures.article_id and articles.run_id = row_failures.row_run_id
    where true {{ _only('row_failures.article_id', only) }}
{%- endmacro %}

{#- the checks the incremental fct_quality_flags computes for every article and compares with what it
    built (no stamp says which of their inputs changed), and the filter of the mart's rows they made -#}
{% macro wf_compared_findings(only=none) -%}
    {{ wf_syndicated(only) }}
    union all {{ wf_ratio_outliers(only) }}
    union all {{ wf_gx_failures(only) }}
{%- endmacro %}

{#- a compared row's columns but its article, as one hash (rows of the checks above, or of the mart) -#}
{% macro compared_row_hash() -%}
    hash(check_name, severity, observed, expected, evidence, rule, flag_source) as row_hash
{%- endmacro %}

{% macro wf_compared_flag() -%}
    (flag_source = 'great_expectations'
     or (flag_source = 'warehouse_check' and check_name in ('syndication', 'boilerplate_ratio_outlier')))
{%- endmacro %}

{#- The mart's rows from a select of (article_id, check_name, severity, observed, expected, evidence,
    rule, char_start, char_end, likely_cause, flag_source): one row per flag_id, articles that exist. -#}
{% macro flag_rows(unioned) -%}
    select
        {{ surrogate_key(['unioned.article_id', 'check_name', 'flag_source', 'rule', 'evidence', 'char_start', 'observed']) }} as flag_id,
        unioned.*
    from ({{ unioned }}) unioned
    semi join {{ ref('stg_articles') }} articles on articles.article_id = unioned.article_id
    qualify row_number() over (partition by flag_id order by check_name) = 1
{%- endmacro %}

{% macro text_flags(only=none) -%}
    select
        article_id, check_name, severity, observed, expected, evidence, rule,
        char_start, char_end, likely_cause, 'text_check' as flag_source
    from {{ ref('stg_findings') }}
    where true {{ _only('article_id', only) }}
{%- endmacro %}

{% macro as_flags(findings) -%}
    select
        article_id, check_name, severity, observed, expected, evidence, rule,
        null::integer as char_start, null::integer as char_end, null::varchar as likely_cause, flag_source
    from ({{ findings }})
{%- endmacro %}
