"""The README's worked rollout runs as written against a fresh registry (what `npm start` runs, on an
ephemeral port), prints exactly the output the README shows, and runs again on the same registry."""

import os
import re
import subprocess
import sys
import unittest

from .registry_process import PACKAGE_ROOT, RegistryProcess


def readme_block(marker: str, language: str) -> str:
    text = (PACKAGE_ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker} -->\n```{language}\n(.*?)```", text, re.S)
    if match is None:
        raise AssertionError(f"README.md has no {language} block after <!-- {marker} -->")
    return match.group(1)


class ReadmeExampleTest(unittest.TestCase):
    def test_the_rollout_example_runs_as_written_twice(self) -> None:
        code = readme_block("rollout-example", "python")
        expected = readme_block("rollout-output", "text")
        registry = RegistryProcess().start()
        self.addCleanup(registry.stop)
        env = dict(os.environ, PROXIMADB_REGISTRY_URL=registry.url, PYTHONPATH=str(PACKAGE_ROOT))
        for run in (1, 2):
            with self.subTest(run=run):
                done = subprocess.run(
                    [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
                )
                self.assertEqual(done.returncode, 0, done.stderr)
                self.assertEqual(done.stdout, expected)
                self.assertEqual(done.stderr, "")


if __name__ == "__main__":
    unittest.main()
