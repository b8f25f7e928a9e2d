"""The SSRF guard: the decision with the resolver stubbed (no lookup leaves the machine), and the request path
against loopback servers only."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from panacea.oracle.ssrf import BLOCKED_MESSAGE, AddressPolicy, GuardedHttp, SsrfError, check_url, is_public
from tests.oracle.kit import serve

BLOCKED = ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "0.0.0.0", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
           "192.168.1.1", "172.16.0.1", "100.64.0.1", "224.0.0.1", "240.0.0.1", "fe80::1", "fc00::1", "::",
           "ff02::1", "::127.0.0.1", "255.255.255.255"]


@pytest.mark.parametrize("address", BLOCKED)
def test_non_public_addresses_are_blocked(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))
    with pytest.raises(SsrfError) as info:
        AddressPolicy().check("consumer.test", [address])
    assert info.value.message == BLOCKED_MESSAGE and info.value.status == 502


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert AddressPolicy().check("consumer.test", [address]) == [address]


def test_allow_list_networks_and_hosts() -> None:
    policy = AddressPolicy(["127.0.0.0/8", "consumer.internal", "fd00::/8"])
    assert policy.check("x", ["127.0.0.5"]) == ["127.0.0.5"]
    assert policy.check("x", ["::ffff:127.0.0.1"]) == ["::ffff:127.0.0.1"]  # the mapped form of an allowed v4
    assert policy.check("x", ["fd12::1"]) == ["fd12::1"]
    assert policy.check("Consumer.Internal.", ["10.0.0.1"]) == ["10.0.0.1"]
    with pytest.raises(SsrfError):
        policy.check("x", ["10.0.0.1"])
    with pytest.raises(SsrfError):  # one refused answer spoils the whole set
        policy.check("x", ["8.8.8.8", "10.0.0.1"])


def test_url_checks_never_echo_the_url() -> None:
    policy = AddressPolicy()
    cases = {"ftp://files.test/x": "the endpoint must be an http:// or https:// URL with a host",
             "http://user:pw@files.test/": "the endpoint URL must not carry credentials",
             "http://[::1]:8080/": BLOCKED_MESSAGE, "http://169.254.169.254/latest": BLOCKED_MESSAGE}
    for url, message in cases.items():
        with pytest.raises(SsrfError) as info:
            check_url(policy, url)
        assert info.value.message == message
    assert str(check_url(policy, "https://consumer.test/v0")) == "https://consumer.test/v0"


def _get(policy: AddressPolicy, url: str, answers: list[str] | None = None) -> str:
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return answers or []

    async def go() -> str:
        http = GuardedHttp(policy, resolve=resolve)
        try:
            return (await http.get(url, timeout=5, max_size=100)).body.decode()
        except SsrfError as e:
            return f"error: {e.message}"
        finally:
            await http.close()

    return asyncio.run(go())


def test_a_name_resolving_to_loopback_is_refused_before_connecting() -> None:
    assert _get(AddressPolicy(), "http://rebind.test:9/x", ["127.0.0.1"]) == f"error: {BLOCKED_MESSAGE}"
    assert _get(AddressPolicy(), "http://nowhere.test/", []) == "error: the endpoint host cannot be resolved"
    assert _get(AddressPolicy(), "http://2130706433/", []) == "error: the endpoint is not a valid URL"


def test_the_checked_address_is_the_one_connected_to() -> None:
    async def hello(request: Request) -> Response:
        return PlainTextResponse(request.headers["host"])

    with serve(Starlette(routes=[Route("/", hello)])) as url:
        port = url.rsplit(":", 1)[1]
        # the name resolves (stub) to the loopback server; Host keeps the original name
        assert _get(AddressPolicy(["127.0.0.1/32"]), f"http://consumer.test:{port}/", ["127.0.0.1"]) == \
            f"consumer.test:{port}"


def test_redirects_are_not_followed_and_bodies_are_capped() -> None:
    hits: list[str] = []

    async def redirect(request: Request) -> Response:
        return RedirectResponse("http://127.0.0.2:9/secret", 302)

    async def target(request: Request) -> Response:
        hits.append("target")
        return PlainTextResponse("secret")

    async def big(request: Request) -> Response:
        return PlainTextResponse("x" * 101)

    app = Starlette(routes=[Route("/r", redirect), Route("/t", target), Route("/big", big)])
    with serve(app) as url:
        # loopback allow-listed for the first hop only: the redirect is refused, not followed
        policy = AddressPolicy(["127.0.0.1/32"])
        assert _get(policy, f"{url}/r") == "error: the endpoint answered with a redirect, which is not followed"
        assert _get(policy, f"{url}/big") == "error: the endpoint's response is larger than 100 bytes"
        assert _get(AddressPolicy(), f"{url}/t") == f"error: {BLOCKED_MESSAGE}"  # allow-list off: refused
    assert hits == []


def test_connection_failures_are_retryable_and_anonymous() -> None:
    from tests.client.nodekit import free_port

    port = free_port()  # nothing listens there
    policy = AddressPolicy(["127.0.0.1/32"])

    async def go() -> SsrfError:
        http = GuardedHttp(policy)
        try:
            await http.post(f"http://127.0.0.1:{port}/", b"x", headers={}, timeout=5)
        except SsrfError as e:
            return e
        finally:
            await http.close()
        raise AssertionError("no error")

    e = asyncio.run(go())
    assert (e.message, e.retryable) == ("cannot connect to the endpoint", True)
