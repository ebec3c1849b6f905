"""Whether a host name or address stays on this machine: what production mode and the notification
providers ask before they accept a clear-text connection or call a catcher a development sink."""
from __future__ import annotations

import ipaddress


def is_local(host: str, *, unspecified: bool = False) -> bool:
    """localhost (and *.localhost, RFC 6761), 127.0.0.0/8 and ::1; with `unspecified`, also 0.0.0.0 and ::,
    which a listener binds to but a public link must never name."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or (unspecified and address.is_unspecified)
