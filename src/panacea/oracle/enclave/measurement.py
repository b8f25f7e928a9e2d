"""The simulated MRENCLAVE: SHA-256 over the oracle package's own source, so any code change is a new
unique_id (oracle-reference §4.1; issue 11).

Exactly what is measured, in this order (deterministic across machines and checkouts):
- every ``*.py`` file under the package directory ``panacea/oracle/`` (sub-packages included, ``__pycache__``
  and any other file skipped), sorted by its POSIX path relative to that directory, compared as UTF-8 bytes;
- for each file: ``b"file\\0" ‖ relpath UTF-8 ‖ b"\\0" ‖ BE64(len(content)) ‖ content`` (raw bytes, no newline
  normalisation);
- the whole stream is prefixed with ``b"panacea-oracle-measurement-v1\\0"``.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

MEASUREMENT_DOMAIN = b"panacea-oracle-measurement-v1\0"
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def measured_files(root: Path) -> list[Path]:
    """The source files a measurement covers, in measurement order."""
    files = [p for p in root.rglob("*.py") if "__pycache__" not in p.relative_to(root).parts and p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix().encode())


def measure(root: Path) -> bytes:
    """The 32-byte measurement of the code tree at ``root`` (uncached: tests measure modified copies)."""
    h = hashlib.sha256(MEASUREMENT_DOMAIN)
    for path in measured_files(root):
        content = path.read_bytes()
        h.update(b"file\0" + path.relative_to(root).as_posix().encode() + b"\0")
        h.update(len(content).to_bytes(8, "big"))
        h.update(content)
    return h.digest()


@lru_cache(maxsize=1)
def own_measurement() -> bytes:
    """The measurement of the installed oracle package, computed once per process."""
    return measure(PACKAGE_ROOT)
