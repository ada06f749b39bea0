"""The answers of the registry's /negotiation endpoints as small, typed objects.

Each keeps the whole JSON answer in ``raw``, so fields a newer registry adds are never lost.
"""

import json
from typing import Any, Dict, List, Mapping, NamedTuple, Optional

ROLES = ("reader", "writer", "both")
SUPPORTS_KEYS = ("range", "versions", "fingerprints", "schema")


class Fingerprints(NamedTuple):
    #: CRC-64-AVRO of the Parsing Canonical Form, 16 lower-case hex digits.
    crc64: str
    #: SHA-256 of the Parsing Canonical Form, 64 lower-case hex digits.
    sha256: str


class HandshakeResult(NamedTuple):
    """Which version to read or write with (``POST /negotiation/subjects/{s}``)."""

    subject: str
    version: int
    id: int
    semver: str
    fingerprints: Fingerprints
    #: 'exact' (the client holds this schema), 'declared' (in its range/list) or 'resolution'.
    match: str
    #: The chosen schema's text: sent by the registry unless the client holds it; then the client's own
    #: text (same Parsing Canonical Form) or, for a fingerprint match, fetched by id.
    schema: str
    #: Readers: every live version they can decode, as (version, semver) pairs, ascending.
    readable: List[Dict[str, Any]]
    #: The subject's agreement epoch when the answer was made.
    epoch: Optional[int]
    raw: Dict[str, Any]


class Blocker(NamedTuple):
    participant: str
    reason: str


class BlockedVersion(NamedTuple):
    version: int
    semver: str
    blockers: List[Blocker]


class Agreement(NamedTuple):
    """The version every live reader can decode and every live writer supports, and its epoch."""

    subject: str
    version: Optional[int]
    semver: Optional[str]
    id: Optional[int]
    epoch: int
    degraded: bool
    reason: Optional[str]
    participants: List[Dict[str, Any]]
    blocked: List[BlockedVersion]
    raw: Dict[str, Any]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Agreement":
        blocked = [
            BlockedVersion(
                b["version"],
                b["semver"],
                [Blocker(x.get("participant", ""), x.get("reason", "")) for x in b.get("blockers", [])],
            )
            for b in data.get("blocked", []) or []
        ]
        return cls(
            subject=data["subject"],
            version=data.get("version"),
            semver=data.get("semver"),
            id=data.get("id"),
            epoch=int(data["epoch"]),
            degraded=bool(data.get("degraded", False)),
            reason=data.get("reason"),
            participants=list(data.get("participants", []) or []),
            blocked=blocked,
            raw=dict(data),
        )


class LeaseAnswer(NamedTuple):
    """``PUT /negotiation/subjects/{s}/participants/{id}``: the lease as stored and the agreement after it."""

    subject: str
    participant_id: str
    role: str
    ttl_seconds: int
    #: Server time (ms since the epoch) at which the lease lapses unless renewed.
    expires_at: int
    agreement: Agreement
    raw: Dict[str, Any]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "LeaseAnswer":
        return cls(
            subject=data["subject"],
            participant_id=data["id"],
            role=data["role"],
            ttl_seconds=int(data["ttlSeconds"]),
            expires_at=int(data["expiresAt"]),
            agreement=Agreement.from_json(data["agreement"]),
            raw=dict(data),
        )


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    return role


def supports_body(supports: Mapping[str, Any]) -> Dict[str, Any]:
    """``supports`` as the registry expects it; a schema given as decoded JSON is sent as text."""
    if not isinstance(supports, Mapping):
        raise TypeError("supports must be a dict with range, versions, fingerprints and/or schema")
    unknown = [k for k in supports if k not in SUPPORTS_KEYS]
    if unknown:
        raise ValueError(f"unknown supports key(s) {unknown}: use {', '.join(SUPPORTS_KEYS)}")
    body = {k: v for k, v in supports.items() if v is not None}
    schema = body.get("schema")
    if schema is not None and not isinstance(schema, str):
        body["schema"] = json.dumps(schema, separators=(",", ":"), ensure_ascii=False)
    if "versions" in body:
        body["versions"] = list(body["versions"])
    if "fingerprints" in body:
        body["fingerprints"] = list(body["fingerprints"])
    return body
