"""Outbound HTTP that cannot be turned against the oracle's own network (SSRF guard; issue 11 §7).

- Only ``http``/``https`` URLs with a host. Every address a host resolves to must be public: private,
  loopback, link-local, multicast, reserved, unspecified, shared (100.64/10) and the IPv4-mapped / IPv4-
  compatible IPv6 forms of those are rejected unless ``[ssrf] allow`` lists the network or the host name.
- The resolution that is checked is the one connected to: :class:`GuardedResolver` is aiohttp's resolver
  (DNS cache off), so a second, rebinding answer is never used. The URL keeps its host name, so the
  ``Host`` header and TLS SNI/certificate checks are those of the original name. IP literals (which aiohttp
  does not resolve) are checked before the request.
- Redirects are never followed (a 3xx is an error); bodies are read up to a limit; proxies from the
  environment are ignored. Errors never echo the URL, host or address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from panacea.oracle.errors import Category, OracleError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolve = Callable[[str, int], Awaitable[list[str]]]
_SHARED = ipaddress.ip_network("100.64.0.0/10")

BLOCKED_MESSAGE = "the endpoint resolves to a private, loopback, link-local, multicast or reserved address"


class SsrfError(OracleError):
    """An outbound request was refused or failed; the text never names the URL or address."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message, Category.BAD_GATEWAY)
        self.retryable = retryable  # a transport failure worth retrying, not a refusal by the guard


def is_public(ip: IPAddress) -> bool:
    """Whether ``ip`` (or the IPv4 address an IPv6 form embeds) is a globally routable unicast address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or (ip.packed[:12] == bytes(12) and ipaddress.IPv4Address(ip.packed[12:]))
        if embedded:
            return is_public(embedded)
    if ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved:
        return False
    return not ip.is_unspecified and ip not in _SHARED and ip.is_global


class AddressPolicy:
    """The decision: may a connection to this host/address be made (``[ssrf] allow``)."""

    def __init__(self, allow: Iterable[str] = ()) -> None:
        self._networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        self._hosts: set[str] = set()
        for entry in allow:
            try:
                self._networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self._hosts.add(entry.lower().rstrip("."))

    def host_allowed(self, host: str) -> bool:
        """An allow-listed host name skips the address check (e.g. ``localhost`` on a devnet)."""
        return host.lower().rstrip(".") in self._hosts

    def address_allowed(self, ip: IPAddress) -> bool:
        """Public, or inside an allow-listed network (the mapped IPv4 form counts as that IPv4)."""
        candidates: list[IPAddress] = [ip]
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            candidates.append(ip.ipv4_mapped)
        if any(c.version == n.version and c in n for c in candidates for n in self._networks):
            return True
        return is_public(ip)

    def check(self, host: str, addresses: Iterable[str]) -> list[str]:
        """The addresses to connect to, or SsrfError if any is refused (one bad answer spoils the set)."""
        out = list(addresses)
        if not out:
            raise SsrfError("the endpoint host cannot be resolved")
        if self.host_allowed(host):
            return out
        for a in out:
            try:
                ip = ipaddress.ip_address(a.split("%", 1)[0])
            except ValueError:
                raise SsrfError("the endpoint host resolved to something that is not an IP address") from None
            if not self.address_allowed(ip):
                raise SsrfError(BLOCKED_MESSAGE)
        return out


async def system_resolve(host: str, port: int) -> list[str]:
    """getaddrinfo through the event loop's thread pool (the production resolver)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class GuardedResolver(AbstractResolver):
    """aiohttp resolver that returns only addresses the policy admits (the checked answer is the one used)."""

    def __init__(self, policy: AddressPolicy, resolve: Resolve = system_resolve) -> None:
        self._policy = policy
        self._resolve = resolve

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        """Resolve, check every answer, and hand aiohttp only the checked addresses."""
        try:
            answers = await self._resolve(host, port)
        except OSError:
            raise SsrfError("the endpoint host cannot be resolved") from None
        return [{"hostname": host, "host": a, "port": port, "proto": 0, "flags": socket.AI_NUMERICHOST,
                 "family": socket.AF_INET6 if ":" in a else socket.AF_INET}
                for a in self._policy.check(host, answers)]

    async def close(self) -> None:
        """Nothing to release (the resolve function owns no resources)."""


def check_url(policy: AddressPolicy, url: str) -> URL:
    """Parse ``url`` and refuse what the resolver cannot see: bad schemes, no host, IP literals refused."""
    try:
        parsed = URL(url)
    except (ValueError, TypeError):
        raise SsrfError("the endpoint is not a valid URL") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise SsrfError("the endpoint must be an http:// or https:// URL with a host")
    if parsed.user is not None or parsed.password is not None:
        raise SsrfError("the endpoint URL must not carry credentials")
    try:
        literal = ipaddress.ip_address(parsed.host)
    except ValueError:
        return parsed
    policy.check(parsed.host, [str(literal)])
    return parsed


@dataclass(frozen=True)
class Response:
    """What a guarded request returns: the status and at most ``max_size`` bytes of body."""

    status: int
    body: bytes


class GuardedHttp:
    """One aiohttp session whose every connection goes through the SSRF guard; create it inside a loop."""

    def __init__(self, policy: AddressPolicy, *, resolve: Resolve = system_resolve) -> None:
        self.policy = policy
        self._resolver = GuardedResolver(policy, resolve)
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(resolver=self._resolver, use_dns_cache=False)
            self._session = aiohttp.ClientSession(connector=connector, trust_env=False, auto_decompress=False)
        return self._session

    async def close(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def request(self, method: str, url: str, *, data: bytes | None = None,
                      headers: Mapping[str, str] | None = None, timeout: float, max_size: int) -> Response:
        """One request, no redirects, body capped at ``max_size`` bytes; SsrfError for every failure."""
        target = check_url(self.policy, url)
        try:
            async with self._client().request(
                method, target, data=data, headers=dict(headers or {}), allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as resp:
                if 300 <= resp.status < 400:
                    raise SsrfError("the endpoint answered with a redirect, which is not followed")
                if resp.content_length is not None and resp.content_length > max_size:
                    raise SsrfError(f"the endpoint's response is larger than {max_size} bytes")
                body = await resp.content.read(max_size + 1)
                if len(body) > max_size:
                    raise SsrfError(f"the endpoint's response is larger than {max_size} bytes")
                return Response(resp.status, body)
        except TimeoutError:
            raise SsrfError("the endpoint did not answer in time", retryable=True) from None
        except aiohttp.InvalidURL:  # e.g. the legacy numeric IPv4 forms aiohttp refuses (2130706433)
            raise SsrfError("the endpoint is not a valid URL") from None
        except aiohttp.ClientConnectorError:  # a refused address is an SsrfError raised by the resolver
            raise SsrfError("cannot connect to the endpoint", retryable=True) from None
        except aiohttp.ClientError:
            raise SsrfError("the endpoint's answer could not be read", retryable=True) from None

    async def get(self, url: str, *, timeout: float, max_size: int) -> Response:
        """GET with the guard (schema fetches)."""
        return await self.request("GET", url, timeout=timeout, max_size=max_size)

    async def post(self, url: str, body: bytes, *, headers: Mapping[str, str], timeout: float,
                   max_size: int = 65536) -> Response:
        """POST with the guard (consumer-service uploads)."""
        return await self.request("POST", url, data=body, headers=headers, timeout=timeout, max_size=max_size)
