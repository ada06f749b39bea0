"""The package installs with pip and nothing else (in-tree standard-library build backend), stays in
Python 3.9 syntax, and stays in step with the TypeScript side (error table, VECTOR_RECORD_SCHEMA)."""

import ast
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import unittest
import zipfile
from pathlib import Path
from typing import List

from proximadb_registry import VECTOR_RECORD_SCHEMA
from proximadb_registry.errors import ERROR_TABLE

from .registry_process import PACKAGE_ROOT, REPO_ROOT

sys.path.insert(0, str(PACKAGE_ROOT / "_build"))
import proximadb_build  # noqa: E402


def python_files() -> List[Path]:
    files = sorted((PACKAGE_ROOT / "proximadb_registry").glob("*.py"))
    files += sorted((PACKAGE_ROOT / "tests").glob("*.py"))
    files += [PACKAGE_ROOT / "_build" / "proximadb_build.py", PACKAGE_ROOT / "proximadb_schema.py"]
    return files


class InstallTest(unittest.TestCase):
    def test_pip_installs_the_package_and_the_generated_module_without_an_index(self) -> None:
        with tempfile.TemporaryDirectory() as target:
            done = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--no-index", "--no-cache-dir", "--quiet",
                 "--disable-pip-version-check", "--target", target, str(PACKAGE_ROOT)],
                capture_output=True, text=True, timeout=300,
            )
            self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
            probe = (
                "import json, proximadb_registry as p, proximadb_schema as s;"
                "print(json.dumps([p.__file__, s.__file__, p.__version__, sorted(p.create_vector_record([1.5]))]))"
            )
            env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": target}
            out = subprocess.run([sys.executable, "-c", probe], cwd=target, env=env, capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stderr)
            package_file, module_file, version, fields = json.loads(out.stdout)
            self.assertTrue(package_file.startswith(target), package_file)
            self.assertTrue(module_file.startswith(target), module_file)
            self.assertEqual(version, proximadb_build.read_pyproject()["project"]["version"])
            self.assertEqual(fields, ["expires_at", "id", "metadata", "timestamp", "vector"])

    def test_the_wheel_and_sdist_hold_what_they_should(self) -> None:
        with tempfile.TemporaryDirectory() as out:
            wheel = zipfile.ZipFile(os.path.join(out, proximadb_build.build_wheel(out)))
            names = wheel.namelist()
            self.assertIn("proximadb_schema.py", names)
            self.assertIn("proximadb_registry/participant.py", names)
            self.assertIn("proximadb_registry/py.typed", names)
            self.assertFalse([n for n in names if "__pycache__" in n or n.startswith("tests/")])
            metadata = wheel.read("proximadb_registry_client-0.1.0.dist-info/METADATA").decode()
            self.assertIn("Requires-Python: >=3.9", metadata)
            sdist = tarfile.open(os.path.join(out, proximadb_build.build_sdist(out)))
            members = {m.name.split("/", 1)[1] for m in sdist.getmembers()}
            self.assertTrue({"pyproject.toml", "README.md", "_build/proximadb_build.py", "PKG-INFO",
                             "proximadb_schema.py", "proximadb_registry/client.py"} <= members)

    def test_the_fallback_toml_reader_reads_pyproject(self) -> None:
        """Python 3.9 and 3.10 have no tomllib: the backend's own reader must read pyproject.toml right."""
        text = (PACKAGE_ROOT / "pyproject.toml").read_text(encoding="utf-8")
        data = proximadb_build._read_simple_toml(text)
        self.assertEqual(
            data["build-system"], {"requires": [], "build-backend": "proximadb_build", "backend-path": ["_build"]}
        )
        self.assertEqual(data["project"]["requires-python"], ">=3.9")
        self.assertEqual(
            data["tool"]["proximadb-build"], {"packages": ["proximadb_registry"], "modules": ["proximadb_schema"]}
        )
        try:
            import tomllib
        except ImportError:  # Python < 3.11: the checks above are the whole test
            return
        self.assertEqual(data, tomllib.loads(text))


class Python39Test(unittest.TestCase):
    """The package must import on Python 3.9: no 3.10+ syntax, no `X | Y` types evaluated at run time."""

    def test_every_file_parses_as_python_3_9(self) -> None:
        for path in python_files():
            with self.subTest(path.name):
                ast.parse(path.read_text(encoding="utf-8"), str(path), feature_version=(3, 9))

    def test_no_union_operator_on_types(self) -> None:
        offenders = []
        for path in python_files():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            annotations = []
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    args = node.args.args + node.args.kwonlyargs + node.args.posonlyargs
                    annotations += [a.annotation for a in args if a.annotation] + [node.returns]
                elif isinstance(node, ast.AnnAssign):
                    annotations.append(node.annotation)
                elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("isinstance", "issubclass"):
                    annotations += node.args[1:]
            for annotation in annotations:
                if annotation is None:
                    continue
                for inner in ast.walk(annotation):
                    if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.BitOr):
                        offenders.append(f"{path.name}:{inner.lineno}")
        self.assertEqual(offenders, [])

    def test_no_match_statement_or_3_10_only_calls(self) -> None:
        for path in python_files():
            text = path.read_text(encoding="utf-8")
            with self.subTest(path.name):
                self.assertIsNone(re.search(r"zip\([^)]*strict=|\bkw_only=|\bslots=True", text))


class InStepWithTypeScriptTest(unittest.TestCase):
    def test_the_error_table_mirrors_src_errors_ts(self) -> None:
        source = (REPO_ROOT / "src" / "errors.ts").read_text(encoding="utf-8")
        table = {
            name: (int(status), int(code))
            for name, status, code in re.findall(r"(\w+): \{ status: (\d+), errorCode: (\d+)", source)
        }
        self.assertGreater(len(table), 30)
        self.assertEqual(ERROR_TABLE, table)

    def test_vector_record_schema_is_the_same_text_as_the_typescript_sdks(self) -> None:
        script = (
            "import { VECTOR_RECORD_SCHEMA } from './src/sdk/lean-records.ts';"
            "process.stdout.write(VECTOR_RECORD_SCHEMA);"
        )
        done = subprocess.run(
            ["node", "--import", "tsx", "--input-type=module", "-e", script],
            cwd=str(REPO_ROOT), capture_output=True, text=True, timeout=300,
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(VECTOR_RECORD_SCHEMA, done.stdout, "same text, so the same registered id")


if __name__ == "__main__":
    unittest.main()
