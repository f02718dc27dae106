"""Where bank statement files arrive: a source (a local folder today; an object store would implement the
same calls), refused when it is unset, the filesystem root or a project checkout, never the working
directory. Reading and moving files only: what each file means is decided in stores/statement_files.py."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from embedded.postgres import PROJECT_ROOT
from recon.sources import NotConfigured

QUARANTINE_DIR = "quarantine"
_SKIPPED_SUFFIXES = (".partial", ".tmp", ".part", ".reason.txt")
_CHECKOUT_MARKERS = (".git", "pyproject.toml")


class StatementSourceUnavailable(RuntimeError):
    """The statement source cannot be read: its verdicts are unknown, and nothing is written."""

    state = "unavailable"


class DropFolderNotConfigured(StatementSourceUnavailable, NotConfigured):
    state = "not_configured"


class DropFolderRefused(StatementSourceUnavailable):
    state = "refused"


class DropFolderUnreachable(StatementSourceUnavailable):
    state = "unreachable"


class StatementSource(Protocol):
    """Where files arrive. A local folder today; an object store implements the same calls."""

    name: str

    def list(self) -> list[str]: ...

    def local_path(self, file_name: str) -> AbstractContextManager[Path]: ...

    def exists(self, file_name: str) -> bool: ...

    def quarantine(self, file_name: str, reason: str) -> str: ...


def resolve_drop_folder(setting: str | Path | None, base: Path | None = None) -> Path:
    """The folder a setting names, absolute and real; empty or missing is "not configured".

    A relative setting resolves against `base`: the caller's working directory for a command-line
    flag, the project folder (where `.env` names the variables) for the resource's setting.
    """
    text = "" if setting is None else str(setting).strip()
    if not text:
        raise DropFolderNotConfigured(
            "The statement drop folder is not configured (RECON_STATEMENTS_DIR is empty): "
            "bank verdicts are unknown until it names the folder the bank delivers to.")
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = (base or PROJECT_ROOT) / path
    return Path(os.path.realpath(path))


def refusal(root: Path) -> str | None:
    """Why `root` must never be treated as a drop folder, in one sentence (None: it may)."""
    if root == Path(root.anchor):
        return (f"Refusing {root} as the statement drop folder: it is the filesystem root; "
                "set RECON_STATEMENTS_DIR to the folder the bank delivers to.")
    if not root.is_dir():
        return None
    holders = [root, *sorted(c for c in _subfolders(root))]
    for folder in holders:
        for marker in _CHECKOUT_MARKERS:
            if (folder / marker).exists():
                what = "is" if folder == root else f"contains ({folder.name}/)"
                return (f"Refusing {root} as the statement drop folder: it {what} a project "
                        f"checkout (it holds {marker}), whose files must never be read or moved "
                        "as bank statements; set RECON_STATEMENTS_DIR to the folder the bank "
                        "delivers to.")
    return None


def _subfolders(root: Path) -> Iterator[Path]:
    try:
        for c in root.iterdir():
            if c.is_dir() and not c.is_symlink():
                yield c
    except OSError:
        return


def _inside(path: Path, root: Path) -> bool:
    real = Path(os.path.realpath(path))
    return real.parent == root or root in real.parents


class LocalFolderSource:
    """A local folder, identified by its real absolute path (never by how a setting spells it)."""

    def __init__(self, root: str | Path, base: Path | None = None) -> None:
        self.root = resolve_drop_folder(root, base)
        reason = refusal(self.root)
        if reason:
            raise DropFolderRefused(reason)
        self.name = source_name(self.root)
        self.links_out: dict[str, str] = {}
        self._listed: set[str] = set()

    def list(self) -> list[str]:
        """Files in arrival order (mtime, then name): the first of two copies is the original.

        Hidden and half-written files (.partial, .tmp) are not files yet. A symbolic link that
        leads outside the folder is never read: it is reported in `links_out`.
        """
        if not self.root.is_dir():
            raise DropFolderUnreachable(
                f"The statement drop folder {self.root} does not exist or is not a folder: "
                "bank verdicts are unknown until it is there.")
        reason = refusal(self.root)
        if reason:
            raise DropFolderRefused(reason)
        found, self.links_out = [], {}
        for p in self.root.iterdir():
            if p.name.startswith(".") or p.name.endswith(_SKIPPED_SUFFIXES):
                continue
            if p.is_symlink() and not _inside(p, self.root):
                self.links_out[p.name] = os.path.realpath(p)
            elif p.is_file():
                found.append(p)
        names = [p.name for p in sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))]
        self._listed |= set(names)
        return names

    @contextmanager
    def local_path(self, file_name: str) -> Iterator[Path]:
        yield self._own(file_name)

    def exists(self, file_name: str) -> bool:
        path = self.root / file_name
        return "/" not in file_name and path.is_file() and _inside(path, self.root)

    def quarantine(self, file_name: str, reason: str) -> str:
        """Move a file this source listed into quarantine/ (never delete it), reason beside it."""
        if file_name not in self._listed:
            raise OSError(f"{file_name} was not listed from {self.root}; only listed files move")
        source = self._own(file_name)
        target_dir = self.root / QUARANTINE_DIR
        if target_dir.is_symlink() or (target_dir.exists() and not target_dir.is_dir()):
            raise OSError(f"{target_dir} is not a plain folder inside the drop folder")
        target_dir.mkdir(exist_ok=True)
        target = target_dir / file_name
        n = 1
        while target.exists():
            target, n = target_dir / f"{file_name}.{n}", n + 1
        shutil.move(str(source), target)
        target.with_name(target.name + ".reason.txt").write_text(reason + "\n")
        return str(target)

    def _own(self, file_name: str) -> Path:
        path = self.root / file_name
        if "/" in file_name or file_name in ("", ".", "..") or not _inside(path, self.root):
            raise OSError(f"{file_name!r} is not a file inside {self.root}")
        return path


def source_name(root: Path) -> str:
    return f"drop_folder:{root}"
