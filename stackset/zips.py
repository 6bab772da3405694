"""Reproducible zips: the same files give the same bytes, hence the same content-hash key.

A zip records each entry's modification time, and a folder lists its files in no guaranteed order:
both vary between two builds of the same code. Entries here are sorted by path and dated 1980-01-01
(the zip format's earliest date, which `sam package` also writes), and their permissions are reduced to
readable or executable. The layer's byte code is hash-based and unchecked (layers/autoscaler/Makefile),
so the fixed date does not make Python recompile it in Lambda.
"""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from pathlib import Path

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_UNIX = 3  # ZipInfo.create_system: the external attributes hold Unix permissions


def _entry(relative: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(relative, date_time=ZIP_DATE)
    info.create_system = _UNIX
    permissions = 0o755 if mode & stat.S_IXUSR else 0o644
    info.external_attr = (stat.S_IFREG | permissions) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def deterministic_zip(folder: Path) -> bytes:
    """Every file under folder (symbolic links followed), in path order, with fixed dates."""
    files = sorted((path for path in folder.rglob("*") if path.is_file()), key=lambda p: p.as_posix())
    if not files:
        raise ValueError(f"{folder} holds no file to zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in files:
            relative = path.relative_to(folder).as_posix()
            archive.writestr(_entry(relative, path.stat().st_mode), path.read_bytes(), compresslevel=9)
    return buffer.getvalue()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
