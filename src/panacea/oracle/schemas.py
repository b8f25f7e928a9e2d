"""The schema registry: the JSON Schemas deals name by URI, kept in the oracle home (oracle-reference §2.4).

Layout under ``<home>/schemas/``: ``<sha256>.json`` (content-addressed, as added or fetched) and
``index.json`` ``{uri: {"sha256": hex, "source": "added" | "fetched"}}``, written atomically under
``index.lock`` so HTTP worker processes share one registry. A URI is pre-seeded by ``oracled schema add``,
otherwise fetched once on first use through the SSRF guard (size limit, timeout, no redirects) when
``[schemas] fetch = true``, then never refetched. Validators are compiled once per schema and cached
(jsonschema-rs, drafts 4 to 2020-12 from ``$schema``, formats checked as gojsonschema does); ``$ref``s resolve
only against the registry, never the network.

Departure: the reference also loads ``file://`` URIs; fetching here is http(s) only (a deal must not make
the oracle read its local files) — operators register such schemas with ``oracled schema add``.
"""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jsonschema_rs

from panacea.oracle.errors import Category, OracleError
from panacea.oracle.home import write_private
from panacea.oracle.ssrf import GuardedHttp, SsrfError

Validator = Any  # jsonschema_rs validators have no common public base class


class SchemaError(OracleError):
    """A schema cannot be had or used; the deal (not the provider's data) is the problem."""


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else "invalid schema"


def compile_schema(content: bytes, retrieve: Any = None) -> Validator:
    """Parse and compile a schema; SchemaError with a one-line reason when it is not a usable JSON Schema."""
    try:
        doc = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise SchemaError("the data schema is not valid JSON", Category.CONFLICT) from None
    if not isinstance(doc, dict | bool):
        raise SchemaError("the data schema is not a JSON object", Category.CONFLICT)
    try:
        return jsonschema_rs.validator_for(doc, validate_formats=True, retriever=retrieve or _no_retrieval)
    except (jsonschema_rs.ValidationError, ValueError) as e:
        raise SchemaError(f"the data schema does not compile: {_first_line(e)}", Category.CONFLICT) from None


def _no_retrieval(uri: str) -> Any:
    raise ValueError("a $ref outside the schema registry is not fetched")


class SchemaRegistry:
    """Schemas by URI, on disk in the home and compiled in memory; safe for many tasks and processes."""

    def __init__(self, root: Path, *, http: GuardedHttp | None = None, fetch: bool = True,
                 max_size: int = 1 << 20, timeout: float = 5.0) -> None:
        self.root = root
        self._http = http
        self._fetch = fetch and http is not None
        self._max_size = max_size
        self._timeout = timeout
        self._compiled: dict[str, Validator] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    @property
    def _index_file(self) -> Path:
        return self.root / "index.json"

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "index.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def index(self) -> dict[str, dict[str, str]]:
        """The registered URIs with their SHA-256 and how each came (``added`` / ``fetched``)."""
        try:
            data = json.loads(self._index_file.read_bytes())
        except FileNotFoundError:
            return {}
        return data if isinstance(data, dict) else {}

    def _stored(self, uri: str) -> bytes | None:
        entry = self.index().get(uri)
        if entry is None:
            return None
        content = (self.root / f"{entry['sha256']}.json").read_bytes()
        if hashlib.sha256(content).hexdigest() != entry["sha256"]:
            raise SchemaError("a stored data schema does not match its recorded SHA-256", Category.INTERNAL)
        return content

    def add(self, uri: str, content: bytes, source: str = "added") -> str:
        """Register ``content`` for ``uri`` (compiled first); the SHA-256 hex. Same content again is a no-op."""
        if not uri:
            raise SchemaError("the schema URI is empty")
        if len(content) > self._max_size:
            raise SchemaError(f"the data schema is larger than {self._max_size} bytes", Category.CONFLICT)
        compile_schema(content, self._retrieve)
        digest = hashlib.sha256(content).hexdigest()
        with self._locked():
            index = self.index()
            known = index.get(uri)
            if known is not None and known["sha256"] != digest:
                raise SchemaError(f"{uri} is already registered with other content (sha256 {known['sha256']})")
            if known is None:
                write_private(self.root / f"{digest}.json", content, 0o644)
                index[uri] = {"sha256": digest, "source": source}
                write_private(self._index_file, json.dumps(index, indent=2, sort_keys=True).encode(), 0o644)
        return digest

    def _retrieve(self, uri: str) -> Any:
        content = self._stored(uri)
        if content is None:
            raise ValueError("a $ref outside the schema registry is not fetched")
        return json.loads(content)

    def cached(self) -> int:
        """How many compiled validators this process holds (the reference's cache-size assertions)."""
        return len(self._compiled)

    async def validator(self, uri: str) -> Validator:
        """The compiled validator for ``uri``: memory, else the registry, else one guarded fetch."""
        compiled = self._compiled.get(uri)
        if compiled is not None:
            return compiled
        lock = self._locks.setdefault(uri, asyncio.Lock())
        async with lock:  # one first load per URI (REF: the Go map had no lock)
            compiled = self._compiled.get(uri)
            if compiled is None:
                content = self._stored(uri)
                if content is None:
                    content = await self._fetch_and_store(uri)
                compiled = compile_schema(content, self._retrieve)
                self._compiled[uri] = compiled
        return compiled

    async def _fetch_and_store(self, uri: str) -> bytes:
        if not self._fetch or self._http is None:
            raise SchemaError("the deal's data schema is not in this oracle's schema registry and fetching is off",
                              Category.UNAVAILABLE)
        try:
            resp = await self._http.get(uri, timeout=self._timeout, max_size=self._max_size)
        except SsrfError as e:
            raise SchemaError(f"cannot fetch the deal's data schema: {e.message}", Category.BAD_GATEWAY) from None
        if resp.status != 200:
            raise SchemaError(f"cannot fetch the deal's data schema: status code {resp.status}",
                              Category.BAD_GATEWAY)
        self.add(uri, resp.body, "fetched")
        return resp.body

    async def validate(self, uri: str, data: Any) -> None:
        """Validate parsed JSON ``data`` against the schema at ``uri``; the first violation, one line."""
        validator = await self.validator(uri)
        error = next(iter(validator.iter_errors(data)), None)
        if error is not None:
            path = "/".join(str(p) for p in error.instance_path)
            raise OracleError(f"{path or '(root)'}: {_first_line(error)}")
