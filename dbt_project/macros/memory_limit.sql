{#- DuckDB's buffer pool during a build (it spills to disk beyond). The flow sets
    NEWSLEDGER_DBT_MEMORY_LIMIT (flows/transform.py: a build that runs out of memory is run again with
    the cap doubled); a hand-run build gets the default. Read only when the hook executes, never while
    parsing, so a raised cap does not make dbt re-parse the project. memory_limit is a global DuckDB
    setting: it holds for every thread's connection. -#}
{% macro set_memory_limit() %}
  {%- if execute -%}
    set memory_limit = '{{ env_var("NEWSLEDGER_DBT_MEMORY_LIMIT", "512MB") }}'
  {%- endif -%}
{% endmacro %}
