{#- Tests configured with `where: __untested__` read only the rows they have to see: those of keys the
    tested incremental model wrote or deleted since its tests last passed (`untested_keys`, see
    build_ledger.sql).  A full build records every row as untested, so a first build, a
    `--full-refresh` and a fresh clone test everything.  Per test:
    * not_null, accepted_values (a property of each row): the untested rows;
    * unique on the model's key: every row of an untested key, so a key written this time is compared
      with the rows already there; unique on another column: every row carrying a value that an
      untested row carries;
    * relationships: the untested child rows, and the child rows pointing at a parent key the parent
      model rewrote or deleted since (a parent row can only go away through its model's build); a
      parent that is not incremental (or keyed on another column) gets the whole test.
    Any other test, or a model that is not incremental: every row. -#}

{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where == '__untested__' -%}
        {%- set rows = untested_rows(relation) -%}
        {%- do return('(' ~ rows ~ ') dbt_subquery' if rows else relation) -%}
    {%- elif where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{% macro _untested(model_name, column) -%}
    {{ column }} in (select key from {{ ledger('untested_keys') }} where model = '{{ model_name }}')
{%- endmacro %}

{% macro _everything_untested(models) -%}
    {#- does any of `models` have every row untested (a null key: a full build, or a null key written)? -#}
    {%- set found = run_query("select count(*) from " ~ ledger('untested_keys') ~ " where key is null and model in ('"
                              ~ models | join("', '") ~ "')") -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{%- endmacro %}

{% macro untested_rows(relation) -%}
    {#- the select of the rows a test marked `where: __untested__` reads, or none for every row
        (each branch a semi join on a key: no join over the whole model) -#}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set tested = graph.nodes[model.attached_node] -%}
    {%- set key = tested.config.unique_key -%}
    {%- if tested.config.materialized != 'incremental' or key is not string -%}{{ return(none) }}{%- endif -%}
    {%- set rows = 'select * from ' ~ relation ~ ' where ' ~ _untested(tested.alias, key) -%}
    {%- set test = model.test_metadata.name -%}
    {%- set kwargs = model.test_metadata.kwargs -%}
    {%- set column = kwargs.get('column_name') -%}
    {%- if test in ('not_null', 'accepted_values', 'unique') and not _everything_untested([tested.alias]) -%}
        {%- if test == 'unique' and column != key -%}
            {{ return('select * from ' ~ relation ~ ' where ' ~ column ~ ' in (select ' ~ column ~ ' from (' ~ rows ~ '))') }}
        {%- endif -%}
        {{ return(rows) }}
    {%- elif test == 'relationships' -%}
        {%- set parents = model.depends_on.nodes | reject('equalto', model.attached_node) | list -%}
        {%- set parent = graph.nodes[parents[0]] if parents | length == 1 else none -%}
        {%- if parent is none or parent.config.materialized != 'incremental' or parent.config.unique_key != kwargs.get('field')
              or _everything_untested([tested.alias, parent.alias]) -%}
            {{ return(none) }}
        {%- endif -%}
        {#- (a child row may come twice: the test looks for children without a parent, duplicates do not matter) -#}
        {{ return(rows ~ ' union all select * from ' ~ relation ~ ' where ' ~ _untested(parent.alias, column)) }}
    {%- else -%}
        {{ return(none) }}
    {%- endif -%}
{%- endmacro %}
