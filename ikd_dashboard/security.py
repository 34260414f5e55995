"""Who is asking and what the browser may do: the client's address behind our proxies, and the
headers Django does not set itself (Content-Security-Policy, Permissions-Policy, no-store)."""

from django.conf import settings
from django.utils.cache import patch_cache_control


def client_ip(request) -> str:
    """The client's address. Behind TRUSTED_PROXY_COUNT reverse proxies, the address the first
    of them saw (X-Forwarded-For is appended to by each proxy, so only the last N entries can be
    trusted; anything before them is whatever the client chose to send)."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR", "")


class SecurityHeadersMiddleware:
    """Content-Security-Policy with no inline script (chart data comes through json_script)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on every page, download and API answer (static files
    are served before this by whitenoise, with their own long caching): the figures, the upload
    reports and the accounts must not stay in the browser cache of an office PC that several
    people share, nor in any proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response.headers:
            patch_cache_control(response, private=True, no_store=True)
        return response
