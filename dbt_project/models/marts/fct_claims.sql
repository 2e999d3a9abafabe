with claims as (
    select * from {{ ref('stg_claims') }}
),

documents as (
    select document_id, raw_text from {{ ref('stg_documents') }}
),

clusters as (
    select * from {{ ref('stg_claim_clusters') }}
),

final as (
    select
        claims.claim_id,
        claims.article_id,
        claims.claim_type,
        claims.claim_text,
        claims.char_start,
        claims.char_end,
        substr(documents.raw_text, claims.char_start + 1, claims.char_end - claims.char_start) as evidence_text,
        claims.quantity_value,
        claims.quantity_low,
        claims.quantity_high,
        claims.quantity_unit,
        claims.qualifier,
        claims.attributed_to,
        case when claims.attributed_to is not null
            then {{ surrogate_key(["'cited'", 'claims.attributed_to']) }} end as cited_source_id,
        claims.attribution_text,
        claims.attribution_verb,
        claims.event_verb,
        claims.event_date,
        claims.event_date_low,
        claims.event_date_high,
        claims.event_date_granularity,
        claims.event_date_anchor,
        claims.subject,
        clusters.cluster_id,
        claims.rule,
        claims.confidence,
        claims.code_version,
        claims.run_id
    from claims
    join documents on documents.document_id = claims.article_id
    left join clusters on clusters.claim_id = claims.claim_id
)

select * from final
