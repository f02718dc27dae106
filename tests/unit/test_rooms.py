"""Each room of the code holds one kind of thing and imports only the rooms below it, so that a newcomer
can say, for any line, where it belongs and what it may import. Read from the source (no import of the
product), so a new module in the wrong room, or an import against the direction, fails here."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import dagster as dg
import pytest

ROOT = Path(__file__).resolve().parents[2]
# The rooms each room may import, besides itself (README.md, "Layout").
MAY_IMPORT = {
    "recon": set(),
    "embedded": {"recon"},
    "settings": {"embedded", "recon"},
    "clients": {"embedded", "recon"},
    "stores": {"clients", "settings", "embedded", "recon"},
    "resources": {"stores", "clients", "settings", "embedded", "recon"},
    "services": {"resources", "stores", "clients", "settings", "embedded", "recon"},
    "assets": {"resources", "stores", "clients", "settings", "embedded", "recon"},
    "pipelines": {"assets", "services", "resources", "stores", "clients", "settings", "embedded", "recon",
                  "devworld"},  # the demo world's servers, imported only by `recon demo` in a checkout
    "devworld": {"recon"},
}
DAGSTER_RESOURCES = (dg.ConfigurableResource, dg.ConfigurableIOManager, dg.ResourceDefinition)


def imported_rooms(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(MAY_IMPORT)


def modules(room: str) -> list[Path]:
    return sorted(p for p in (ROOT / room).rglob("*.py"))


@pytest.mark.parametrize("room", sorted(MAY_IMPORT))
def test_each_room_imports_only_the_rooms_below_it(room: str) -> None:
    wrong = {(p.relative_to(ROOT).as_posix(), other) for p in modules(room)
             for other in imported_rooms(p) - MAY_IMPORT[room] - {room}}
    assert wrong == set()


def test_the_rule_sees_an_import_against_the_direction(tmp_path: Path) -> None:
    """The check can fail: a store that imports a resource is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from resources.ledger import LedgerResource\nimport assets.bank\n")
    assert imported_rooms(bad) - MAY_IMPORT["stores"] == {"resources", "assets"}


def defines_a_resource(module_name: str) -> bool:
    module = importlib.import_module(module_name)
    return any(inspect.isclass(obj) and issubclass(obj, DAGSTER_RESOURCES) and obj.__module__ == module_name
               for obj in vars(module).values())


@pytest.mark.parametrize("path", [p.relative_to(ROOT).as_posix() for p in modules("resources")
                                  if p.name != "__init__.py"])
def test_every_module_in_resources_defines_a_dagster_resource(path: str) -> None:
    assert defines_a_resource(path.removesuffix(".py").replace("/", "."))


def test_a_module_without_a_resource_is_caught() -> None:
    assert not defines_a_resource("stores.identifiers")
