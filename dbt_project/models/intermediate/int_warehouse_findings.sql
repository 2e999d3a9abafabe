-- Findings that need more than one document: duplicates, syndication, site-level boilerplate outliers,
-- and the row-level failures of the latest Great Expectations validation.
-- A view over the checks in macros/warehouse_findings.sql: the incremental fct_quality_flags runs the
-- same checks for the articles whose flags may have changed only.
{{ config(materialized='view') }}

select * from ({{ wf_duplicate_documents() }})
union all select * from ({{ wf_syndicated() }})
union all select * from ({{ wf_ratio_outliers() }})
union all select * from ({{ wf_site_repeats() }})
union all select * from ({{ wf_gx_failures() }})
