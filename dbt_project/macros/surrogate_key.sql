{# A stable text key from the given expressions (md5 of the parts joined with '|'; nulls as ''). #}
{% macro surrogate_key(parts) -%}
    md5(concat_ws('|', {% for p in parts %}coalesce(cast({{ p }} as varchar), ''){% if not loop.last %}, {% endif %}{% endfor %}))
{%- endmacro %}
