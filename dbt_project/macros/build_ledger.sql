{#- What each incremental model was last built from, kept in the writer's state (schema intermediate;
    the on-run-start hook `open_build_ledger` creates the tables), so that a build reads what changed
    since and tests only what it wrote:
    * built_derivations (model, article_id, run_id): the article derivations (stg_articles) the model
      was last built from; the symmetric difference with stg_articles is the articles derived again,
      new or dropped since;
    * built_runs (model, run_id): the runs whose link outputs the model was last built from
      (derived.claim_clusters / cluster_summary rows carry the run that wrote them; link rewrites only
      the rows that change), and of raw.sightings;
    * untested_keys (model, key): keys the model wrote (or deleted) whose tests have not all passed
      since; a null key stands for every row (a full build, or a null key written).  Tests configured with
      `where: __untested__` read only those rows (macro get_where_subquery, untested_rows.sql);
      the on-run-end hook `close_build_ledger` clears a model's keys once every test that reads them
      passed.
    A model's post-hook `record_build` writes its rows in the model's own transaction, so a model
    that fails records nothing and its next build reads the same changes again. -#}

{% macro ledger(name) -%}
    {{- api.Relation.create(schema='intermediate', identifier=name) -}}
{%- endmacro %}

{% macro open_build_ledger() -%}
    create schema if not exists intermediate;
    create table if not exists {{ ledger('built_derivations') }} (model varchar not null, article_id varchar not null, run_id varchar not null);
    create table if not exists {{ ledger('built_runs') }} (model varchar not null, run_id varchar not null);
    create table if not exists {{ ledger('untested_keys') }} (model varchar not null, key varchar);
    {#- fct_quality_flags was written by article (article_id: sha256, 64 hex digits) before it was written
        by flag (flag_id: md5, 32): a key of it left untested by an older build stands for every row -#}
    update {{ ledger('untested_keys') }} set key = null where model = 'fct_quality_flags' and length(key) = 64
{%- endmacro %}

{% macro changed_derivations(model=none) -%}
    {#- article_ids derived (new or again) or dropped since `model` (default: this model) was built -#}
    {%- set m = model or this.identifier -%}
    select article_id from (
        (select article_id, run_id from {{ ref('stg_articles') }}
         except select article_id, run_id from {{ ledger('built_derivations') }} where model = '{{ m }}')
        union all
        (select article_id, run_id from {{ ledger('built_derivations') }} where model = '{{ m }}'
         except select article_id, run_id from {{ ref('stg_articles') }})
    ) group by article_id
{%- endmacro %}

{% macro unseen_runs(model=none) -%}
    {#- `run_id not in (...)`: rows written by a run this model was not built after -#}
    run_id not in (select run_id from {{ ledger('built_runs') }} where model = '{{ model or this.identifier }}')
{%- endmacro %}

{% macro record_build(runs_from=[], derivations=true) -%}
    {#- post-hook: the article derivations (raw.articles) and the runs of `runs_from` (sources
        'schema.table' with a run_id column) this build read; in a full build every row is untested.
        (Sources, not staging models: the hook runs outside the model's select.) -#}
    {%- set m = this.identifier -%}
    {%- set derivations_table = ledger('built_derivations') -%}
    {%- set articles = source('raw', 'articles') -%}
    {%- if derivations and is_incremental() %}
    delete from {{ derivations_table }} l where l.model = '{{ m }}'
        and not exists (select 1 from {{ articles }} a where a.document_id = l.article_id and a.run_id = l.run_id);
    insert into {{ derivations_table }}
        select '{{ m }}', a.document_id, a.run_id from {{ articles }} a
        where not exists (select 1 from {{ derivations_table }} l
                          where l.model = '{{ m }}' and l.article_id = a.document_id and l.run_id = a.run_id);
    {%- elif derivations %}
    delete from {{ derivations_table }} where model = '{{ m }}';
    insert into {{ derivations_table }} select '{{ m }}', document_id, run_id from {{ articles }};
    {%- endif %}
    {%- if not is_incremental() %}
    delete from {{ ledger('untested_keys') }} where model = '{{ m }}';
    insert into {{ ledger('untested_keys') }} values ('{{ m }}', null);
    {%- endif %}
    delete from {{ ledger('built_runs') }} where model = '{{ m }}';
    {%- if runs_from %}
    insert into {{ ledger('built_runs') }} select distinct '{{ m }}', run_id from (
        {%- for name in runs_from %}
        {% if not loop.first %}union all {% endif %}select run_id from {{ source(name.split('.')[0], name.split('.')[1]) }}
        {%- endfor %}
    );
    {%- endif %}
{%- endmacro %}

{% macro close_build_ledger(results) -%}
    {#- on-run-end: clear the untested keys of every incremental model all of whose dependent tests
        (its own, and relationships tests that read its keys) ran and passed in this invocation -#}
    {%- set cleared = [] -%}
    {%- if execute -%}
        {%- set ok = {} -%}
        {%- for r in results -%}
            {%- do ok.update({r.node.unique_id: r.status in ('success', 'pass', 'warn')}) -%}
        {%- endfor -%}
        {%- set tests = graph.nodes.values() | selectattr('resource_type', 'equalto', 'test') | list -%}
        {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.config.materialized == 'incremental' -%}
            {%- set ns = namespace(readers=0, all_ok=true) -%}
            {%- for t in tests if node.unique_id in t.depends_on.nodes -%}
                {%- set ns.readers = ns.readers + 1 -%}
                {%- if not ok.get(t.unique_id, false) %}{% set ns.all_ok = false %}{% endif -%}
            {%- endfor -%}
            {%- if ns.all_ok %}{% do cleared.append(node.alias or node.name) %}{% endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if cleared %}
    delete from {{ ledger('untested_keys') }} where model in ({% for m in cleared %}'{{ m }}'{% if not loop.last %}, {% endif %}{% endfor %})
    {%- else %}
    select 1
    {%- endif %}
{%- endmacro %}
