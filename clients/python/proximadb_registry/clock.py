"""Time, injectable wherever it matters (leases, generated ids and timestamps) so tests never sleep.

Like the TypeScript SDK's ``Clock``, ``now()`` is milliseconds since the Unix epoch. ``wait_until`` is
how background threads pause: until a deadline on this clock, or at once (True) when ``event`` is set,
so stopping never waits for a timer.
"""

import threading
import time
from typing import Optional


class Clock:
    """The system clock."""

    def now(self) -> float:
        """Milliseconds since the Unix epoch."""
        return time.time() * 1000.0

    def wait_until(self, event: threading.Event, deadline_ms: float) -> bool:
        """Waits until ``event`` is set (True) or this clock reaches ``deadline_ms`` (False)."""
        return event.wait(max(0.0, deadline_ms - self.now()) / 1000.0)


SYSTEM_CLOCK = Clock()


class ManualClock(Clock):
    """A clock tests move by hand: ``advance`` releases every ``wait_until`` whose deadline it reaches.

    Deadlines are absolute, so a thread that parks after the clock moved still sees the right time.
    """

    def __init__(self, start_ms: Optional[float] = None) -> None:
        self._now = float(start_ms if start_ms is not None else 1767225600000)  # 2026-01-01T00:00Z
        self._changed = threading.Condition()

    def now(self) -> float:
        with self._changed:
            return self._now

    def advance(self, ms: float) -> None:
        with self._changed:
            self._now += ms
            self._changed.notify_all()

    def set(self, ms: float) -> None:
        with self._changed:
            self._now = float(ms)
            self._changed.notify_all()

    def wait_until(self, event: threading.Event, deadline_ms: float) -> bool:
        with self._changed:
            while not event.is_set() and self._now < deadline_ms:
                # The event is set by other threads without touching this condition, so look again
                # now and then; what happens never depends on this period, only how soon it is seen.
                self._changed.wait(0.02)
            return event.is_set()
