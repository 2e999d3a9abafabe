with source as (
    select * from {{ source('raw', 'sightings') }}
),

final as (
    select document_id, uri as source_uri, seen_at, run_id, is_new
    from source
)

select * from final
