"""The house rules on where code lives, checked on the source (issue 10):

* the CLI, REST API and web UI (`rasid.cli`, `rasid.api`, `rasid.web`) are shells over
  `rasid.monitor.Monitor`: no ``.store`` / ``store.`` access, no import of `rasid.store`
  (its exceptions reach them re-exported by `rasid.monitor`), no import of another shell.
  The HTTP host both HTTP shells share (`rasid.server`: the app, request context, errors,
  tokens) keeps off the archive too, and is what `rasid serve` imports;
* every line of SQL lives in `rasid.store`: no ``execute(`` and no ``.con`` elsewhere.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "rasid"
SHELLS = ("cli", "api", "web")
HOST = "server"  # mounts the api and web routers: it may import them, and must not touch the archive

STORE_ACCESS = re.compile(r"\.store\b|\bstore\.")
SQL_CALL = re.compile(r"execute\(|\.con\b")


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def list_modules(*packages: str) -> list[Path]:
    roots = [SRC / p for p in packages] if packages else [SRC]
    return sorted(p for root in roots for p in root.rglob("*.py"))


def code_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of the code, with comments and string literals (docstrings
    included) blanked out, so that prose may say "store." freely."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for n in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                line = lines[n - 1]
                start = node.col_offset if n == node.lineno else 0
                end = node.end_col_offset if n == node.end_lineno else len(line)
                lines[n - 1] = line[:start] + " " * (end - start) + line[end:]
    return [(i, line.split("#", 1)[0]) for i, line in enumerate(lines, 1)]


def list_imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in `path` (names imported with
    ``from X import name`` count as ``X.name``, so submodules are seen)."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.extend((node.lineno, f"{target}.{a.name}") for a in node.names)
    return out


def is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def find_shell_violations(path: Path) -> list[str]:
    module = module_name(path)
    shell = module.split(".")[1]
    out = [f"{path.name}:{n}: reaches the archive: {line.strip()}"
           for n, line in code_lines(path)
           if STORE_ACCESS.search(line) and not line.lstrip().startswith(("from ", "import "))]
    for n, name in list_imports(path):
        if is_under(name, "rasid.store"):
            out.append(f"{path.name}:{n}: imports {name} (use what rasid.monitor exports)")
        for other in SHELLS:
            if shell in SHELLS and other != shell and is_under(name, f"rasid.{other}"):
                out.append(f"{path.name}:{n}: shell {shell} imports shell {other}: {name}")
    return out


@pytest.mark.parametrize("path", list_modules(*SHELLS, HOST), ids=lambda p: module_name(p))
def test_shells_call_monitor_only(path: Path) -> None:
    assert find_shell_violations(path) == []


@pytest.mark.parametrize("path", [p for p in list_modules() if "store" not in p.relative_to(SRC).parts[:1]],
                         ids=lambda p: module_name(p))
def test_sql_lives_in_store(path: Path) -> None:
    found = [f"{path.name}:{n}: {line.strip()}" for n, line in code_lines(path) if SQL_CALL.search(line)]
    assert found == []


def test_checks_catch_what_they_forbid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks fail on the mistakes they exist for (run on a shell module written here)."""
    shell = tmp_path / "rasid" / "web"
    shell.mkdir(parents=True)
    bad = shell / "bad.py"
    bad.write_text('"""Uses store. in prose only."""\n'
                   "from ..store.copy import ArchiveNotEmpty\n"
                   "from ..cli import main\n"
                   "from rasid.api.live import router\n"
                   "def f(monitor):\n"
                   "    rows = monitor.store.list_watches()  # store. in a comment\n"
                   "    return getattr(monitor.store, 'con', None)\n", encoding="utf-8")
    monkeypatch.setitem(globals(), "SRC", tmp_path / "rasid")
    found = find_shell_violations(bad)
    assert [f.split(":")[1] for f in found] == ["6", "7", "2", "3", "4"]
    assert "imports rasid.store.copy.ArchiveNotEmpty" in found[2]
    assert "shell web imports shell cli" in found[3]
    assert "shell web imports shell api" in found[4]
    sql = tmp_path / "rasid" / "x.py"
    sql.write_text("def g(db):\n    return db.con.execute('SELECT 1')\n", encoding="utf-8")
    assert [n for n, line in code_lines(sql) if SQL_CALL.search(line)] == [2]
