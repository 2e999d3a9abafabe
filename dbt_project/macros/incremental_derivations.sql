{#- Shared by the incremental models.  Models keyed on a derivation (dim_articles, fct_claims,
    fct_date_candidates, int_article_sources, int_body_paragraphs) rebuild the rows of the articles
    derived (new or again) or dropped since they were last built (macro changed_derivations, from the
    build ledger in build_ledger.sql): a placeholder row per changed key deletes its old rows, the
    rows of the article's current derivation replace them. -#}

{% macro incremental_by_key(unique_key, present_column, runs_from=[], derivations=true) -%}
    {#- the config of a model written by key with the `replace_keys` strategy: its select names each
        changed key, with `present_column` null in a placeholder row that only deletes; the post-hook
        records the build (`runs_from`: link outputs whose run ids it read; `derivations`: whether it
        was built from article derivations) -#}
    {{ config(
        materialized='incremental',
        unique_key=unique_key,
        incremental_strategy='replace_keys',
        present_column=present_column,
        on_schema_change='sync_all_columns',
        post_hook="{{ record_build(" ~ runs_from ~ ("" if derivations else ", derivations=false") ~ ") }}"
    ) }}
{%- endmacro %}

{% macro incremental_by_derivation(unique_key='article_id', runs_from=[]) -%}
    {#- the config of a model keyed on a derivation (which reads stg_articles for the changed articles) -#}
    {%- do ref('stg_articles') -%}
    {{ incremental_by_key(unique_key, 'run_id', runs_from) }}
{%- endmacro %}

{% macro built_from_ledger(ledger_name='built_derivations') -%}
    {#- true in an incremental build of a model the ledger has rows for (a table built before the
        ledger existed is replaced as a whole, see replaced_keys) -#}
    {%- if not (execute and is_incremental()) %}{{ return(false) }}{% endif -%}
    {%- set found = run_query("select count(*) from " ~ ledger(ledger_name) ~ " where model = '" ~ this.identifier ~ "'") -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{%- endmacro %}

{% macro changed_articles_cte(built) -%}
    {#- `changed_articles as (...),` (articles derived or dropped since the last build) in a ledger build -#}
    {%- if built %}changed_articles as materialized (
    {{ changed_derivations() }}
),

{% endif -%}
{%- endmacro %}

{% macro changed_keys_cte(built, source, key) -%}
    {#- `changed as (...),` in a ledger build: the keys of `source` rows written by runs this model was not
        built after, and the keys it holds that `source` no longer has -#}
    {%- if built %}changed as materialized (
    select {{ key }} from {{ source }} where {{ unseen_runs() }}
    union
    select {{ key }} from {{ this }} anti join {{ source }} using ({{ key }})
),

{% endif -%}
{%- endmacro %}

{% macro only_changed(built, column='article_id') -%}
    {#- in a ledger build, keep the rows of the changed articles -#}
    {%- if built %}where {{ column }} in (select article_id from changed_articles){% endif -%}
{%- endmacro %}

{% macro replaced_keys(built, key='article_id', changed=none) -%}
    {#- placeholder rows (key only) for every key whose old rows go: in a ledger build those of the
        changed articles, or the keys in the relation `changed` when given (even when they have no rows
        now), else (a table built before the ledger) every key built earlier -#}
    {%- if built %}
    union all by name
    {% if changed is not none -%}
    select {{ key }} from {{ changed }}
    {%- elif key == 'article_id' -%}
    select article_id from changed_articles
    {%- else -%}
    select {{ key }} from {{ this }} where article_id in (select article_id from changed_articles)
    {%- endif %}
    {%- elif is_incremental() %}
    union all by name
    select distinct {{ key }} from {{ this }}
    {%- endif -%}
{%- endmacro %}

{#- Incremental strategy `replace_keys`: like delete+insert on `unique_key`, but a key may come with
    a placeholder row (`present_column` null) that only deletes: the model's select names every key
    whose rows changed, including keys that now have no rows.  The keys are recorded as untested
    (build_ledger.sql). -#}
{% macro get_incremental_replace_keys_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set key = arg_dict['unique_key'] -%}
    {%- set present = config.require('present_column') -%}
    {%- set cols = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }} where {{ key }} in (select {{ key }} from {{ source }});
    insert into {{ target }} ({{ cols }})
    select {{ cols }} from {{ source }} where {{ present }} is not null;
    insert into {{ ledger('untested_keys') }} select distinct '{{ target.identifier }}', {{ key }} from {{ source }};
{%- endmacro %}

{#- The keys whose rows in `new_rows` (a select) differ from `built_rows` (a select; default: the
    table built last time) in any of `columns` (added, removed or altered rows).  For models with one
    row per key (their unique test): rows are compared as sets (`except`, several times cheaper than
    `except all`). -#}
{% macro changed_keys(new_rows, key, columns, built_rows=none) -%}
    {%- set built_rows = built_rows or 'select * from ' ~ this -%}
    select {{ key }} from (
        (select {{ columns | join(', ') }} from ({{ new_rows }}) except select {{ columns | join(', ') }} from ({{ built_rows }}))
        union all
        (select {{ columns | join(', ') }} from ({{ built_rows }}) except select {{ columns | join(', ') }} from ({{ new_rows }}))
    ) group by {{ key }}
{%- endmacro %}

{#- The tail of a model rebuilt whole but written by changed key (`replace_keys`): after the CTE `final`
    (its rows now), an incremental build selects only the rows of the keys whose rows changed, plus one
    placeholder row per changed key (only the key: the present column null), so the old rows of a key
    go even when it has no rows now; a full build selects every row. -#}
{% macro changed_rows_of(final, key, columns) -%}
{% if is_incremental() %}
, changed as materialized (
    {{ changed_keys('select * from ' ~ final, key, columns) }}
)

select * from {{ final }} where {{ key }} in (select {{ key }} from changed)
union all by name
select {{ key }} from changed
{% else %}
select * from {{ final }}
{% endif %}
{%- endmacro %}
