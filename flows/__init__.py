"""newsledger: a news-claims warehouse (Prefect + DuckDB + dbt + Great Expectations)."""

__version__ = "0.1.0"
