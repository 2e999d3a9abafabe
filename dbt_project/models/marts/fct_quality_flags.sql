-- Incremental: a run recomputes the flags of every article whose flags may have changed
--   * articles derived (new or again) or dropped since the last build (the build ledger): their text
--     findings, and their paragraphs' chrome counts on their site;
--   * documents seen again (new raw.sightings rows since the last build): duplicate_document;
--   * articles sharing a body paragraph (same site) with such an article: their boilerplate_in_body
--     flags depend on how many pages carry the paragraph;
--   * articles whose other cross-document findings (syndication, ratio outliers, GX row failures)
--     differ from what was built: these are recomputed in full and compared;
-- and writes by flag: of those articles' flags, only the ones added, gone or altered are rewritten (an
-- article syndicated by every run keeps its thousands of unchanged flags as they are).
-- Same rows as a full rebuild (tested).
{{ incremental_by_key('flag_id', 'article_id', ['raw.sightings']) }}
-- depends_on: {{ ref('int_warehouse_findings') }} {{ ref('int_body_paragraphs') }} {{ ref('stg_documents') }}
-- depends_on: {{ ref('stg_sightings') }} {{ ref('stg_lineage') }} {{ ref('stg_row_failures') }} {{ ref('stg_articles') }}

{%- set built = built_from_ledger() %}
{%- set flag_columns = ['flag_id', 'article_id', 'check_name', 'severity', 'observed', 'expected', 'evidence', 'rule',
                        'char_start', 'char_end', 'likely_cause', 'flag_source'] %}


{% if not built %}

{{ flag_rows(text_flags() ~ ' union all ' ~ as_flags('select * from ' ~ ref('int_warehouse_findings'))) }}
{% if is_incremental() %}
-- built before its ledger existed: every flag built earlier is replaced
union all by name select flag_id from {{ this }}
{% endif %}

{% else %}

with
-- (rows compared as sets, before the flag_id dedup: a finding duplicated by flag_id is always
-- recomputed, which is correct, only not free)
compared_new as materialized (
    {{ wf_compared_findings() }}
),

compared_old as materialized (
    select article_id, check_name, severity, observed, expected, evidence, rule, flag_source
    from {{ this }}
    where {{ wf_compared_flag() }}
),

-- (each row stands as its article and a hash of its other columns: the sets compare two narrow
-- columns instead of seven text ones)
compared_changed as (
    select article_id from (
        (select article_id, {{ compared_row_hash() }} from compared_new
         except select article_id, {{ compared_row_hash() }} from compared_old)
        union all
        (select article_id, {{ compared_row_hash() }} from compared_old
         except select article_id, {{ compared_row_hash() }} from compared_new)
    ) group by article_id
),

rederived as materialized (
    {{ changed_derivations() }}
),

-- (site, paragraph) keys whose page count may have changed: the paragraphs the new derivations
-- have, and the flagged paragraphs the old ones had
touched_keys as (
    select site_key, paragraph from {{ ref('int_body_paragraphs') }}
    where paragraph is not null and article_id in (select article_id from rederived)
    union
    select d.site_key, t.evidence
    from {{ this }} t join {{ ref('stg_documents') }} d on d.document_id = t.article_id
    where t.rule = 'site_repeated_paragraph' and t.flag_source = 'warehouse_check'
      and t.article_id in (select article_id from rederived)
),

repeats_changed as (
    select p.article_id from {{ ref('int_body_paragraphs') }} p
    semi join touched_keys k on k.site_key = p.site_key and k.paragraph = p.paragraph
),

affected as materialized (
    select article_id from rederived
    union select article_id from compared_changed
    union select article_id from repeats_changed
    union select distinct document_id from {{ ref('stg_sightings') }} where {{ unseen_runs() }}
),

rows as materialized (
    {{ flag_rows(text_flags('select article_id from affected') ~ ' union all '
                 ~ as_flags(wf_site_repeats('select article_id from affected')
                            ~ ' union all ' ~ wf_duplicate_documents('select article_id from affected')
                            ~ ' union all select * from compared_new where article_id in (select article_id from affected)')) }}
),

-- the flags the affected articles have now and had, compared as sets (a flag_id is unique on both
-- sides and names its article): the flags added, gone or altered
changed as materialized (
    {{ changed_keys('select * from rows', 'flag_id', flag_columns,
                    'select * from ' ~ this ~ ' where article_id in (select article_id from affected)') }}
),

-- one placeholder row (article_id null) per changed flag: its old row goes even when it is gone now
final as (
    select * from rows where flag_id in (select flag_id from changed)
    union all by name
    select flag_id from changed
)

select * from final

{% endif %}
