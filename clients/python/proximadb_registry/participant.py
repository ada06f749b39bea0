"""A participant in a subject's agreement: registers its lease, renews it in a background thread,
follows the agreed version by long-polling, and stops cleanly.

The lease logic is the TypeScript SDK's (src/sdk/participant.ts): renew once ``renew_fraction`` of the
TTL has passed; retry a failed renewal after ``retry_delay`` (a tenth of the TTL, at most 5 s), aimed
before expiry; report a lapsed lease once; re-register as soon as the registry answers again.

A second thread waits on ``GET .../agreement?afterEpoch=E&waitSeconds=S``: the registry answers as soon
as the epoch passes E, i.e. the moment the agreed version changes, and ``on_change`` is called with the
new agreement. ``stop()`` wakes both threads (the long-poll's socket is closed), joins them and, unless
told not to, deletes the participant so the agreement need not wait for the lease to run out.
"""

import logging
import threading
from typing import Any, Callable, List, Mapping, Optional

from .client import RegistryClient
from .clock import SYSTEM_CLOCK, Clock
from .errors import NotFoundError
from .negotiation import Agreement, LeaseAnswer, check_role, supports_body
from .cancellation import Cancellation, RequestCancelledError

log = logging.getLogger("proximadb_registry")

ChangeCallback = Callable[[Agreement, Optional[Agreement]], None]


class Participant:
    """``Participant(client, subject, participant_id, role, supports, ttl_seconds=30, on_change=...)``.

    Use ``start()``/``stop()`` or ``with Participant(...) as p:``. Callbacks run on the participant's
    threads (or, for a renewal made by ``update()``, on the caller's); an exception from one is passed
    to ``on_error`` (or logged) and never stops the participant.

    - ``on_change(agreement, previous)``: the agreed version moved (its epoch grew).
    - ``on_renewed(lease_answer)``: after every registration or renewal.
    - ``on_error(exception)``: a renewal or a long-poll failed; the participant keeps trying.
    - ``on_expired()``: once, when the lease lapsed because renewals kept failing.
    """

    def __init__(
        self,
        client: RegistryClient,
        subject: str,
        participant_id: str,
        role: str,
        supports: Mapping[str, Any],
        ttl_seconds: int = 30,
        *,
        on_change: Optional[ChangeCallback] = None,
        on_renewed: Optional[Callable[[LeaseAnswer], None]] = None,
        on_error: Optional[Callable[[BaseException], None]] = None,
        on_expired: Optional[Callable[[], None]] = None,
        renew_fraction: float = 0.5,
        retry_delay: Optional[float] = None,
        watch: bool = True,
        wait_seconds: float = 30,
        clock: Optional[Clock] = None,
    ) -> None:
        if not isinstance(ttl_seconds, int) or isinstance(ttl_seconds, bool) or ttl_seconds < 1:
            raise ValueError(f"ttl_seconds must be a positive integer, got {ttl_seconds!r}")
        if not 0 < renew_fraction < 1:
            raise ValueError(f"renew_fraction must be in (0, 1), got {renew_fraction!r}")
        if not 0 < wait_seconds <= 60:
            raise ValueError(f"wait_seconds must be in (0, 60], got {wait_seconds!r}")
        self.client = client
        self.subject = subject
        self.participant_id = participant_id
        self.role = check_role(role)
        self.ttl_seconds = ttl_seconds
        self.renew_fraction = renew_fraction
        self.retry_delay_ms = retry_delay * 1000 if retry_delay is not None else min(5000, ttl_seconds * 100)
        self.watch = watch
        self.wait_seconds = wait_seconds
        self.clock = clock or SYSTEM_CLOCK
        self.on_change = on_change
        self.on_renewed = on_renewed
        self.on_error = on_error
        self.on_expired = on_expired
        self._supports = supports_body(supports)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._renew_lock = threading.Lock()
        self._wake = threading.Event()  # reschedule or stop: the lease thread looks again
        self._stopping = threading.Event()
        self._cancel = Cancellation()
        self._threads: List[threading.Thread] = []
        self._started = False
        self._registered = False  # the registry holds (or held) a lease of ours: stop() deletes it
        self._stopped = False
        self._expiry: Optional[float] = None
        self._expired_reported = False
        self._next_renewal: float = 0.0
        self._agreement: Optional[Agreement] = None

    # --- state -----------------------------------------------------------------------------------

    @property
    def agreement(self) -> Optional[Agreement]:
        """The latest agreement seen (from a renewal or the long-poll)."""
        with self._lock:
            return self._agreement

    @property
    def version(self) -> Optional[int]:
        """The agreed version number (what a writer should write with)."""
        agreement = self.agreement
        return None if agreement is None else agreement.version

    @property
    def expires_at(self) -> Optional[float]:
        """When the lease runs out unless renewed (ms since the epoch, by this participant's clock)."""
        with self._lock:
            return self._expiry

    @property
    def renews_at(self) -> float:
        """When the lease thread renews next (ms since the epoch, by this participant's clock)."""
        with self._lock:
            return self._next_renewal

    @property
    def active(self) -> bool:
        with self._lock:
            return not self._stopped and self._expiry is not None and self.clock.now() < self._expiry

    @property
    def threads(self) -> List[threading.Thread]:
        return list(self._threads)

    # --- life cycle ------------------------------------------------------------------------------

    def start(self) -> LeaseAnswer:
        """Registers the participant and starts its threads; raises if the first registration fails
        (nothing keeps running then)."""
        with self._lock:
            if self._stopped:
                raise RuntimeError("participant was stopped")
            if self._started:
                raise RuntimeError("participant already started")
            self._started = True
        answer = self._renew(raise_errors=True)
        assert answer is not None
        tag = f"{self.subject}/{self.participant_id}"
        self._threads.append(threading.Thread(target=self._lease_loop, name=f"proximadb-lease:{tag}", daemon=True))
        if self.watch:
            self._threads.append(threading.Thread(target=self._watch_loop, name=f"proximadb-watch:{tag}", daemon=True))
        for thread in self._threads:
            thread.start()
        return answer

    def update(self, supports: Mapping[str, Any]) -> LeaseAnswer:
        """Declares new capabilities (e.g. after an upgrade) and renews at once, so the agreement moves."""
        body = supports_body(supports)
        with self._lock:
            if self._stopped:
                raise RuntimeError("participant was stopped")
            self._supports = body
        answer = self._renew(raise_errors=True)
        assert answer is not None
        return answer

    def stop(self, remove: bool = True, timeout: Optional[float] = None) -> None:
        """Stops renewing and watching, waits for both threads, then (by default) deletes the
        participant. Safe to call twice, and from a callback."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            self._changed.notify_all()
        self._stopping.set()
        self._wake.set()
        self._cancel.cancel()  # a long-poll or renewal in flight returns at once
        current = threading.current_thread()
        for thread in self._threads:
            if thread is not current:
                thread.join(timeout)
        if not remove or not self._registered:
            return
        try:
            self.client.delete_participant(self.subject, self.participant_id)
        except NotFoundError as error:
            if error.code != "PARTICIPANT_NOT_FOUND":
                raise
        finally:
            with self._lock:
                self._expiry = None

    def __enter__(self) -> "Participant":
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def wait_for_change(
        self, after_epoch: Optional[int] = None, timeout: Optional[float] = None
    ) -> Optional[Agreement]:
        """Blocks until the agreement's epoch passes ``after_epoch`` (default: the epoch now) and returns
        it; None on timeout or when stopped first."""
        with self._changed:
            if after_epoch is None:
                after_epoch = -1 if self._agreement is None else self._agreement.epoch
            bound = after_epoch

            def moved() -> bool:
                return self._stopped or (self._agreement is not None and self._agreement.epoch > bound)

            self._changed.wait_for(moved, timeout)
            if self._agreement is not None and self._agreement.epoch > bound:
                return self._agreement
            return None

    # --- lease -----------------------------------------------------------------------------------

    def _lease_loop(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                due = self._next_renewal
            if self.clock.now() < due:
                if self.clock.wait_until(self._wake, due):
                    self._wake.clear()
                    continue  # stopping, or rescheduled by update(): look again
            if self._stopping.is_set():
                return
            self._renew(raise_errors=False)

    def _renew(self, raise_errors: bool) -> Optional[LeaseAnswer]:
        with self._renew_lock:
            with self._lock:
                supports = self._supports
            sent_at = self.clock.now()
            try:
                answer = self.client.put_participant(
                    self.subject, self.participant_id, self.role, supports, self.ttl_seconds, cancel=self._cancel
                )
            except Exception as error:  # noqa: BLE001 - every failure is retried until stopped
                if self._stopping.is_set():
                    if raise_errors:
                        raise
                    return None
                self._renewal_failed(error, raise_errors)
                if raise_errors:
                    raise
                return None
            if self._stopping.is_set() and not raise_errors:
                return None
            with self._lock:
                # Count from when the request left: the server's lease started no earlier than that.
                self._expiry = sent_at + self.ttl_seconds * 1000
                self._expired_reported = False
                self._registered = True
            self._schedule(self.ttl_seconds * 1000 * self.renew_fraction)
            self._observe(answer.agreement)
            self._call(self.on_renewed, answer)
            return answer

    def _renewal_failed(self, error: Exception, raise_errors: bool) -> None:
        with self._lock:
            expiry = self._expiry
        # A failed first registration schedules nothing: the caller learns of it and decides.
        if expiry is None and raise_errors:
            return
        now = self.clock.now()
        report_expiry = False
        with self._lock:
            if expiry is not None and now >= expiry and not self._expired_reported:
                self._expired_reported = True
                report_expiry = True
        retry = self.retry_delay_ms
        # Aim the retry before expiry when there is still room, so one failure does not cost the lease.
        until_expiry = retry if expiry is None else max(0.0, expiry - now - 1)
        self._schedule(min(retry, until_expiry) if until_expiry > 0 else retry)
        # Callbacks last, so that they (and whoever waits on them) see the retry already scheduled.
        if not raise_errors:
            self._call(self.on_error, error)
        if report_expiry:
            self._call(self.on_expired)

    def _schedule(self, ms: float) -> None:
        with self._lock:
            self._next_renewal = self.clock.now() + max(0.0, ms)
        if threading.current_thread() not in self._threads:
            self._wake.set()

    # --- agreement -------------------------------------------------------------------------------

    def _watch_loop(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            with self._lock:
                after = None if self._agreement is None else self._agreement.epoch
            try:
                agreement = self.client.get_agreement(
                    self.subject,
                    after_epoch=after,
                    wait_seconds=self.wait_seconds if after is not None else None,
                    cancel=self._cancel,
                )
            except RequestCancelledError:
                return
            except Exception as error:  # noqa: BLE001 - the watcher keeps going until stopped
                if self._stopping.is_set():
                    return
                self._call(self.on_error, error)
                failures += 1
                # The client already retried and failed over; pause before asking again (real time).
                self._stopping.wait(min(30.0, 0.5 * 2 ** min(failures, 6)))
                continue
            failures = 0
            self._observe(agreement)

    def _observe(self, agreement: Agreement) -> None:
        """Keeps the newest agreement (answers can arrive out of order) and reports a move."""
        with self._lock:
            previous = self._agreement
            if previous is not None and agreement.epoch <= previous.epoch:
                if agreement.epoch == previous.epoch:
                    self._agreement = agreement  # same version, fresher details (participants, blocked)
                return
            self._agreement = agreement
            self._changed.notify_all()
        if previous is not None:
            self._call(self.on_change, agreement, previous)

    def _call(self, callback: Optional[Callable[..., Any]], *args: Any) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception as error:  # noqa: BLE001 - a callback must never kill the participant
            if callback is not self.on_error and self.on_error is not None:
                try:
                    self.on_error(error)
                    return
                except Exception:  # noqa: BLE001
                    pass
            log.exception("participant %s/%s: callback failed", self.subject, self.participant_id)


def start_participant(client: RegistryClient, *args: Any, **kwargs: Any) -> Participant:
    """Creates and starts a participant in one call."""
    participant = Participant(client, *args, **kwargs)
    participant.start()
    return participant
