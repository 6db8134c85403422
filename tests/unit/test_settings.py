"""The settings registry: one name per setting, precedence, errors, ``rasid config``."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rasid import settings as registry
from rasid.settings import SETTINGS, SettingsError, resolve_settings

ROOT = Path(__file__).resolve().parents[2]


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_names_are_the_same_everywhere():
    for name, s in SETTINGS.items():
        assert s.env == "RASID_" + name.upper()
        assert s.flag == "--" + name.replace("_", "-")
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name)
        assert s.help_text


def test_precedence_flag_over_env_over_file_over_default(tmp_path):
    cfg = write_config(tmp_path, 'port = 8100\nhost = "0.0.0.0"\nwebhook_attempts = 2\n'
                                 'db = "~/archive.db"\n')
    env = {"RASID_CONFIG": str(cfg), "RASID_PORT": "8200", "RASID_WEBHOOK_ATTEMPTS": "3"}
    c = resolve_settings({"port": "8300"}, environ=env)
    assert (c.port, c.source("port").source, c.source("port").origin) == (8300, "flag", "--port")
    assert (c.webhook_attempts, c.source("webhook_attempts").label) == (3, "env RASID_WEBHOOK_ATTEMPTS")
    assert (c.host, c.source("host").label) == ("0.0.0.0", f"config file {cfg}")
    assert c.db == str(Path("~/archive.db").expanduser())  # paths expand ~
    assert (c.monitor_interval, c.source("monitor_interval").source) == (300.0, "default")
    assert c.source("config").label == "env RASID_CONFIG"
    # the same without the flag, the env var, then the file
    assert resolve_settings(environ=env).port == 8200
    assert resolve_settings(environ={"RASID_CONFIG": str(cfg)}).port == 8100
    assert resolve_settings(environ={"XDG_CONFIG_HOME": str(tmp_path / "none")}).port == 8000


def test_default_config_file_and_data_dir_follow_xdg(tmp_path):
    (tmp_path / "cfg" / "rasid").mkdir(parents=True)
    (tmp_path / "cfg" / "rasid" / "config.toml").write_text("read_open = false\n")
    c = resolve_settings(environ={"XDG_CONFIG_HOME": str(tmp_path / "cfg"),
                                  "XDG_DATA_HOME": str(tmp_path / "data")})
    assert c.read_open is False and c.source("read_open").source == "config"
    assert c.db == str(tmp_path / "data" / "rasid" / "rasid.db")
    assert c.source("db").source == "default"


def test_a_default_derived_from_another_setting(tmp_path):
    c = resolve_settings({"shared_data": str(tmp_path)}, environ={})
    assert c.akec == str(tmp_path / "keyphrases" / "akec")
    assert resolve_settings({"akec": "/x/akec"}, environ={}).akec == "/x/akec"


@pytest.mark.parametrize("flags, env, file_text, expected", [
    ({"port": "70000"}, {}, "", r"setting port \(from flag --port\): must be between 1 and 65535"),
    ({}, {"RASID_PORT": "عشرة"}, "", r"setting port \(from env RASID_PORT\): must be a whole number"),
    ({}, {}, "port = 8000.5\n", r"setting port \(from config file .*config\.toml\): must be a whole"),
    ({}, {"RASID_READ_OPEN": "maybe"}, "", r"setting read_open \(from env RASID_READ_OPEN\): must be 1 or 0"),
    ({}, {}, "webhook_backoff = -1\n", r"setting webhook_backoff \(from config file .*\): must be at least 0"),
    ({}, {}, "monitor_interval = \"soon\"\n", r"setting monitor_interval .*must be a number"),
    ({}, {}, "prot = 8000\n", r"config file .*config\.toml: unknown setting 'prot'"),
    ({}, {}, "[serve]\nport = 1\n", r"config file .*: unknown setting 'serve'"),
    ({}, {}, "port = \n", r"config file .*config\.toml: .*line 1"),
])
def test_validation_errors_name_the_setting_and_its_source(tmp_path, flags, env, file_text, expected):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "none"), **env}
    if file_text:
        env["RASID_CONFIG"] = str(write_config(tmp_path, file_text))
    with pytest.raises(SettingsError, match=expected):
        resolve_settings(flags, environ=env)


def test_a_named_config_file_must_exist(tmp_path):
    with pytest.raises(SettingsError, match=r"setting config \(from flag --config\): .* is not a file"):
        resolve_settings({"config": str(tmp_path / "missing.toml")}, environ={})


def test_postgres_is_offered_only_when_it_works(monkeypatch):
    monkeypatch.setattr(registry, "has_postgres", lambda: False)
    assert "postgresql" not in SETTINGS["db"].help_text
    with pytest.raises(SettingsError, match=r"setting db \(from env RASID_DB\): .*`postgres` extra"):
        resolve_settings(environ={"RASID_DB": "postgresql://localhost/rasid"})
    monkeypatch.setattr(registry, "has_postgres", lambda: True)
    assert "postgresql://" in SETTINGS["db"].help_text
    assert resolve_settings(environ={"RASID_DB": "postgresql://h/r"}).db == "postgresql://h/r"


def test_secrets_have_no_flag_and_are_masked():
    c = resolve_settings(environ={"RASID_API_TOKEN": "s3cret", "RASID_API_TOKEN_FILE": ""})
    assert c.api_token == "s3cret" and not SETTINGS["api_token"].has_flag
    assert c.to_dict()["api_token"]["value"] == "***"
    assert resolve_settings({"api_token": "from-flag"}, environ={}).api_token is None


def test_api_settings_come_from_the_registry(tmp_path):
    from rasid.server import Settings

    s = Settings.from_config(resolve_settings({"read_open": "0", "max_body_bytes": "1000"},
                                              environ={"RASID_API_TOKEN": "tok"}))
    assert (s.token, s.read_open, s.max_body_bytes) == ("tok", False, 1000)
    with pytest.raises(SettingsError, match=r"setting api_token_file \(from flag --api-token-file\)"):
        Settings.from_config(resolve_settings({"api_token_file": str(tmp_path / "none")}, environ={}))


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    from rasid.cli.main import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_rasid_config_shows_values_and_sources(tmp_path, monkeypatch, capsys):
    cfg = write_config(tmp_path, 'host = "0.0.0.0"\n')
    monkeypatch.setenv("RASID_CONFIG", str(cfg))
    monkeypatch.setenv("RASID_WEBHOOK_TIMEOUT", "2.5")
    code, out, _ = run_cli(capsys, "config", "--port", "9001", "--db", str(tmp_path / "a.db"))
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert set(lines) == set(SETTINGS)
    assert "9001" in lines["port"] and lines["port"].endswith("(flag --port)")
    assert lines["host"].endswith(f"(config file {cfg})")
    assert "2.5" in lines["webhook_timeout"] and lines["webhook_timeout"].endswith("(env RASID_WEBHOOK_TIMEOUT)")
    assert lines["monitor_interval"].endswith("(default)")
    code, out, _ = run_cli(capsys, "config", "--json", "--read-open", "no")
    data = json.loads(out)
    assert data["read_open"] == {"value": False, "source": "flag", "origin": "--read-open",
                                 "env": "RASID_READ_OPEN", "flag": "--read-open"}
    assert data["host"]["source"] == "config" and data["host"]["origin"] == str(cfg)
    assert data["api_token"]["flag"] is None


def test_cli_reports_a_bad_setting_and_leaves_no_state_behind(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RASID_MONITOR_INTERVAL", "-3")
    code, _, err = run_cli(capsys, "config")
    assert code == 2
    assert "setting monitor_interval (from env RASID_MONITOR_INTERVAL): must be at least" in err
    monkeypatch.delenv("RASID_MONITOR_INTERVAL")
    db = tmp_path / "flag.db"
    assert run_cli(capsys, "stats", "--db", str(db), "--json")[0] == 0 and db.exists()
    assert registry.current_settings().db != str(db)  # the flag applied to that command only


def test_every_command_flag_comes_from_the_registry(capsys):
    from rasid.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    serve_help = sub.choices["serve"].format_help()
    for name in ("db", "config", "host", "port", "read_open", "api_token_file", "max_body_bytes"):
        assert SETTINGS[name].flag in serve_help and SETTINGS[name].env in serve_help
    monitor_help = sub.choices["monitor"].format_help()
    assert "--monitor-interval" in monitor_help and "$RASID_MONITOR_INTERVAL" in monitor_help
    assert "--api-token " not in serve_help  # a secret is never a flag


def test_no_module_outside_settings_reads_the_environment():
    """RASID_* variables are read in one place: rasid/settings.py. Setting a third-party
    variable for a child process (PySpark's SPARK_LOCAL_IP) is not reading a setting."""
    pattern = re.compile(r"os\.environ|getenv|environ\.get\(|environ\[")
    third_party_default = re.compile(r'os\.environ\.setdefault\("(?!RASID_)[A-Z_]+", ')
    offenders = []
    for path in sorted((ROOT / "src" / "rasid").rglob("*.py")):
        if path.name == "settings.py" and path.parent.name == "rasid":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line) and not third_party_default.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_every_rasid_variable_named_in_code_and_docs_is_a_setting():
    # the test harness's own variables are read by tests/ (conftest), never by rasid
    known = {s.env for s in SETTINGS.values()} | {"RASID_REQUIRE_PG"}
    files = [*sorted((ROOT / "src" / "rasid").rglob("*.py")), *sorted((ROOT / "docs").glob("*.md")),
             ROOT / "README.md"]
    unknown = set()
    for path in files:
        for var in re.findall(r"RASID_[A-Z][A-Z0-9_]*", path.read_text(encoding="utf-8")):
            if var not in known:
                unknown.add(f"{path.relative_to(ROOT)}: {var}")
    assert not unknown, sorted(unknown)


def test_docs_list_every_setting():
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for name, s in SETTINGS.items():
        assert f"`{name}`" in text and s.env in text, name


def test_the_api_reads_the_running_commands_flags(tmp_path):
    pytest.importorskip("httpx")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from rasid.server import create_app

    db = str(tmp_path / "api.db")
    config = resolve_settings({"read_open": "0", "db": db},
                              environ={"RASID_API_TOKEN": "tok-123"})
    with registry.use_settings(config):
        app = create_app(db)  # no Settings given: the registry's, with the flags above
    with TestClient(app) as client:
        assert client.get("/api/v1/stats").status_code == 401
        assert client.get("/api/v1/stats", headers={"Authorization": "Bearer tok-123"}).status_code == 200
    app.state.rasid.monitor.close()
