"""The real registry for the tests: ``node --import tsx src/index.ts`` (what ``npm start`` runs) on an
ephemeral loopback port with a fresh database in a temporary directory. The bound URL is read from the
registry's start-up log line."""

import json
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Callable, Dict, List, Optional

REPO_ROOT = Path(__file__).resolve().parents[3]
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO_ROOT / "test" / "fixtures" / "sdk-corpus"
START_TIMEOUT = 120.0  # generous: a loaded 2-core machine can take a while to start Node


class RegistryProcess:
    """``registry = RegistryProcess()`` at module level, then ``setUpModule = registry.start`` and
    ``tearDownModule = registry.stop``. ``prepare(directory)`` may write files into the registry's
    temporary directory and returns extra environment variables (e.g. ``AUTH_FILE``)."""

    def __init__(self, prepare: Optional[Callable[[str], Dict[str, str]]] = None) -> None:
        self.prepare = prepare
        self.directory = ""
        self.lines: List[str] = []
        self.url = ""
        self._found = threading.Event()
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> "RegistryProcess":
        self.directory = tempfile.mkdtemp(prefix="proximadb-py-")
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", self.directory),
            "PORT": "0",
            "HOST": "127.0.0.1",
            "DATABASE_PATH": os.path.join(self.directory, "registry.db"),
            "LOG_LEVEL": "info",
        }
        if self.prepare is not None:
            env.update(self.prepare(self.directory))
        self.process = subprocess.Popen(
            ["node", "--import", "tsx", str(REPO_ROOT / "src" / "index.ts")],
            cwd=str(REPO_ROOT),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        # Drain the log for the whole run so the pipe never fills, noting the listening line.
        threading.Thread(target=self._drain, name="registry-log", daemon=True).start()
        if not self._found.wait(START_TIMEOUT) or not self.url:
            self.stop()
            raise RuntimeError("the registry did not start:\n" + "".join(self.lines[-30:]))
        return self

    def _drain(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode("utf-8", "replace")
            self.lines.append(line)
            if not self.url:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if isinstance(entry, dict) and "listening on" in str(entry.get("msg", "")) and entry.get("url"):
                    self.url = str(entry["url"])
                    self._found.set()
        self._found.set()  # exited: stop waiting

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # graceful: drains, closes the database
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)
