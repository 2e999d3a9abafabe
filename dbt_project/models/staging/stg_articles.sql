with source as (
    select * from {{ source('raw', 'articles') }}
),

final as (
    select
        document_id as article_id,
        headline,
        standfirst,
        authors,
        wire_agency,
        dateline,
        publisher,
        language,
        body_text,
        body_words,
        boilerplate_ratio,
        published_date,
        published_at,
        published_local,
        published_date_source,
        published_confidence,
        published_is_inferred,
        published_candidate_index,
        code_version,
        run_id
    from source
)

select * from final
