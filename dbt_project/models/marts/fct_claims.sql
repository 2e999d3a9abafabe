-- Incremental: a run rebuilds the claims of the articles derived (new or again) or dropped since the
-- last build, and moves the claims whose cluster row link rewrote since (derived.claim_clusters rows
-- carry the run that wrote them: only cluster_id and the rows' run stamps are read for those).
-- Same rows as a full rebuild (tested).
{{ incremental_by_derivation(unique_key='claim_id', runs_from=['derived.claim_clusters']) }}

{% set built = built_from_ledger() %}

with {{ changed_articles_cte(built) }}clusters as (
    select claim_id, cluster_id from {{ ref('stg_claim_clusters') }}
),

claims as (
    select * from {{ ref('stg_claims') }}
    {{ only_changed(built) }}
),

documents as (
    select document_id, raw_text from {{ ref('stg_documents') }}
    {{ only_changed(built, 'document_id') }}
),

{% if built %}
-- claims already built (of articles that did not change) whose cluster row was rewritten since
moved as (
    select t.* exclude (cluster_id), k.cluster_id
    from {{ this }} t
    join (select claim_id, cluster_id from {{ ref('stg_claim_clusters') }} where {{ unseen_runs() }}) k
        on k.claim_id = t.claim_id
    where t.article_id not in (select article_id from changed_articles)
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
{{ replaced_keys(built, 'claim_id') }}
