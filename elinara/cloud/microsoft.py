"""The msal application for Microsoft sign-in and OneDrive tokens.

msal is always given our own ``http_client`` (:class:`MsalHttpClient`), so its requests (the
authority's OpenID metadata, fetched when the application is built, and the token endpoint) go
through httpx and the project's retry helper, with the configured timeout.

msal insists on an ``https`` authority (and ``https`` endpoints in the authority's metadata).
A plain ``http`` authority is accepted only on a loopback host (a local test server): msal is
then told the ``https`` form of it, and :class:`MsalHttpClient` sends what msal asks of that
origin over plain http. Instance discovery is off (``instance_discovery=False``): the authority
is the configured one, and nothing is asked of login.microsoftonline.com behind its back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from elinara.cloud.transport import send
from elinara.errors import ConfigError, SourceError
from elinara.net import is_loopback_host

if TYPE_CHECKING:
    from elinara.config import Settings

# msal adds openid, profile and offline_access itself (and refuses them here).
SCOPES = ["User.Read", "Files.Read.All"]


def authority(settings: Settings) -> tuple[str, str | None]:
    """(the authority URL msal is given, the origin to send over plain http or None)."""
    base = str(settings.microsoft_authority).rstrip("/")
    tenant = str(settings.microsoft_tenant or "common").strip("/")
    parts = urlsplit(base)
    if parts.scheme == "https" and parts.hostname:
        return f"{base}/{tenant}", None
    if parts.scheme == "http" and parts.hostname and is_loopback_host(parts.hostname):
        secure = urlunsplit(("https", parts.netloc, parts.path, "", ""))
        return f"{secure}/{tenant}", parts.netloc
    raise ConfigError(
        f"ELINARA_MICROSOFT_AUTHORITY must be an https URL such as "
        f"https://login.microsoftonline.com (plain http only for a loopback test server), "
        f"not {base!r}."
    )


def downgrade(url: str, plain_origin: str | None) -> str:
    """``url`` over plain http if it is on the loopback origin configured as http."""
    if plain_origin is None:
        return url
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.netloc == plain_origin:
        return urlunsplit(("http", *parts[1:]))
    return url


class MsalHttpClient:
    """The ``http_client`` msal calls: ``get``/``post`` returning responses with
    ``status_code``, ``text``, ``headers`` and ``raise_for_status()`` (httpx's)."""

    def __init__(self, settings: Settings, plain_origin: str | None = None) -> None:
        self.settings = settings
        self.plain_origin = plain_origin
        self.client = httpx.Client(timeout=settings.http_timeout, follow_redirects=False)

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        kwargs.pop("timeout", None)  # ours applies
        kwargs.pop("proxies", None)
        kwargs.pop("verify", None)
        data = kwargs.pop("data", None)
        if isinstance(data, (str, bytes)):
            kwargs["content"] = data
        elif data is not None:
            kwargs["data"] = data
        response = send(
            self.client,
            self.settings,
            method,
            downgrade(url, self.plain_origin),
            what="Microsoft sign-in",
            **kwargs,
        )
        response.read()
        return response

    def get(self, url: str, params: Any = None, headers: Any = None, **kwargs: Any) -> Any:
        return self._request("GET", url, params=params, headers=headers, **kwargs)

    def post(
        self, url: str, params: Any = None, data: Any = None, headers: Any = None, **kwargs: Any
    ) -> Any:
        return self._request("POST", url, params=params, data=data, headers=headers, **kwargs)

    def close(self) -> None:
        self.client.close()


def application(settings: Settings) -> Any:
    """A ``msal.ConfidentialClientApplication`` (fetches the authority's metadata now)."""
    import msal

    url, plain_origin = authority(settings)
    client = MsalHttpClient(settings, plain_origin)
    try:
        return msal.ConfidentialClientApplication(
            settings.microsoft_client_id,
            client_credential=settings.microsoft_client_secret,
            authority=url,
            http_client=client,
            instance_discovery=False,
            token_cache=msal.TokenCache(),
        )
    except ValueError as exc:  # msal could not read the authority's metadata
        client.close()
        raise SourceError(
            f"Microsoft's sign-in metadata for {url} could not be read "
            f"({str(exc).splitlines()[0][:200]}); check ELINARA_MICROSOFT_AUTHORITY and "
            "ELINARA_MICROSOFT_TENANT."
        ) from None


def close(app: Any) -> None:
    client = getattr(app, "http_client", None)
    if client is not None and hasattr(client, "close"):
        client.close()


def auth_uri(settings: Settings, uri: str) -> str:
    """The authorization URL msal built, as the browser must see it."""
    return downgrade(uri, authority(settings)[1])
