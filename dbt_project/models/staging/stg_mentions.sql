with source as (
    select * from {{ source('raw', 'mentions') }}
),

final as (
    select
        {{ surrogate_key(['document_id', 'mention_index']) }} as mention_id,
        document_id as article_id,
        mention_index,
        text as mention_text,
        canonical_name,
        entity_type,
        char_start,
        char_end,
        rule,
        confidence
    from source
)

select * from final
