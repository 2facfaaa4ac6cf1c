"""Settings read once from ``C360_*`` environment variables, validated, then frozen."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Runtime settings of every process: web, worker and command line.

    ``graph_url`` empty means the embedded FalkorDB under ``data_dir``; a ``neo4j://`` or
    ``bolt://`` URL selects a Neo4j server. ``redis_url`` is only needed with Neo4j, because the
    embedded server's Redis carries the job queue otherwise.
    """

    data_dir: Path
    graph_name: str = "c360"
    graph_url: str = ""
    graph_user: str = "neo4j"
    graph_password: str = field(default="", repr=False)
    #: Neo4j database name; empty means the server's default database.
    neo4j_database: str = ""
    redis_url: str = ""
    #: Limit for one read query from a page, in milliseconds.
    read_timeout_ms: int = 10_000
    #: Limit for one write query (one batch), in milliseconds.
    write_timeout_ms: int = 120_000
    #: Rows sent in one UNWIND batch by loaders and miners.
    batch_size: int = 2_000
    #: Share of rejected rows above which a feed file is not loaded at all.
    max_reject_ratio: float = 0.05
    #: Share of a snapshot feed's open records one file may close before it is refused.
    max_close_ratio: float = 0.2
    host: str = "127.0.0.1"
    port: int = 8360
    secret_key: str = field(default="", repr=False)
    #: Send the session cookie over HTTPS only; set it when a TLS proxy serves the pages.
    cookie_secure: bool = False
    #: The masking rules of personal financial information (see ``c360.masking``).
    masking_file: Path = PROJECT_ROOT / "config" / "masking.toml"
    #: The thresholds of the customer reminders (see ``c360.reminder_thresholds``).
    reminders_file: Path = PROJECT_ROOT / "config" / "reminders.toml"
    #: Maximum number of neighbours the knowledge graph page draws around one node. The others
    #: are drawn as one group node with their count.
    graph_hub_limit: int = 50
    #: TrueType font (.ttf or .ttc) that PDF exports embed for Chinese text; None looks for one with
    #: fontconfig (see ``app.pdf_fonts``).
    pdf_font: Path | None = None

    @property
    def uses_embedded_graph(self) -> bool:
        return not self.graph_url

    def validate(self) -> None:
        """Raise ValueError naming the first setting that cannot work."""
        if self.graph_url and urlsplit(self.graph_url).scheme not in NEO4J_SCHEMES:
            raise ValueError(
                f"C360_GRAPH_URL={self.graph_url!r} is not a Neo4j URL; "
                f"use one of the schemes {', '.join(sorted(NEO4J_SCHEMES))}, or leave it empty "
                "for the embedded FalkorDB"
            )
        if self.graph_url and not self.redis_url:
            raise ValueError("C360_REDIS_URL is missing: with Neo4j the job queue needs a Redis server")
        if not self.graph_name.replace("_", "").isalnum():
            raise ValueError(f"C360_GRAPH_NAME={self.graph_name!r} must be letters, digits and _")
        if self.pdf_font is not None and not self.pdf_font.is_file():
            raise ValueError(
                f"C360_PDF_FONT={str(self.pdf_font)!r} is not a file; name a TrueType font file or unset it"
            )
        for name in ("read_timeout_ms", "write_timeout_ms", "batch_size", "port", "graph_hub_limit"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)!r}")

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)


NEO4J_SCHEMES = frozenset({"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"})


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a whole number") from None


def _ratio_env(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        ratio = float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number") from None
    if not 0 <= ratio <= 1:
        raise ValueError(f"{name}={raw!r} must be between 0 and 1")
    return ratio


def _flag_env(name: str) -> bool:
    raw = os.environ.get(name, "").strip()
    if raw not in ("", "0", "1"):
        raise ValueError(f"{name}={raw!r} must be 1 (on) or 0 (off)")
    return raw == "1"


def load_settings() -> Settings:
    """Build the settings from the environment and validate them."""
    data_dir = Path(os.environ.get("C360_DATA_DIR", "var")).expanduser().resolve()
    settings = Settings(
        data_dir=data_dir,
        graph_name=os.environ.get("C360_GRAPH_NAME", "c360"),
        graph_url=os.environ.get("C360_GRAPH_URL", "").strip(),
        graph_user=os.environ.get("C360_GRAPH_USER", "neo4j"),
        graph_password=os.environ.get("C360_GRAPH_PASSWORD", ""),
        neo4j_database=os.environ.get("C360_NEO4J_DATABASE", "").strip(),
        redis_url=os.environ.get("C360_REDIS_URL", "").strip(),
        read_timeout_ms=_int_env("C360_READ_TIMEOUT_MS", 10_000),
        write_timeout_ms=_int_env("C360_WRITE_TIMEOUT_MS", 120_000),
        batch_size=_int_env("C360_BATCH_SIZE", 2_000),
        max_reject_ratio=_ratio_env("C360_MAX_REJECT_RATIO", 0.05),
        max_close_ratio=_ratio_env("C360_MAX_CLOSE_RATIO", 0.2),
        host=os.environ.get("C360_HOST", "127.0.0.1"),
        port=_int_env("C360_PORT", 8360),
        secret_key=os.environ.get("C360_SECRET_KEY", ""),
        cookie_secure=_flag_env("C360_COOKIE_SECURE"),
        masking_file=Path(os.environ.get("C360_MASKING_FILE", "") or Settings.masking_file).expanduser(),
        reminders_file=Path(
            os.environ.get("C360_REMINDERS_FILE", "") or Settings.reminders_file
        ).expanduser(),
        graph_hub_limit=_int_env("C360_GRAPH_HUB_LIMIT", 50),
        pdf_font=Path(os.environ["C360_PDF_FONT"]).expanduser() if os.environ.get("C360_PDF_FONT") else None,
    )
    settings.validate()
    return settings


def ensure_secret_key(settings: Settings) -> Settings:
    """Return settings with a session signing key, creating one in the data directory if needed.

    The key file is readable by its owner only, so sessions survive restarts without a key in
    the environment.
    """
    if settings.secret_key:
        return settings
    key_file = settings.data_dir / "secret_key"
    if not key_file.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return settings.with_overrides(secret_key=key_file.read_text().strip())
