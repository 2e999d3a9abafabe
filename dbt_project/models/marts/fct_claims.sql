-- Incremental: a run rebuilds the claims of articles it derived (new or re-derived) and moves the
-- claims whose cluster changed when it linked them; a re-derived article's earlier claims go (post-hook).
-- Same rows as a full rebuild (tested).
{{ incremental_by_derivation(unique_key='claim_id') }}

{% set built = built_with_run_id() %}

with clusters as (
    select * from {{ ref('stg_claim_clusters') }}
),

{% if built %}
-- articles derived since the last build (new or re-derived): their claims are read again
derived_articles as (
    {{ articles_derived_since_build() }}
),

claims as (
    select * from {{ ref('stg_claims') }}
    where article_id in (select article_id from derived_articles)
),

documents as (
    select document_id, raw_text from {{ ref('stg_documents') }}
    where document_id in (select article_id from derived_articles)
),

-- claims already built whose cluster changed when this run linked them: only cluster_id moves
moved_ids as (
    select t.claim_id, k.cluster_id
    from (select claim_id, cluster_id, article_id from {{ this }}) t
    left join clusters k on k.claim_id = t.claim_id
    where t.cluster_id is distinct from k.cluster_id
      and t.article_id not in (select article_id from derived_articles)
),

moved as (
    select t.* exclude (cluster_id), m.cluster_id
    from {{ this }} t join moved_ids m on m.claim_id = t.claim_id
),
{% else %}
claims as (
    select * from {{ ref('stg_claims') }}
),

documents as (
    select document_id, raw_text from {{ ref('stg_documents') }}
),
{% endif %}

derived as (
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
),

final as (
    select * from derived
    {% if built %}
    union all by name
    select * from moved
    {% endif %}
)

select * from final
