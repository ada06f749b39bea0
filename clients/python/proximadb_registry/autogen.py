"""Values for fields a schema marks ``"proximadb.autogen": <kind>``, minted exactly as the TypeScript SDK
(src/avro/autogen.ts) mints them: UUIDv7 and ULID ids that are time-ordered and strictly increasing
within one generator (even when the clock stands still or steps back), and timestamps in micro- or
milliseconds since the Unix epoch.
"""

import os
import threading
import time
from typing import Any, Callable, Optional, Tuple, Union

from .clock import Clock

AUTOGEN_PROPERTY = "proximadb.autogen"
AUTOGEN_KINDS = ("uuid", "ulid", "now_micros", "now_millis")
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def is_autogen_kind(value: Any) -> bool:
    return isinstance(value, str) and value in AUTOGEN_KINDS


def autogen_primitive(kind: str) -> str:
    """Which primitive a kind produces, to check it against the field's type."""
    return "string" if kind in ("uuid", "ulid") else "long"


class _Last:
    __slots__ = ("ms", "rand")

    def __init__(self) -> None:
        self.ms = -1
        self.rand = bytearray(10)


class AutoGenerator:
    """Mints auto-generated values; keep one per process (ids stay monotonic). Thread-safe.

    ``clock``: when given, ids and timestamps come from it (milliseconds; microseconds as ms x 1000).
    ``random_bytes``: ``n -> n random bytes`` (``os.urandom`` by default; injectable for tests).
    """

    def __init__(
        self,
        clock: Optional[Clock] = None,
        random_bytes: Optional[Callable[[int], bytes]] = None,
    ) -> None:
        self._clock = clock
        self._random_bytes = random_bytes or os.urandom
        self._last_uuid = _Last()
        self._last_ulid = _Last()
        self._lock = threading.Lock()

    def generate(self, kind: str) -> Union[str, int]:
        if kind == "uuid":
            return self.uuidv7()
        if kind == "ulid":
            return self.ulid()
        if kind == "now_micros":
            return self.now_micros()
        if kind == "now_millis":
            return self.now_millis()
        raise ValueError(f"unknown {AUTOGEN_PROPERTY} kind {kind!r}")

    def now_millis(self) -> int:
        if self._clock is not None:
            return int(self._clock.now() // 1)
        return time.time_ns() // 1_000_000

    def now_micros(self) -> int:
        if self._clock is not None:
            return int((self._clock.now() * 1000) // 1)
        return time.time_ns() // 1000

    def uuidv7(self) -> str:
        """RFC 9562 UUIDv7: 48-bit ms timestamp, version 7, 74 random bits (incremented within one ms)."""
        ms, rand = self._next(self._last_uuid)
        b = bytearray(_millis48(ms) + rand)
        b[6] = 0x70 | (b[6] & 0x0F)
        b[8] = 0x80 | (b[8] & 0x3F)
        h = b.hex()
        return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def ulid(self) -> str:
        """ULID: 48-bit ms timestamp + 80 random bits, Crockford base32, 26 characters, monotonic."""
        ms, rand = self._next(self._last_ulid)
        value = int.from_bytes(_millis48(ms) + rand, "big")
        out = []
        for _ in range(26):
            out.append(_CROCKFORD[value & 31])
            value >>= 5
        return "".join(reversed(out))

    def _next(self, last: _Last) -> Tuple[int, bytes]:
        """A fresh (ms, 80 random bits) pair, or the previous pair plus one while the clock has not moved."""
        now = self.now_millis()
        with self._lock:
            if now > last.ms:
                last.ms = now
                fresh = self._random_bytes(10)
                if len(fresh) != 10:
                    raise ValueError("random_bytes(10) must return 10 bytes")
                last.rand[:] = fresh
                # UUIDv7 keeps 74 of the 80 bits; clearing the top of the counter area leaves room to count.
                last.rand[0] &= 0x0F
                last.rand[2] &= 0x3F
            else:
                _increment(last.rand)
            return last.ms, bytes(last.rand)


def _millis48(ms: int) -> bytes:
    return (ms % (1 << 48)).to_bytes(6, "big")


def _increment(rand: bytearray) -> None:
    """Adds one, skipping the UUID version/variant bits (high nibble of byte 0, two high bits of byte 2)."""
    for i in range(len(rand) - 1, -1, -1):
        limit = 0x0F if i == 0 else 0x3F if i == 2 else 0xFF
        if rand[i] < limit:
            rand[i] += 1
            return
        rand[i] = 0


_shared: Optional[AutoGenerator] = None
_shared_lock = threading.Lock()


def default_generator() -> AutoGenerator:
    """One process-wide generator, so ids minted by separate calls stay monotonic."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = AutoGenerator()
        return _shared
