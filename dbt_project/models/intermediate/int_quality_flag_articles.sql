-- The articles (and their derivation) that fct_quality_flags was last built from: built right after
-- it, so its next incremental build knows which articles were derived or dropped since.
-- depends_on: {{ ref('fct_quality_flags') }}
select article_id, run_id from {{ ref('stg_articles') }}
