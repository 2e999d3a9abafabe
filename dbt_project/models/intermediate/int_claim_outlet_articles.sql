-- The articles (and their derivation) that fct_claim_cluster_outlets was last built from: built right
-- after it, so its next incremental build knows which articles were derived or dropped since.
-- depends_on: {{ ref('fct_claim_cluster_outlets') }}
select article_id, run_id from {{ ref('stg_articles') }}
