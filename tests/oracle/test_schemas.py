"""The schema registry: pre-seeded, fetched once through the guard, compiled once, clear errors."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from panacea.oracle.errors import OracleError
from panacea.oracle.schemas import SchemaError, SchemaRegistry
from panacea.oracle.ssrf import AddressPolicy, GuardedHttp
from tests.oracle.kit import serve

DRAFT4 = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["id"]}
DRAFT2020 = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
             "properties": {"components": {"type": "array"}, "ref": {"$ref": "https://s.test/d4.json"}}}


def _validate(registry: SchemaRegistry, uri: str, doc: object) -> str:
    async def go() -> str:
        try:
            await registry.validate(uri, doc)
            return "ok"
        except OracleError as e:
            return e.message

    return asyncio.run(go())


def test_added_schemas_validate_and_compile_once(tmp_path: Path) -> None:
    registry = SchemaRegistry(tmp_path, fetch=False)
    digest = registry.add("https://s.test/d4.json", json.dumps(DRAFT4).encode())
    assert digest == hashlib.sha256(json.dumps(DRAFT4).encode()).hexdigest()
    assert registry.add("https://s.test/d4.json", json.dumps(DRAFT4).encode()) == digest  # idempotent
    registry.add("https://s.test/d2020.json", json.dumps(DRAFT2020).encode())  # its $ref is in the registry
    assert _validate(registry, "https://s.test/d4.json", {"id": 1}) == "ok"
    assert registry.cached() == 1
    assert _validate(registry, "https://s.test/d2020.json", {"components": "x"}) == \
        'components: "x" is not of type "array"'
    assert _validate(registry, "https://s.test/d2020.json", {"ref": {}}) == 'ref: "id" is a required property'
    assert registry.cached() == 2
    assert registry.index() == {"https://s.test/d2020.json": {"sha256": registry.index()["https://s.test/d2020.json"]
                                                              ["sha256"], "source": "added"},
                                "https://s.test/d4.json": {"sha256": digest, "source": "added"}}


def test_bad_schemas_are_clear_errors(tmp_path: Path) -> None:
    registry = SchemaRegistry(tmp_path, fetch=False)
    cases = {b"{": "the data schema is not valid JSON", b"[1]": "the data schema is not a JSON object",
             b'{"type": 12}': "the data schema does not compile: 12 is not valid under any of the schemas listed "
                              "in the 'anyOf' keyword",
             b'{"$ref": "https://elsewhere.test/x.json"}': "the data schema does not compile: Resource "
             "'https://elsewhere.test/x.json' is not present in a registry and retrieving it failed: ValueError: a "
             "$ref outside the schema registry is not fetched"}
    for content, message in cases.items():
        with pytest.raises(SchemaError) as info:
            registry.add("https://s.test/bad.json", content)
        assert (info.value.message, info.value.status) == (message, 409)
    registry.add("https://s.test/d4.json", json.dumps(DRAFT4).encode())
    with pytest.raises(SchemaError) as info:
        registry.add("https://s.test/d4.json", b"{}")
    assert info.value.message.startswith("https://s.test/d4.json is already registered with other content")
    assert _validate(registry, "https://s.test/none.json", {}) == \
        "the deal's data schema is not in this oracle's schema registry and fetching is off"


def test_fetched_once_through_the_guard_then_stored(tmp_path: Path) -> None:
    hits: list[str] = []

    async def schema(request: Request) -> Response:
        hits.append(request.url.path)
        return Response(json.dumps(DRAFT4), media_type="application/json")

    async def missing(request: Request) -> Response:
        return Response("no", 404)

    with serve(Starlette(routes=[Route("/s.json", schema), Route("/missing.json", missing)])) as url:
        async def go() -> list[str]:
            http = GuardedHttp(AddressPolicy(["127.0.0.1/32"]))
            blocked = SchemaRegistry(tmp_path / "blocked", http=GuardedHttp(AddressPolicy()))
            try:
                out = []
                for registry_root in ("a", "a"):  # a second registry object (another worker) reads the store
                    registry = SchemaRegistry(tmp_path / registry_root, http=http)
                    await registry.validate(f"{url}/s.json", {"id": 1})
                for reg, uri in ((SchemaRegistry(tmp_path / "a", http=http), f"{url}/missing.json"),
                                 (blocked, f"{url}/s.json")):
                    try:
                        await reg.validator(uri)
                    except SchemaError as e:
                        out.append(f"{e.status} {e.message}")
                return out
            finally:
                await http.close()

        errors = asyncio.run(go())
    assert hits == ["/s.json"]
    assert errors == ["502 cannot fetch the deal's data schema: status code 404",
                      "502 cannot fetch the deal's data schema: the endpoint resolves to a private, loopback, "
                      "link-local, multicast or reserved address"]
    assert SchemaRegistry(tmp_path / "a").index()[f"{url}/s.json"]["source"] == "fetched"
