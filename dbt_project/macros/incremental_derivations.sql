{#- Shared by the incremental marts.  Marts keyed on a derivation (article_id + run_id: fct_claims,
    fct_date_candidates, dim_articles, int_article_sources, int_body_paragraphs) add the rows of
    articles derived since the last build (new or re-derived); rows of a superseded derivation are
    dropped afterwards (post-hook). -#}

{% macro incremental_by_derivation(unique_key='article_id') -%}
    {#- the config of a model keyed on a derivation: replace a key's rows when its article is
        derived again, drop rows of superseded derivations afterwards -#}
    {{ config(
        materialized='incremental',
        unique_key=unique_key,
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        post_hook="{{ drop_superseded_derivations() }}"
    ) }}
{%- endmacro %}

{% macro derived_articles_cte(built) -%}
    {#- `derived_articles as (...),` (the articles derived since the last build) in an incremental build -#}
    {%- if built %}derived_articles as (
    {{ articles_derived_since_build() }}
),

{% endif -%}
{%- endmacro %}

{% macro only_derived(built, column='article_id') -%}
    {#- in an incremental build, keep the rows of articles derived since the last build -#}
    {%- if built %}where {{ column }} in (select article_id from derived_articles){% endif -%}
{%- endmacro %}

{% macro built_with_run_id() -%}
    {#- true in an incremental build of a table that already records each row's run -#}
    {{ return(is_incremental() and 'run_id' in (adapter.get_columns_in_relation(this) | map(attribute='name') | list)) }}
{%- endmacro %}

{% macro articles_derived_since_build() -%}
    select a.article_id from {{ ref('stg_articles') }} a
    anti join (select distinct article_id, run_id from {{ this }}) t
        on t.article_id = a.article_id and t.run_id = a.run_id
{%- endmacro %}

{% macro drop_superseded_derivations() -%}
    delete from {{ this }} t
    where not exists (select 1 from {{ ref('stg_articles') }} a where a.article_id = t.article_id and a.run_id = t.run_id)
{%- endmacro %}

{#- Incremental strategy `replace_keys`: like delete+insert on `unique_key`, but a key may come with
    a placeholder row (`present_column` null) that only deletes: the model's select names every key
    whose rows changed, including keys that now have no rows. -#}
{% macro get_incremental_replace_keys_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set key = arg_dict['unique_key'] -%}
    {%- set present = config.require('present_column') -%}
    {%- set cols = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }} where {{ key }} in (select {{ key }} from {{ source }});
    insert into {{ target }} ({{ cols }})
    select {{ cols }} from {{ source }} where {{ present }} is not null;
{%- endmacro %}

{#- The rows of `relation` (a select) that are not in the table built last time, by `key`: a key
    is changed when its rows differ in any of `columns` (added, removed or altered rows).  For small
    marts rebuilt from a derived table that the link step rewrites as a whole. -#}
{% macro changed_keys(new_rows, key, columns) -%}
    select {{ key }} from (
        (select {{ columns | join(', ') }} from ({{ new_rows }}) except all select {{ columns | join(', ') }} from {{ this }})
        union all
        (select {{ columns | join(', ') }} from {{ this }} except all select {{ columns | join(', ') }} from ({{ new_rows }}))
    ) group by {{ key }}
{%- endmacro %}
