"""The demo's data: a small health-record JSON Schema and provider records (one violates the schema); for
``dep demo --presentation``, the JSON-LD context of a HealthCredential and a presentation definition for adults
(the demo adds the hospital's DID as the required issuer)."""

from __future__ import annotations

from pathlib import Path
from typing import Final

DEMO_DIR: Final = Path(__file__).resolve().parent
SCHEMA_FILE: Final = DEMO_DIR / "schemas" / "health-record.json"
RECORDS_DIR: Final = DEMO_DIR / "records"
CREDENTIAL_CONTEXT_FILE: Final = DEMO_DIR / "schemas" / "health-credential-context.json"
DEFINITION_FILE: Final = DEMO_DIR / "schemas" / "adult-health-definition.json"
