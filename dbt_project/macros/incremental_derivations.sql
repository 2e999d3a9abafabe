{#- Shared by the incremental marts keyed on a derivation (article_id + run_id): fct_claims and
    fct_date_candidates.  A run adds the rows of articles derived since the last build (new or
    re-derived); rows of a superseded derivation are dropped afterwards (post-hook). -#}

{% macro built_with_run_id() -%}
    {#- true in an incremental build of a table that already records each row's run -#}
    {{ return(is_incremental() and 'run_id' in (adapter.get_columns_in_relation(this) | map(attribute='name') | list)) }}
{%- endmacro %}

{% macro articles_derived_since_build() -%}
    select a.article_id from {{ ref('stg_articles') }} a
    where not exists (select 1 from {{ this }} t where t.article_id = a.article_id and t.run_id = a.run_id)
{%- endmacro %}

{% macro drop_superseded_derivations() -%}
    delete from {{ this }} t
    where not exists (select 1 from {{ ref('stg_articles') }} a where a.article_id = t.article_id and a.run_id = t.run_id)
{%- endmacro %}
