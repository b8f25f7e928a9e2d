"""Shared kit of the VP tests: the didkit-made fixtures, a fixed clock, a test-side ES256K JWT signer, didkit."""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import json
import subprocess
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import coincurve

from panacea.oracle.vp import DefaultPresentationValidator, VPValidationError

FIXTURES = Path(__file__).parent / "fixtures"
NOW = 1_750_000_000.0  # 2025-06-15, inside every fixture credential's validity period
DIDS: dict[str, str] = json.loads((FIXTURES / "dids.json").read_text())
T = TypeVar("T")


def raw(name: str) -> bytes:
    """A fixture's bytes."""
    return (FIXTURES / name).read_bytes()


def doc(name: str) -> dict[str, Any]:
    """A JSON fixture, as a fresh copy to edit."""
    return copy.deepcopy(json.loads(raw(name)))


def text(name: str) -> str:
    """A JWT fixture without its newline."""
    return raw(name).decode().strip()


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run one coroutine to completion."""
    return asyncio.run(coroutine)


Source = bytes | dict[str, Any] | str  # raw bytes, a document, or a fixture name


def _bytes(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    return json.dumps(source).encode() if isinstance(source, dict) else raw(source)


def validate(vp: Source, pd: Source = "pd_adult.json", now: float = NOW) -> None:
    """DefaultPresentationValidator.validate at a fixed clock."""
    run(DefaultPresentationValidator(clock=lambda: now).validate(_bytes(vp), _bytes(pd)))


def rejection(vp: Source, pd: Source = "pd_adult.json", now: float = NOW) -> str:
    """The message validation fails with (the test fails if it passes)."""
    try:
        validate(vp, pd, now)
    except VPValidationError as e:
        return str(e)
    raise AssertionError("validation passed")


def b64(data: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def secret(party: str) -> bytes:
    """The private key make_vp_fixtures.py derives for issuer, holder or attacker."""
    return hashlib.sha256(b"panacea-vp-fixture/" + party.encode()).digest()


def sign_jwt(header: dict[str, Any], claims: dict[str, Any], party: str) -> str:
    """A compact ES256K JWT (low-S, R‖S) signed with a fixture party's key."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    signature = coincurve.PrivateKey(secret(party)).sign_recoverable(
        hashlib.sha256(signing_input.encode()).digest(), hasher=None
    )
    return f"{signing_input}.{b64(signature[:64])}"


def kid(party: str) -> str:
    """The did:key verification method id of a fixture party."""
    did = DIDS[party]
    return f"{did}#{did.split(':')[2]}"


_DIDKIT = """
import asyncio, json, os, sys
import didkit
async def main():
    out = []
    for kind, document, options in json.load(sys.stdin):
        verify = didkit.verify_credential if kind == "credential" else didkit.verify_presentation
        out.append(json.loads(await verify(document, json.dumps(options)))["errors"])
    sys.stdout.write(json.dumps(out))
    sys.stdout.flush()
asyncio.run(main())
os._exit(0)  # didkit's runtime aborts at interpreter shutdown
"""


def didkit_errors(checks: list[tuple[str, str, dict[str, Any]]]) -> list[list[str]]:
    """didkit's verify_credential / verify_presentation errors per (kind, document, options), in a subprocess."""
    done = subprocess.run(
        [sys.executable, "-c", _DIDKIT],
        input=json.dumps(checks),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    errors: list[list[str]] = json.loads(done.stdout)
    return errors
