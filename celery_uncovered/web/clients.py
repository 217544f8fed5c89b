"""Who sent a request: the address the per-client report cap counts (settings: CLIENT_PROXY_HOPS).

Behind N proxies that each append to ``X-Forwarded-For``, the client is the Nth address from the
right: anything left of it was written by the client and may be forged. With no proxy (0), the
TCP peer (``REMOTE_ADDR``) is the client and the header is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

MAX_CHARS = 64


def client_address(request: HttpRequest) -> str:
    """The client's address as the deployment's own proxies saw it; never what the client wrote."""
    hops = settings.CLIENT_PROXY_HOPS
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if hops:
        chain = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        chain = [part for part in chain if part]
        if len(chain) >= hops:
            remote = chain[-hops]
    return normalised(remote)


def normalised(address: str) -> str:
    """One spelling per address (``::FFFF:1.2.3.4`` is 1.2.3.4); an IPv6 client counts by /64,
    since one host holds a whole /64 and could otherwise take a new address per request."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:MAX_CHARS]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
