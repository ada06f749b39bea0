"""A client for a Confluent-compatible registry plus ProximaDB's /negotiation extensions.

Only answers that can never change are cached: a global id always names the same schema, and
registering the same schema under the same subject always yields the same id. Concurrent misses for
one key (from several threads) share a single request.
"""

import json
import threading
from concurrent.futures import Future
from typing import Any, Callable, Dict, Hashable, List, Mapping, Optional, Sequence, Union

from .negotiation import Agreement, Fingerprints, HandshakeResult, LeaseAnswer, check_role, supports_body
from .auth import Auth
from .cancellation import Cancellation
from .http_messages import quote_segment
from .transport import HttpTransport, RetryPolicy

SchemaInput = Union[str, Mapping[str, Any], List[Any]]
#: The registry caps a long-poll at 60 s; asking for more is pointless.
MAX_WAIT_SECONDS = 60


class RegistryClient:
    """``RegistryClient(urls, auth=None, timeout=10.0)``.

    ``urls``: one base URL or several (fail-over, see ``transport``); credentials in a URL become
    HTTP Basic auth. ``auth``: ``BasicAuth(user, password)``, ``(user, password)``,
    ``BearerAuth(token)``, ``{"token": ...}``. ``timeout``: seconds per attempt. ``retry``: a
    ``RetryPolicy``. With access control, every call is made as this one identity, so the participant
    entries it creates stay its own.
    """

    def __init__(
        self,
        urls: Union[str, Sequence[str]],
        auth: Auth = None,
        timeout: float = 10.0,
        *,
        retry: Optional[RetryPolicy] = None,
        headers: Optional[Mapping[str, str]] = None,
        cache_size: int = 10_000,
        transport: Optional[HttpTransport] = None,
        **transport_options: Any,
    ) -> None:
        self.http = transport or HttpTransport(
            urls, auth=auth, timeout=timeout, retry=retry, headers=headers, **transport_options
        )
        self._schema_by_id = _ImmutableCache(cache_size)
        self._id_by_schema = _ImmutableCache(cache_size)

    @property
    def urls(self) -> List[str]:
        return self.http.urls

    # --- Confluent API ---------------------------------------------------------------------------

    def get_schema(self, schema_id: int) -> Dict[str, Any]:
        """``GET /schemas/ids/{id}`` (cached, coalesced)."""
        return self._schema_by_id.get(
            int(schema_id), lambda: self.http.request("GET", f"/schemas/ids/{int(schema_id)}")
        )

    def register(
        self,
        subject: str,
        schema: SchemaInput,
        *,
        references: Optional[List[Dict[str, Any]]] = None,
        normalize: Optional[bool] = None,
        semver: Optional[str] = None,
    ) -> int:
        """``POST /subjects/{s}/versions``: the schema's global id. ``semver`` states the version label."""
        body = _schema_body(schema, references)
        if semver is not None:
            body["metadata"] = {"properties": {"semver": semver}}
        key = (subject, normalize is True, json.dumps(body, sort_keys=True))

        def load() -> int:
            answer = self.http.request(
                "POST",
                f"{_subject_path(subject)}/versions",
                body=body,
                query={"normalize": normalize},
                idempotent=True,  # registering the same schema again returns the same id
            )
            return int(answer["id"])

        return self._id_by_schema.get(key, load)

    def lookup(
        self, subject: str, schema: SchemaInput, *, normalize: Optional[bool] = None, deleted: Optional[bool] = None
    ) -> Dict[str, Any]:
        """``POST /subjects/{s}``: the subject-version under which this schema is registered."""
        return self.http.request(
            "POST",
            _subject_path(subject),
            body=_schema_body(schema, None),
            query={"normalize": normalize, "deleted": deleted},
            idempotent=True,
        )

    def get_version(self, subject: str, version: Union[int, str], *, deleted: Optional[bool] = None) -> Dict[str, Any]:
        """``GET /subjects/{s}/versions/{v}`` (``v`` a number or 'latest')."""
        return self.http.request(
            "GET", f"{_subject_path(subject)}/versions/{quote_segment(version)}", query={"deleted": deleted}
        )

    def get_latest(self, subject: str) -> Dict[str, Any]:
        return self.get_version(subject, "latest")

    def list_subjects(self, *, prefix: Optional[str] = None, deleted: Optional[bool] = None) -> List[str]:
        return self.http.request("GET", "/subjects", query={"subjectPrefix": prefix, "deleted": deleted})

    def list_versions(self, subject: str, *, deleted: Optional[bool] = None) -> List[int]:
        return self.http.request("GET", f"{_subject_path(subject)}/versions", query={"deleted": deleted})

    def delete_subject(
        self, subject: str, *, permanent: Optional[bool] = None, force: Optional[bool] = None
    ) -> List[int]:
        """``force`` overrides the refusal to soft-delete a version live participants agreed on."""
        return self.http.request(
            "DELETE", _subject_path(subject), query={"permanent": permanent, "force": force}, idempotent=False
        )

    def delete_version(
        self, subject: str, version: Union[int, str], *, permanent: Optional[bool] = None, force: Optional[bool] = None
    ) -> int:
        return self.http.request(
            "DELETE",
            f"{_subject_path(subject)}/versions/{quote_segment(version)}",
            query={"permanent": permanent, "force": force},
            idempotent=False,
        )

    def test_compatibility(
        self,
        subject: str,
        schema: SchemaInput,
        *,
        version: Union[int, str, None] = None,
        verbose: Optional[bool] = None,
        normalize: Optional[bool] = None,
    ) -> Dict[str, Any]:
        """Against one version (``version`` given) or, without one, the check a registration would run."""
        path = f"/compatibility{_subject_path(subject)}/versions"
        if version is not None:
            path += f"/{quote_segment(version)}"
        return self.http.request(
            "POST",
            path,
            body=_schema_body(schema, None),
            query={"verbose": verbose, "normalize": normalize},
            idempotent=True,
        )

    def get_config(self, subject: Optional[str] = None, *, default_to_global: Optional[bool] = None) -> Dict[str, Any]:
        return self.http.request("GET", _config_path("/config", subject), query={"defaultToGlobal": default_to_global})

    def set_config(self, subject: Optional[str], compatibility: str) -> Dict[str, Any]:
        return self.http.request("PUT", _config_path("/config", subject), body={"compatibility": compatibility})

    def delete_config(self, subject: Optional[str]) -> Dict[str, Any]:
        return self.http.request("DELETE", _config_path("/config", subject), idempotent=False)

    def get_mode(self, subject: Optional[str] = None) -> Dict[str, Any]:
        return self.http.request("GET", _config_path("/mode", subject))

    def set_mode(self, subject: Optional[str], mode: str, *, force: Optional[bool] = None) -> Dict[str, Any]:
        return self.http.request("PUT", _config_path("/mode", subject), body={"mode": mode}, query={"force": force})

    def validate(
        self, subject: str, version: Union[int, str], datum: Any, *, apply_defaults: Optional[bool] = None
    ) -> Dict[str, Any]:
        """``POST /subjects/{s}/versions/{v}/validate``: the registry's verdict on a datum,
        ``{"valid": true, "datum": ...}`` or ``{"valid": false, "errors": [{"path", "message"}]}``."""
        body: Dict[str, Any] = {"datum": datum}
        if apply_defaults is not None:
            body["applyDefaults"] = apply_defaults
        return self.http.request(
            "POST", f"{_subject_path(subject)}/versions/{quote_segment(version)}/validate", body=body, idempotent=True
        )

    # --- Negotiation -----------------------------------------------------------------------------

    def handshake(self, subject: str, role: str, supports: Mapping[str, Any]) -> HandshakeResult:
        """``POST /negotiation/subjects/{s}``: which version to read or write with.

        ``supports`` takes any of ``range`` (a semver range over the labels), ``versions``,
        ``fingerprints`` (of schemas held) and ``schema`` (the text compiled into the client).
        Raises ``NoCommonVersionError`` (with ``available``) when nothing qualifies.
        """
        body = {"role": check_role(role), "supports": supports_body(supports)}
        answer = self.http.request("POST", _negotiation_path(subject), body=body, idempotent=True)
        schema = answer.get("schema")
        if schema is None:
            # An exact match: the client holds this schema, so the registry did not send it.
            held = body["supports"].get("schema")
            schema = held if isinstance(held, str) else self.get_schema(answer["id"])["schema"]
        fingerprints = answer.get("fingerprints") or {}
        return HandshakeResult(
            subject=answer["subject"],
            version=int(answer["version"]),
            id=int(answer["id"]),
            semver=answer["semver"],
            fingerprints=Fingerprints(fingerprints.get("crc64", ""), fingerprints.get("sha256", "")),
            match=answer["match"],
            schema=schema,
            readable=list(answer.get("readable", []) or []),
            epoch=answer.get("epoch"),
            raw=answer,
        )

    def put_participant(
        self,
        subject: str,
        participant_id: str,
        role: str,
        supports: Mapping[str, Any],
        ttl_seconds: int,
        *,
        cancel: Optional[Cancellation] = None,
    ) -> LeaseAnswer:
        """Registers or renews a participant's lease (``PUT .../participants/{id}``)."""
        body = {"role": check_role(role), "supports": supports_body(supports), "ttlSeconds": int(ttl_seconds)}
        answer = self.http.request("PUT", _participant_path(subject, participant_id), body=body, cancel=cancel)
        return LeaseAnswer.from_json(answer)

    def delete_participant(self, subject: str, participant_id: str) -> Agreement:
        """Removes a participant; answers the agreement without it."""
        answer = self.http.request("DELETE", _participant_path(subject, participant_id), idempotent=False)
        return Agreement.from_json(answer["agreement"])

    def get_agreement(
        self,
        subject: str,
        *,
        after_epoch: Optional[int] = None,
        wait_seconds: Optional[float] = None,
        cancel: Optional[Cancellation] = None,
    ) -> Agreement:
        """The agreed version. With ``after_epoch`` and ``wait_seconds`` the registry holds the request
        until the epoch passes ``after_epoch`` or the wait (at most 60 s) ends."""
        query: Dict[str, Any] = {"afterEpoch": after_epoch}
        timeout = None
        if wait_seconds is not None and wait_seconds > 0:
            wait = min(float(wait_seconds), MAX_WAIT_SECONDS)
            query["waitSeconds"] = _seconds(wait)
            timeout = self.http.timeout + wait  # the server is meant to hold this one
        answer = self.http.request(
            "GET", f"{_negotiation_path(subject)}/agreement", query=query, timeout=timeout, cancel=cancel
        )
        return Agreement.from_json(answer)

    def list_labelled_versions(self, subject: str, *, deleted: Optional[bool] = None) -> List[Dict[str, Any]]:
        """Every version of the subject with its semantic version label and fingerprints."""
        return self.http.request("GET", f"{_negotiation_path(subject)}/versions", query={"deleted": deleted})

    def get_by_semver(self, subject: str, label: str, *, deleted: Optional[bool] = None) -> Dict[str, Any]:
        """The version with this label, or the highest one a range (e.g. ``^1.0.0``) admits."""
        return self.http.request(
            "GET", f"{_negotiation_path(subject)}/semver/{quote_segment(label)}", query={"deleted": deleted}
        )


def _subject_path(subject: str) -> str:
    return f"/subjects/{quote_segment(subject)}"


def _negotiation_path(subject: str) -> str:
    return f"/negotiation/subjects/{quote_segment(subject)}"


def _participant_path(subject: str, participant_id: str) -> str:
    return f"{_negotiation_path(subject)}/participants/{quote_segment(participant_id)}"


def _config_path(root: str, subject: Optional[str]) -> str:
    return root if subject is None else f"{root}/{quote_segment(subject)}"


def _schema_body(schema: SchemaInput, references: Optional[List[Dict[str, Any]]]) -> Dict[str, Any]:
    text = schema if isinstance(schema, str) else json.dumps(schema, separators=(",", ":"), ensure_ascii=False)
    body: Dict[str, Any] = {"schema": text}
    if references:
        body["references"] = list(references)
    return body


def _seconds(value: float) -> str:
    """What the registry's waitSeconds accepts: digits, optionally a fraction (no exponent)."""
    if value == int(value):
        return str(int(value))
    return f"{value:.3f}".rstrip("0").rstrip(".")


class _ImmutableCache:
    """An LRU of settled values plus the loads in flight; failures are not remembered."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._lock = threading.Lock()
        self._settled: Dict[Hashable, Any] = {}
        self._pending: Dict[Hashable, "Future[Any]"] = {}

    def __len__(self) -> int:
        with self._lock:
            return len(self._settled)

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._settled:
                value = self._settled.pop(key)
                self._settled[key] = value  # refresh recency
                return value
            future = self._pending.get(key)
            owner = future is None
            if owner:
                future = Future()
                self._pending[key] = future
        assert future is not None
        if not owner:
            return future.result()
        try:
            value = load()
        except BaseException as error:
            with self._lock:
                del self._pending[key]
            future.set_exception(error)
            raise
        with self._lock:
            del self._pending[key]
            self._settled[key] = value
            if len(self._settled) > self.capacity:
                self._settled.pop(next(iter(self._settled)))
        future.set_result(value)
        return value
