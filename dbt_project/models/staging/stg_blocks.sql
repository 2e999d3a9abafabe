with source as (
    select * from {{ source('raw', 'blocks') }}
),

final as (
    select
        document_id as article_id,
        block_index,
        char_start,
        char_end,
        label,
        rule,
        confidence
    from source
)

select * from final
