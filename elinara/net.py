"""Host and address checks shared by the server, the drives, notifications and data sources."""

from __future__ import annotations

import ipaddress
import socket


def host_name(host: str) -> str:
    """``host`` without a port and brackets, lower-cased ("[::1]:5000" -> "::1")."""
    text = host.strip().lower()
    if text.startswith("["):
        return text[1:].split("]", 1)[0]
    if text.count(":") == 1:  # name:port or v4:port (a bare IPv6 address has several)
        text = text.rsplit(":", 1)[0]
    return text


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_loopback_host(host: str) -> bool:
    """``localhost`` (or a name under it) or a loopback address; a port may follow."""
    name = host_name(host).rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address = _address(name)
    return address is not None and address.is_loopback


def _is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


def internal_host(host: str) -> bool:
    """True when ``host`` is, or resolves to, a loopback, private, link-local or reserved
    address. A name that does not resolve (now) is not known to be internal."""
    name = host_name(host).rstrip(".")
    if not name:
        return False
    if name == "localhost" or name.endswith(".localhost"):
        return True
    literal = _address(name)
    if literal is not None:
        return _is_internal(literal)
    try:
        found = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    for _family, _type, _proto, _canon, sockaddr in found:
        address = _address(str(sockaddr[0]))
        if address is not None and _is_internal(address):
            return True
    return False
