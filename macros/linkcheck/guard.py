"""The address policy: the checker reaches public addresses only (its SSRF guard).

Notes come from strangers' pull requests and CI checks their links, so a URL must never
make the checker talk to the runner itself, its network or the cloud's metadata service.
The model is lychee's ``--exclude-private``; the rules are the stdlib's ``ipaddress`` ones,
applied to the addresses a host *resolves to* (``getaddrinfo``), so ``2130706433``,
``0x7f000001``, ``127.1``, ``0177.0.0.1``, ``localhost`` and names that point inwards are
judged by where they lead, not by how they are spelled. IPv4 addresses carried inside IPv6
ones (mapped, 6to4, NAT64, compatible) are judged as the IPv4 address they carry.

One policy, two places:

* :func:`check_destination`, before every request (each redirect hop, each cached success
  reused): a clear reason, and no connection at all.
* :class:`GuardedBackend`, the network backend of :func:`guarded_transport`: it resolves
  again when it connects, refuses if *any* address is disallowed, and connects to the very
  address it validated, so a name cannot rebind to an inner address between check and
  connect. The TLS server name and the Host header keep the URL's name (httpcore takes them
  from the URL, not from the address it connected to).
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

from .model import CheckSettings, normal_host

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Allow = frozenset[tuple[str, int]]

DEFAULT_PORTS = {"http": 80, "https": 443}
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT; not is_private in Python 3.11
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
#: Address kinds refused by name, checked in this order (the first match names the reason).
REFUSED_KINDS = (("is_unspecified", "an unspecified address"), ("is_loopback", "a loopback address"),
                 ("is_link_local", "a link-local address"), ("is_multicast", "a multicast address"))


class Refused(Exception):
    """A destination the policy forbids. ``str()`` is the reason, e.g. ``10.0.0.1 is a private address``."""


def address_problem(ip: IPAddress) -> str | None:
    """Why ``ip`` may not be reached (``"a loopback address"``), or None for a public address."""
    carried = _carried_ipv4(ip)
    if carried is not None:
        kind, inner = carried
        problem = address_problem(inner)
        return f"{kind} form of {inner}, {problem}" if problem else None
    for attribute, noun in REFUSED_KINDS:
        if getattr(ip, attribute):
            return noun
    if getattr(ip, "is_site_local", False):
        return "a site-local address"
    if ip in SHARED_ADDRESS_SPACE:
        return "a shared address (100.64.0.0/10, carrier-grade NAT)"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "a non-public address"
    return None


def _carried_ipv4(ip: IPAddress) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address an IPv6 address stands for, with the name of the form (and its article), if it is one."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return "an IPv4-mapped", ip.ipv4_mapped
    if ip.sixtofour is not None:
        return "a 6to4", ip.sixtofour
    if ip in NAT64:
        return "a NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in IPV4_COMPATIBLE and int(ip) > 1:  # :: and ::1 are IPv6's own unspecified and loopback
        return "an IPv4-compatible", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


async def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (tests replace this to simulate DNS answers)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def allowed_addresses(host: str, port: int, allow: Allow) -> list[str]:
    """The addresses ``host`` resolves to, if every one may be reached on ``port``; else raise :class:`Refused`.

    One disallowed address is enough to refuse: a name answering both a public and an inner
    address must not get a chance to be connected to the inner one. A ``(host, port)`` or
    ``(address, port)`` pair in ``allow`` is let through.
    """
    name = normal_host(host)
    try:
        addresses = await resolve(name, port)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"{name} does not resolve: {getattr(exc, 'strerror', None) or exc}") from exc
    if (name, port) in allow:
        return addresses
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
        if (str(ip), port) in allow:
            continue
        problem = address_problem(ip)
        if problem:
            shown = f"::ffff:{ip.ipv4_mapped}" if getattr(ip, "ipv4_mapped", None) else str(ip)  # as people write it
            raise Refused(f"{shown} is {problem}" if name == str(ip) else f"{name} resolves to {shown}, {problem}")
    return addresses


async def check_destination(url: str, allow: Allow) -> None:
    """Raise :class:`Refused` unless ``url`` is an http(s) URL, without credentials, to an allowed host and port."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # an unbalanced "[" or a port like ":99999" or ":abc"
        raise Refused(f"malformed host or port ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise Refused(f"a {scheme or 'relative'}: URL; only http and https URLs are checked")
    if parts.username is not None or parts.password is not None:
        raise Refused("the URL carries credentials (user:password@host)")
    if not parts.hostname:
        raise Refused("the URL has no host")
    try:
        await allowed_addresses(parts.hostname, DEFAULT_PORTS[scheme] if port is None else port, allow)
    except httpcore.ConnectError as exc:  # an unknown name: a broken link like any other, as httpx would say it
        raise httpx.ConnectError(str(exc)) from exc


def refusal_message(exc: Refused) -> str:
    return f"refused: {exc}"


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses the policy allows, and to the address it checked (no rebinding)."""

    def __init__(self, allow: Allow, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._allow = allow
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options: Iterable[object] | None = None) -> httpcore.AsyncNetworkStream:
        addresses = await allowed_addresses(host, port, self._allow)
        failure: Exception = httpcore.ConnectError(f"{host} resolves to no address")
        for address in addresses:  # in resolver order, like a browser's fallback
            try:
                return await self._inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                     socket_options=socket_options)  # type: ignore[arg-type]
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[object] | None = None) -> httpcore.AsyncNetworkStream:
        raise Refused(f"a unix socket ({path})")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def guarded_transport(settings: CheckSettings,
                      network_backend: httpcore.AsyncNetworkBackend | None = None) -> httpx.AsyncHTTPTransport:
    """httpx's own transport, connecting through :class:`GuardedBackend` (over ``network_backend``, for tests).

    Proxy variables are not honoured: a proxy resolves names itself, out of the guard's reach.
    """
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    # httpx 0.28 takes no network backend: give the transport a pool built as its own, on the guarded backend.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=settings.concurrency,
        max_keepalive_connections=settings.concurrency,
        network_backend=GuardedBackend(settings.allow, network_backend),
    )
    return transport
