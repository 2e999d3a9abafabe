"""Author the Great Expectations file context under expectations/gx (run once; commit the JSON it writes).

    .venv/bin/python expectations/author_suites.py

The pipeline only *loads* these committed suites, validation definitions and the checkpoint; it never
edits them.  Thresholds are `$PARAMETER`s filled from expectations/thresholds.json at run time.
dbt tests check structure (keys, relationships, enums); these suites check content and distributions.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe

ROOT = Path(__file__).resolve().parent
P = lambda name: {"$PARAMETER": name}  # noqa: E731 - a threshold from thresholds.json

# mart -> (key column reported for row-level failures, expectations)
SUITES: dict[str, tuple[str, list]] = {
    "dim_articles": ("article_id", [
        gxe.ExpectColumnValuesToBeBetween(column="published_date", min_value=P("min_published_date"), max_value=P("max_published_date")),
        gxe.ExpectColumnValuesToNotBeNull(column="published_date", mostly=P("published_date_not_null_mostly")),
        gxe.ExpectColumnValuesToNotBeNull(column="headline", mostly=P("headline_not_null_mostly")),
        gxe.ExpectColumnValuesToNotBeNull(column="language", mostly=P("language_not_null_mostly")),
        gxe.ExpectColumnValuesToBeBetween(column="boilerplate_ratio", min_value=0, max_value=P("max_boilerplate_ratio"), mostly=P("boilerplate_ratio_mostly")),
        gxe.ExpectColumnValuesToBeBetween(column="body_words", min_value=P("min_body_words"), max_value=P("max_body_words"), mostly=P("body_words_mostly")),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="ingested_at", column_B="published_at", or_equal=True, ignore_row_if="either_value_is_missing"),
    ]),
    "fct_claims": ("claim_id", [
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="char_end", column_B="char_start"),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="quantity_high", column_B="quantity_low", or_equal=True, ignore_row_if="either_value_is_missing"),
        gxe.ExpectColumnValuesToBeBetween(column="confidence", min_value=P("min_claim_confidence"), max_value=1),
        gxe.ExpectColumnValueLengthsToBeBetween(column="claim_text", min_value=1, max_value=P("max_claim_chars")),
    ]),
    "fct_claim_clusters": ("cluster_id", [
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="n_articles", column_B="n_sources", or_equal=True),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="value_max", column_B="value_min", or_equal=True, ignore_row_if="either_value_is_missing"),
        gxe.ExpectColumnValuesToBeBetween(column="n_articles", min_value=1),
    ]),
    "fct_quality_flags": ("flag_id", [
        gxe.ExpectColumnValuesToNotBeNull(column="evidence", mostly=0.95),
        gxe.ExpectColumnValueLengthsToBeBetween(column="check_name", min_value=3, max_value=80),
    ]),
}


def main() -> None:
    gx_dir = ROOT / "gx"
    if gx_dir.exists():
        shutil.rmtree(gx_dir)
    context = gx.get_context(mode="file", project_root_dir=str(ROOT))
    source = context.data_sources.add_pandas("warehouse_frames")
    validations = []
    for mart, (key, expectations) in SUITES.items():
        asset = source.add_dataframe_asset(mart)
        batch = asset.add_batch_definition_whole_dataframe(f"{mart}_frame")
        suite = context.suites.add(gx.ExpectationSuite(name=f"{mart}_suite"))
        for expectation in expectations:
            suite.add_expectation(expectation)
        suite.meta["key_column"] = key
        suite.save()
        validations.append(context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{mart}_validation", data=batch, suite=suite)
        ))
    context.checkpoints.add(gx.Checkpoint(
        name="marts_checkpoint",
        validation_definitions=validations,
        actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")],
        result_format={"result_format": "COMPLETE"},
    ))
    # Results and Data Docs go next to the warehouse, not into the repo: paths from env vars set by the flow.
    config = gx_dir / "great_expectations.yml"
    text = config.read_text()
    text = text.replace("base_directory: uncommitted/validations/", "base_directory: ${NEWSLEDGER_GX_RESULTS_DIR}")
    text = text.replace("base_directory: uncommitted/data_docs/local_site/", "base_directory: ${NEWSLEDGER_DATA_DOCS_DIR}")
    text += "\n# No per-expectation progress bars in pipeline output.\nprogress_bars:\n  globally: false\n"
    config.write_text(text)
    shutil.rmtree(gx_dir / "uncommitted", ignore_errors=True)
    print(f"wrote {gx_dir}")


if __name__ == "__main__":
    main()
