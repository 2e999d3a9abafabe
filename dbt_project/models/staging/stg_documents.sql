with source as (
    select * from {{ source('raw', 'documents') }}
),

final as (
    select
        document_id,
        uri as source_uri,
        format,
        size_bytes,
        encoding,
        text as raw_text,
        url,
        fetched_at,
        site_key,
        ingested_at,
        run_id
    from source
)

select * from final
