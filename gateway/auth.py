"""API keys → principals. Each dialect reads the key from its own header and renders its own 401/403.

With no keys configured, auth is off: every caller is the anonymous user of the default tenant.
"""

from __future__ import annotations

import hmac

import msgspec

from gateway.model import ANONYMOUS_USER, DEFAULT_TENANT, Scope


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    tenant: str = DEFAULT_TENANT
    user: str = ANONYMOUS_USER
    scopes: frozenset[str] = frozenset()

    def scope(self, owners: tuple[str, ...] | None = None) -> Scope:
        return Scope(tenant=self.tenant, user=self.user, owners=owners)


ANONYMOUS = Principal()


class KeyRing:
    def __init__(self, keys: dict[str, Principal]) -> None:
        self._keys = keys

    @classmethod
    def from_settings(cls, keys: list) -> KeyRing:  # list[ApiKeySettings]; untyped to keep config out
        return cls(
            {
                k.key: Principal(tenant=k.tenant, user=k.user or k.tenant, scopes=frozenset(k.scopes))
                for k in keys
            }
        )

    @property
    def enabled(self) -> bool:
        return bool(self._keys)

    def tenants(self) -> set[str]:
        return {p.tenant for p in self._keys.values()} | {DEFAULT_TENANT}

    def lookup(self, key: str | None) -> Principal | None:
        """The key's principal; None for a missing or unknown key. Compared in constant time."""
        if not key:
            return None
        found = None
        for known, principal in self._keys.items():
            if hmac.compare_digest(known.encode(), key.encode("utf-8", "surrogatepass")):
                found = principal
        return found


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header (scheme case-insensitive)."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None
