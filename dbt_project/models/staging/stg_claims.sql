with source as (
    select * from {{ source('raw', 'claims') }}
),

final as (
    select
        {{ surrogate_key(['document_id', 'claim_index']) }} as claim_id,
        document_id as article_id,
        claim_index,
        claim_type,
        claim_text,
        char_start,
        char_end,
        sentence_index,
        rule,
        confidence,
        quantity_value,
        quantity_low,
        quantity_high,
        quantity_unit,
        qualifier,
        attributed_to,
        attribution_text,
        attribution_verb,
        event_verb,
        event_date,
        event_date_low,
        event_date_high,
        event_date_granularity,
        event_date_anchor,
        subject,
        code_version,
        run_id
    from source
)

select * from final
