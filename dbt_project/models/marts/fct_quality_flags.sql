with text_findings as (
    select * from {{ ref('stg_findings') }}
),

warehouse_findings as (
    select * from {{ ref('int_warehouse_findings') }}
),

articles as (
    select article_id from {{ ref('stg_articles') }}
),

unioned as (
    select
        article_id, check_name, severity, observed, expected, evidence, rule,
        char_start, char_end, likely_cause, 'text_check' as flag_source
    from text_findings
    union all
    select
        article_id, check_name, severity, observed, expected, evidence, rule,
        null::integer, null::integer, null::varchar, flag_source
    from warehouse_findings
),

final as (
    select
        {{ surrogate_key(['unioned.article_id', 'check_name', 'flag_source', 'rule', 'evidence', 'char_start', 'observed']) }} as flag_id,
        unioned.*
    from unioned
    join articles using (article_id)
    qualify row_number() over (partition by flag_id order by check_name) = 1
)

select * from final
