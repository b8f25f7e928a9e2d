"""The demo's data: a small health-record JSON Schema and provider records (one violates the schema)."""

from __future__ import annotations

from pathlib import Path
from typing import Final

DEMO_DIR: Final = Path(__file__).resolve().parent
SCHEMA_FILE: Final = DEMO_DIR / "schemas" / "health-record.json"
RECORDS_DIR: Final = DEMO_DIR / "records"
