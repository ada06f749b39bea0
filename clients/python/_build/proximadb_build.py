"""A PEP 517 / PEP 660 build backend in the standard library alone.

The client has no dependencies, and neither does building it: this writes the wheel (a zip with the
package, the generated constants module and a ``.dist-info``), the sdist (a tar.gz of the sources) and
the editable wheel (a ``.pth`` pointing at this directory). Metadata comes from ``pyproject.toml``; on
Python < 3.11 (no ``tomllib``) a reader for the simple ``key = value`` lines used here stands in.
"""

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile
from typing import Any, Dict, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WHEEL_TAG = "py3-none-any"
_FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # reproducible archives


def read_pyproject(path: Optional[str] = None) -> Dict[str, Any]:
    with open(path or os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        data = f.read()
    try:
        import tomllib  # type: ignore[import-not-found]
    except ImportError:
        return _read_simple_toml(data.decode("utf-8"))
    return tomllib.loads(data.decode("utf-8"))


def _read_simple_toml(text: str) -> Dict[str, Any]:
    """Tables, and ``key = "string"`` / ``key = ["a", "b"]`` / ``key = []`` lines: what pyproject.toml uses."""
    out: Dict[str, Any] = {}
    table = out
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = re.fullmatch(r"\[([A-Za-z0-9_.-]+)\]", line)
        if header:
            table = out
            for part in header.group(1).split("."):
                table = table.setdefault(part, {})
            continue
        match = re.fullmatch(r'([A-Za-z0-9_-]+)\s*=\s*(".*"|\[.*\])', line)
        if not match:
            raise ValueError(f"pyproject.toml: cannot read {line!r} without tomllib")
        key, value = match.groups()
        if value.startswith("["):
            table[key] = re.findall(r'"((?:[^"\\]|\\.)*)"', value)
        else:
            table[key] = value[1:-1]
    return out


def _project() -> Dict[str, Any]:
    return read_pyproject()["project"]


def _layout() -> Tuple[List[str], List[str]]:
    tool = read_pyproject().get("tool", {}).get("proximadb-build", {})
    return list(tool.get("packages", [])), list(tool.get("modules", []))


def _dist_name() -> str:
    return re.sub(r"[-_.]+", "_", _project()["name"]).lower()


def _metadata() -> str:
    project = _project()
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project.get('description', '')}",
        f"Requires-Python: {project.get('requires-python', '>=3')}",
    ]
    if "license" in project:
        lines.append(f"License: {project['license']}")
    readme = project.get("readme")
    body = ""
    if readme:
        with open(os.path.join(ROOT, readme), encoding="utf-8") as f:
            body = f.read()
        lines.append("Description-Content-Type: text/markdown")
    return "\n".join(lines) + "\n\n" + body


def _sources() -> List[Tuple[str, str]]:
    """(archive path, file path) of every file the wheel installs."""
    packages, modules = _layout()
    files = []
    for package in packages:
        base = os.path.join(ROOT, package)
        for directory, dirs, names in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                if name.endswith((".py", ".typed")):
                    full = os.path.join(directory, name)
                    files.append((os.path.relpath(full, ROOT).replace(os.sep, "/"), full))
    for module in modules:
        files.append((f"{module}.py", os.path.join(ROOT, f"{module}.py")))
    return files


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(directory: str, entries: List[Tuple[str, bytes]]) -> str:
    name = _dist_name()
    version = _project()["version"]
    info = f"{name}-{version}.dist-info"
    packages, modules = _layout()
    entries = entries + [
        (f"{info}/METADATA", _metadata().encode("utf-8")),
        (
            f"{info}/WHEEL",
            f"Wheel-Version: 1.0\nGenerator: proximadb_build\nRoot-Is-Purelib: true\nTag: {WHEEL_TAG}\n".encode(),
        ),
        (f"{info}/top_level.txt", ("\n".join(packages + modules) + "\n").encode()),
    ]
    record = [_record_line(path, data) for path, data in entries] + [f"{info}/RECORD,,"]
    entries.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    filename = f"{name}-{version}-{WHEEL_TAG}.whl"
    with zipfile.ZipFile(os.path.join(directory, filename), "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in entries:
            info_entry = zipfile.ZipInfo(path, _FIXED_TIME)
            info_entry.external_attr = 0o644 << 16
            info_entry.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info_entry, data)
    return filename


def build_wheel(wheel_directory: str, config_settings: Any = None, metadata_directory: Any = None) -> str:
    entries = []
    for archive_path, full in _sources():
        with open(full, "rb") as f:
            entries.append((archive_path, f.read()))
    return _write_wheel(wheel_directory, entries)


def build_editable(wheel_directory: str, config_settings: Any = None, metadata_directory: Any = None) -> str:
    """PEP 660: a wheel holding only a .pth that puts this directory on sys.path."""
    return _write_wheel(wheel_directory, [(f"{_dist_name()}.pth", (ROOT + "\n").encode("utf-8"))])


def build_sdist(sdist_directory: str, config_settings: Any = None) -> str:
    name = _dist_name()
    version = _project()["version"]
    top = f"{name}-{version}"
    files = [("pyproject.toml", os.path.join(ROOT, "pyproject.toml"))]
    readme = _project().get("readme")
    if readme:
        files.append((readme, os.path.join(ROOT, readme)))
    files.append(("_build/proximadb_build.py", os.path.abspath(__file__)))
    files.extend(_sources())
    filename = f"{top}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz", format=tarfile.PAX_FORMAT) as archive:
        for archive_path, full in files + [("PKG-INFO", None)]:
            if full is None:
                data = _metadata().encode("utf-8")
            else:
                with open(full, "rb") as f:
                    data = f.read()
            member = tarfile.TarInfo(f"{top}/{archive_path}")
            member.size = len(data)
            member.mode = 0o644
            member.mtime = 1767225600
            archive.addfile(member, io.BytesIO(data))
    return filename


def get_requires_for_build_wheel(config_settings: Any = None) -> List[str]:
    return []


def get_requires_for_build_sdist(config_settings: Any = None) -> List[str]:
    return []


def get_requires_for_build_editable(config_settings: Any = None) -> List[str]:
    return []
