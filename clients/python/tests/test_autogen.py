"""Generated values: UUIDv7 and ULID layout, strict monotonicity within one millisecond and when the
clock steps back, and thread safety. (Exact values shared with the TypeScript SDK are in the corpus.)"""

import re
import threading
import unittest

from proximadb_registry import AutoGenerator, ManualClock, default_generator

UUID_V7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
NOW = 1767268800123


class AutoGeneratorTest(unittest.TestCase):
    def test_layout_and_clock(self) -> None:
        generator = AutoGenerator(clock=ManualClock(NOW))
        uuid = generator.uuidv7()
        self.assertRegex(uuid, UUID_V7)
        self.assertEqual(int(uuid.replace("-", "")[:12], 16), NOW)
        self.assertRegex(generator.ulid(), ULID)
        self.assertEqual(generator.now_micros(), NOW * 1000)
        self.assertEqual(generator.now_millis(), NOW)
        self.assertEqual(generator.generate("now_micros"), NOW * 1000)
        with self.assertRaises(ValueError):
            generator.generate("snowflake")

    def test_ids_strictly_increase_when_the_clock_stands_still_or_steps_back(self) -> None:
        clock = ManualClock(NOW)
        generator = AutoGenerator(clock=clock, random_bytes=lambda n: b"\x7f" * n)
        ids = [generator.uuidv7() for _ in range(3)]
        clock.advance(-5_000)
        ids += [generator.uuidv7() for _ in range(3)]
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(set(ids)), 6)
        self.assertTrue(all(UUID_V7.match(i) for i in ids), "counting never touches the version/variant bits")
        ulids = [generator.ulid() for _ in range(4)]
        self.assertEqual(ulids, sorted(ulids))
        self.assertEqual(len(set(ulids)), 4)

    def test_a_later_millisecond_starts_afresh(self) -> None:
        clock = ManualClock(NOW)
        generator = AutoGenerator(clock=clock, random_bytes=lambda n: bytes(range(n)))
        first = generator.uuidv7()
        clock.advance(1)
        second = generator.uuidv7()
        self.assertEqual(int(second.replace("-", "")[:12], 16), NOW + 1)
        self.assertLess(first, second)

    def test_threads_never_get_the_same_id(self) -> None:
        generator = AutoGenerator()
        ids = []
        lock = threading.Lock()

        def mint() -> None:
            mine = [generator.uuidv7() for _ in range(500)]
            with lock:
                ids.extend(mine)

        threads = [threading.Thread(target=mint) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(len(set(ids)), 2000)

    def test_one_shared_generator_per_process(self) -> None:
        self.assertIs(default_generator(), default_generator())


if __name__ == "__main__":
    unittest.main()
