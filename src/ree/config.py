"""All configuration in one pydantic-settings object, env prefix `REE_`.

Embedded defaults need no configuration: data lives in `./.ree`, memory in SQLite there,
cache and locks in-process, the LLM tier `extractive` always on.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REE_", extra="ignore")

    data_dir: Path = Field(default=Path(".ree"), description="Index, SQLite file, caches.")
    database_url: str | None = Field(
        default=None, description="Memory store; default sqlite:///$REE_DATA_DIR/ree.db."
    )
    redis_url: str | None = Field(default=None, description="Unset: in-process cache/locks.")
    search_backend: Literal["embedded", "opensearch"] = "embedded"
    opensearch_url: str | None = None
    llm_local: str = Field(
        default="off", description="`off`, `llamacpp` (in-process) or a base URL."
    )
    llm_remote_model: str | None = None
    llm_local_model: str = Field(default="gemma3-270m", description="Model name served locally.")
    llm_remote_api_base: str | None = Field(default=None, description="Remote tier base URL.")
    llm_tiers: str | None = Field(
        default=None, description="JSON list of model tiers (cheapest first); overrides both."
    )
    llm_remote_share: float = Field(default=0.2, ge=0, le=1, description="Routing knob.")
    llm_retries: int = Field(default=2, ge=0)
    llm_backoff_s: float = Field(default=0.2, ge=0)
    llm_cooldown_s: float = Field(default=30.0, ge=0)
    llm_cache_ttl_s: float = Field(default=3600.0, ge=0)
    llm_force_fallback: str | None = Field(default=None, description="Tiers failed on purpose.")
    llm_requests_per_min: int = Field(default=0, ge=0, description="Per user/key; 0: off.")
    llm_tokens_per_min: int = Field(default=0, ge=0, description="Per user/key; 0: off.")
    llm_tokens_per_day: int = Field(default=0, ge=0, description="Per user/key; 0: off.")
    gateway_url: str | None = Field(default=None, description="Unset: gateway in-process.")
    understand_assist: bool = Field(
        default=False, description="Ask a model tier to read messages the rules cannot."
    )
    api_keys: str | None = Field(default=None, description="Comma-separated API keys.")
    admin_key: str | None = None
    demo_listings: int = Field(default=2000, ge=0, description="Demo size on first start.")
    demo_seed: int = 7
    fusion: Literal["rrf", "weighted"] = Field(default="rrf", description="Hybrid fusion.")
    fusion_bm25_weight: float = Field(default=0.5, ge=0.0, le=1.0)
    rrf_k: int = Field(default=60, ge=1)
    retrieve_depth: int = Field(
        default=100, ge=10, le=2000, description="Candidates per retriever."
    )
    max_message_chars: int = Field(default=4000, ge=1, description="Longer chat messages: 413.")
    max_body_bytes: int = Field(default=1_000_000, ge=1024, description="Request body cap.")
    stale_after_hours: float = Field(default=72.0, gt=0, description="Data freshness bound.")
    cache_ttl_s: float = Field(default=300.0, ge=0)
    history_turns: int = Field(default=10, ge=1)
    history_token_budget: int = Field(
        default=1500, ge=0, description="Estimated tokens of history sent to the model; 0: all."
    )
    history_cache_ttl_s: float = Field(default=900.0, ge=0, description="History cache TTL.")
    embedding_cache_ttl_s: float = Field(
        default=86400.0, ge=0, description="Shared (Redis) query-embedding cache TTL; 0: off."
    )
    jobs_embedded: bool = Field(
        default=True, description="Run the lifecycle jobs in the API process (no Celery)."
    )
    jobs_interval_s: float = Field(default=86400.0, gt=0, description="Lifecycle job period.")
    price_min_rows: int = Field(
        default=5, ge=1, description="Training rows a segment needs before the model prices it."
    )
    price_refit_interval_s: float = Field(
        default=600.0, gt=0, description="How often the price model is checked against the index."
    )
    memory_ttl_days: int = Field(default=30, ge=0, description="`ree memory cleanup` age.")
    memory_archive_after_days: int = Field(
        default=90, ge=0, description="`ree memory archive` age."
    )
    memory_archive_url: str | None = Field(
        default=None, description="Archive target: a directory or s3://bucket/prefix."
    )
    redis_prefix: str = Field(default="ree:", description="Prefix of every Redis key.")
    lock_timeout_s: float = Field(
        default=10.0, gt=0, description="Wait for the previous turn of a conversation."
    )

    @property
    def memory_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'ree.db'}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
