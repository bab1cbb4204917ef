"""Who is asking: the client address, read the same way by every feature."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address, trusting X-Forwarded-For only as far as our own proxies.

    Each trusted proxy appends the address it saw, so with N proxies the client
    is the Nth entry from the right; anything further left is client-supplied
    and could be forged.
    """
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    # "::ffff:192.0.2.1" is the same client as "192.0.2.1".
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return str(ip)


def client_network(request):
    """The client's network: its /24 for IPv4, its /48 for IPv6 ("" when unknown).

    One person, or one machine renting addresses, usually stays within one such
    block; limits counted per network catch a visitor who changes address.
    """
    address = client_ip(request)
    if not address:
        return ""
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def axes_client_ip(request):
    return client_ip(request) or None


# As long as the username column of django-axes' records.
AXES_USERNAME_LENGTH = 255


def axes_username(request, credentials=None):
    """The username a sign-in attempt is recorded under, cut to what axes can store.

    The admin's sign-in form does not limit the username's length before
    authenticating, and a longer value would fail to save (a 500) instead of
    counting as a failure. Cutting it keeps every attempt counted.
    """
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None:
        return None
    return str(username)[:AXES_USERNAME_LENGTH]
