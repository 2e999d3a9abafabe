"""Settings: environment variables with the NEWSLEDGER_ prefix; every path absolute, derived from the repo."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
DEFAULT_INPUT = REPO_ROOT / "seeds" / "articles"
QUALITY_CONFIG = REPO_ROOT / "expectations" / "thresholds.json"


class Settings(BaseSettings):
    """Runtime settings. `NEWSLEDGER_WAREHOUSE=/data/news.duckdb` etc."""

    model_config = SettingsConfigDict(env_prefix="NEWSLEDGER_", extra="ignore")

    warehouse: Path = REPO_ROOT / "warehouse" / "newsledger.duckdb"
    batch_size: int = 1000  # documents per Prefect task
    max_bytes: int = 20 * 1024 * 1024  # larger input files are quarantined as oversized
    storage_version: str = "v1.0.0"  # published file readable by DuckDB >= 1.0 clients (BI drivers)
    lock_timeout_s: float = 0.0  # a second concurrent run waits this long for the lock, then exits

    def resolved(self) -> "Settings":
        return self.model_copy(update={"warehouse": self.warehouse.expanduser().resolve()})

    @property
    def state_dir(self) -> Path:
        """Private working area of the writer (never opened by readers)."""
        return self.warehouse.parent / f".{self.warehouse.stem}.state"

    @property
    def state_db(self) -> Path:
        return self.state_dir / "state.duckdb"

    @property
    def lock_file(self) -> Path:
        return self.state_dir / "run.lock"

    @property
    def data_docs_dir(self) -> Path:
        return self.warehouse.parent / f"{self.warehouse.stem}_data_docs"

    @property
    def prefect_home(self) -> Path:
        return self.state_dir / "prefect"
