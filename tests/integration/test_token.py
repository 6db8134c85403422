"""The API token: kept in the data directory (0600), the same on every run, shown and
rotated with `rasid token`; RASID_API_TOKEN still wins."""
from __future__ import annotations

import stat

import pytest

from rasid.cli.main import main
from rasid.cli.serve_cmds import server_settings


@pytest.fixture()
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("RASID_API_TOKEN", raising=False)
    monkeypatch.delenv("RASID_API_TOKEN_FILE", raising=False)
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out.strip(), out.err


def test_token_is_made_once_private_and_kept(data_home, capsys):
    path = data_home / "rasid" / "api-token"
    assert not path.exists()
    code, first, err = run(capsys, "token", "show")
    assert code == 0 and "made a new token" in err and len(first) >= 24
    assert path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert run(capsys, "token", "show")[1] == first  # not re-randomised
    assert run(capsys, "token", "show", "--path")[1] == str(path)
    settings, token_file = server_settings()  # what `rasid serve` uses, on every run
    assert settings.token == first and token_file == path
    assert server_settings()[0].token == first


def test_rotate_replaces_the_token(data_home, capsys):
    _, first, _ = run(capsys, "token", "show")
    code, second, err = run(capsys, "token", "rotate")
    assert code == 0 and second != first and "restart" in err
    path = data_home / "rasid" / "api-token"
    assert path.read_text().strip() == second and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert run(capsys, "token", "show")[1] == second
    assert server_settings()[0].token == second


def test_the_environment_overrides_the_kept_token(data_home, capsys, monkeypatch):
    monkeypatch.setenv("RASID_API_TOKEN", "from-env-token")
    code, shown, _ = run(capsys, "token", "show")
    assert code == 0 and shown == "from-env-token"
    assert server_settings()[0].token == "from-env-token"
    assert not (data_home / "rasid" / "api-token").exists()  # nothing written
    code, _, err = run(capsys, "token", "rotate")
    assert code == 2 and "RASID_API_TOKEN" in err
