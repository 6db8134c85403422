"""Every setting of rasid, in one registry.

A setting has one name, used everywhere: the config-file key (``port = 9000``), the
environment variable (``RASID_PORT``) and the command-line flag (``--port``; dashes for
underscores). Precedence: flag > environment > config file > default.

The config file is TOML with the settings as top-level keys. It is ``--config PATH``, else
``$RASID_CONFIG``, else ``$XDG_CONFIG_HOME/rasid/config.toml`` (``~/.config/rasid/...``)
when that file exists.

* `resolve_settings(flags, environ)` -> `Config`: every effective value and where it came
  from; bad values raise `SettingsError` naming the setting and its source.
* `current_settings()`: the `Config` the running command installed with `use_settings`
  (the CLI does, so library code sees its flags), else one read from the environment and
  the config file.
* `add_flags(parser, names)`: argparse options built from the registry.

This module is the only one that reads ``RASID_*`` environment variables.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

ENV_PREFIX = "RASID_"
TRUE_WORDS = frozenset({"1", "true", "yes", "on", "open"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", "closed"})


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the setting and its source."""


# -- value types ------------------------------------------------------------------------------
def convert_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"must be 1 or 0 (true/false), not {value!r}")


def convert_int(value: Any) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError(f"must be a whole number, not {value!r}")
    try:
        return int(str(value).strip()) if not isinstance(value, (int, float)) else int(value)
    except ValueError:
        raise ValueError(f"must be a whole number, not {value!r}") from None


def convert_float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"must be a number, not {value!r}") from None


def convert_str(value: Any) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValueError(f"must be a string, not {value!r}")
    return str(value).strip()


def convert_path(value: Any) -> str:
    text = convert_str(value)
    return os.path.expanduser(text) if text else text


def check_range(low: float | None = None, high: float | None = None) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = (f"between {low} and {high}" if low is not None and high is not None
                      else f"at least {low}" if low is not None else f"at most {high}")
            raise ValueError(f"must be {bounds}, not {value}")

    return check


# -- the archive location ---------------------------------------------------------------------
def has_postgres() -> bool:
    """Whether a ``postgresql://`` archive can be opened: the store module and psycopg."""
    return (importlib.util.find_spec("psycopg") is not None
            and (Path(__file__).parent / "store" / "postgres.py").exists())


def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The data directory: ``$XDG_DATA_HOME/rasid``, else ``~/.local/share/rasid`` (the
    default archive and the API token live there)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "rasid"


def default_db_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME/rasid/rasid.db``, else ``~/.local/share/rasid/rasid.db``."""
    return default_data_dir(environ) / "rasid.db"


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/rasid/config.toml``, else ``~/.config/rasid/config.toml``."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "rasid" / "config.toml"


def check_db(value: str) -> None:
    if value.startswith(("postgres://", "postgresql://")) and not has_postgres():
        raise ValueError("a postgresql:// archive needs the PostgreSQL store and psycopg "
                         "(the `postgres` extra), which this installation lacks")
    if not value:
        raise ValueError("is empty")


def describe_db() -> str:
    text = "the archive: a SQLite file path, sqlite:///path or :memory:"
    if has_postgres():
        text += ", or a postgresql:// URL"
    return text + "; default $XDG_DATA_HOME/rasid/rasid.db or ~/.local/share/rasid/rasid.db"


# -- the registry -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Setting:
    """One setting. `default` may be a callable of the environment and the values of the
    settings registered before this one (``default(environ, values)``)."""

    name: str
    convert: Callable[[Any], Any]
    default: Any
    help: str | Callable[[], str]
    check: Callable[[Any], None] | None = None
    #: False for secrets: a command line is visible to other users of the machine
    has_flag: bool = True
    secret: bool = False
    metavar: str | None = None

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def help_text(self) -> str:
        return self.help() if callable(self.help) else self.help

    def default_value(self, environ: Mapping[str, str], values: Mapping[str, Any]) -> Any:
        return self.default(environ, values) if callable(self.default) else self.default

    def parse(self, raw: Any, source: str) -> Any:
        """`raw` converted and checked; a `SettingsError` names the setting and `source`."""
        try:
            value = self.convert(raw)
            if self.check is not None and value is not None:
                self.check(value)
        except ValueError as exc:
            raise SettingsError(f"setting {self.name} (from {source}): {exc}") from None
        return value


SETTINGS: dict[str, Setting] = {}


def register_setting(setting: Setting) -> Setting:
    if setting.name in SETTINGS:
        raise ValueError(f"setting {setting.name!r} is registered twice")
    SETTINGS[setting.name] = setting
    return setting


def _default_shared(environ: Mapping[str, str], values: Mapping[str, Any]) -> str:
    """``shared/data`` beside the source checkout (``<checkout>/../shared/data``)."""
    return str(Path(__file__).resolve().parents[3] / "shared" / "data")


def _default_akec(environ: Mapping[str, str], values: Mapping[str, Any]) -> str:
    return str(Path(values["shared_data"]) / "keyphrases" / "akec")


register_setting(Setting("config", convert_path, lambda env, values: str(default_config_path(env)),
                         "TOML file with settings as top-level keys; default "
                         "$XDG_CONFIG_HOME/rasid/config.toml or ~/.config/rasid/config.toml, "
                         "used when it exists",
                         metavar="PATH"))
register_setting(Setting("db", convert_path, lambda env, values: str(default_db_path(env)), describe_db,
                         check=check_db, metavar="PATH"))
register_setting(Setting("host", convert_str, "127.0.0.1",
                         "address `rasid serve` binds (127.0.0.1: this machine only)"))
register_setting(Setting("port", convert_int, 8000, "port `rasid serve` listens on",
                         check=check_range(1, 65535)))
register_setting(Setting("api_token", convert_str, None,
                         "the bearer token that writing through the API needs (environment or "
                         "config file only; with none, the one kept in the data directory: "
                         "`rasid token show`)",
                         has_flag=False, secret=True))
register_setting(Setting("api_token_file", convert_path, None,
                         "a file holding the API token (used when api_token is unset)",
                         metavar="PATH"))
register_setting(Setting("read_open", convert_bool, True,
                         "1: anyone who reaches the server can read; 0: reading needs the token",
                         metavar="1|0"))
register_setting(Setting("max_body_bytes", convert_int, 20 * 1024 * 1024,
                         "largest API request body accepted, in bytes (413 above it)",
                         check=check_range(1), metavar="N"))
register_setting(Setting("monitor_interval", convert_float, 300.0,
                         "seconds between polls of each feed by `rasid monitor`",
                         check=check_range(0.01), metavar="SECONDS"))
register_setting(Setting("webhook_attempts", convert_int, 4,
                         "webhook tries per alert and run", check=check_range(1), metavar="N"))
register_setting(Setting("webhook_backoff", convert_float, 1.0,
                         "base delay between webhook tries, doubled each time (seconds)",
                         check=check_range(0), metavar="SECONDS"))
register_setting(Setting("webhook_timeout", convert_float, 10.0,
                         "seconds a webhook request may take", check=check_range(0.01),
                         metavar="SECONDS"))
register_setting(Setting("allow_private_hosts", convert_str, "",
                         "comma-separated host names or addresses that feeds and webhooks may "
                         "reach although they are private or loopback (off by default: see "
                         "docs/limits.md)", has_flag=False, metavar="HOSTS"))
def limit_blas_threads() -> None:
    """One BLAS thread per process unless ``OPENBLAS_NUM_THREADS`` says otherwise (called by
    ``import rasid``, before numpy loads). rasid's matrices are small (a batch of sentences by
    a few hundred units): BLAS threads only spin and contend with each other and with the
    `workers` processes that use every core. One thread tags 3-4x faster on a busy 2-core
    machine (docs/speed.md)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def count_cores() -> int:
    """The cores this process may run on (the default of the ``workers`` setting)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


register_setting(Setting("workers", convert_int, lambda env, values: count_cores(),
                         "processes that analyse articles in `rasid ingest`, `rasid start` and "
                         "feed polling (`rasid monitor`); one writer stores them; default: the "
                         "number of cores", check=check_range(1, 256), metavar="N"))
register_setting(Setting("ner_batch_articles", convert_int, 8,
                         "articles analysed together, stage by stage, in `rasid ingest` and each "
                         "of its workers: the ner stage tags all their sentences in one batch "
                         "(docs/speed.md, \"Batched NER across articles\"; 8, not 16: as fast, "
                         "and each worker keeps ~15 MB less, \"Memory after batched NER\")",
                         check=check_range(1, 1024), metavar="N"))
register_setting(Setting("strict_stages", convert_bool, False,
                         "check after every pipeline stage that it changed only the layers it "
                         "declares (slower; the tests turn it on)", metavar="1|0"))
register_setting(Setting("shared_data", convert_path, _default_shared,
                         "the shared data folder that training, evaluation and the gazetteer "
                         "build read", metavar="DIR"))
register_setting(Setting("akec", convert_path, _default_akec,
                         "the AKEC keyphrase corpus folder (rasid eval keyphrases); default "
                         "<shared_data>/keyphrases/akec", metavar="DIR"))


def convert_country(value: Any) -> str:
    """An ISO 3166-1 alpha-2 code, upper-cased (``sa`` -> ``SA``)."""
    code = convert_str(value).strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise ValueError(f"must be a two-letter ISO 3166-1 country code, not {value!r}")
    return code


register_setting(Setting("home_country", convert_country, "SA",
                         "ISO 3166-1 alpha-2 code of the country the news comes from: the places "
                         "stage reads a name that is one of its first-level divisions and a town "
                         "abroad as the division when nothing in the article points to a country "
                         "of the region (الجوف: Saudi Arabia's region, not the Libyan town)",
                         metavar="CC"))
register_setting(Setting("test_crash_at", convert_str, None,
                         "test-only: NAME[@N] makes an ingest kill itself (SIGKILL) the N-th time "
                         "it finishes the archive step NAME (stored, resolve_entities, "
                         "near_duplicates, stories, alerts), inside the transaction",
                         has_flag=False, metavar="NAME[@N]"))
register_setting(Setting("require_browser", convert_bool, False,
                         "test-only: 1 makes the browser tests (tests/e2e) fail instead of being "
                         "skipped when Chromium or playwright is missing (.ci/run sets it)",
                         has_flag=False, metavar="1|0"))
register_setting(Setting("test_pg_url", convert_str, None,
                         "test-only: the PostgreSQL server the contract tests (tests/contract) run "
                         "their postgresql engine against; unset, that engine is skipped",
                         has_flag=False, secret=True, metavar="URL"))


# -- effective values -------------------------------------------------------------------------
@dataclass(frozen=True)
class Value:
    value: Any
    #: "default", "config", "env" or "flag"
    source: str
    #: the config file path, the variable or the flag; "" for a default
    origin: str = ""

    @property
    def label(self) -> str:
        return {"default": "default", "config": f"config file {self.origin}",
                "env": f"env {self.origin}", "flag": f"flag {self.origin}"}[self.source]


class Config(Mapping[str, Any]):
    """Effective settings: ``config.port`` or ``config["port"]``; ``config.source("port")``."""

    def __init__(self, values: dict[str, Value]):
        self._values = values

    def __getitem__(self, name: str) -> Any:
        return self._values[name].value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[name].value
        except KeyError:
            raise AttributeError(f"no setting named {name!r}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def source(self, name: str) -> Value:
        return self._values[name]

    def to_dict(self, show_secrets: bool = False) -> dict[str, dict[str, Any]]:
        out = {}
        for name, v in self._values.items():
            value = v.value
            if SETTINGS[name].secret and value is not None and not show_secrets:
                value = "***"
            out[name] = {"value": value, "source": v.source, "origin": v.origin,
                         "env": SETTINGS[name].env,
                         "flag": SETTINGS[name].flag if SETTINGS[name].has_flag else None}
        return out


def read_config_file(path: Path) -> dict[str, Any]:
    """The settings of a TOML file; unknown keys and tables are errors naming the file."""
    import tomllib

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise SettingsError(f"config file {path}: cannot read it: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"config file {path}: {exc}") from None
    for key, value in data.items():
        if key not in SETTINGS or key == "config":
            raise SettingsError(f"config file {path}: unknown setting {key!r}; known: "
                                f"{', '.join(n for n in SETTINGS if n != 'config')}")
        if isinstance(value, (dict, list)):
            raise SettingsError(f"config file {path}: setting {key} must be a single value")
    return data


def flag_values(flags: argparse.Namespace | Mapping[str, Any] | None) -> dict[str, Any]:
    """The settings given as flags (an argparse namespace or a mapping; None = not given)."""
    if flags is None:
        return {}
    items = vars(flags) if isinstance(flags, argparse.Namespace) else dict(flags)
    return {k: v for k, v in items.items() if k in SETTINGS and v is not None}


def resolve_settings(flags: argparse.Namespace | Mapping[str, Any] | None = None,
                     environ: Mapping[str, str] | None = None) -> Config:
    """Every setting's value: flag > environment > config file > default."""
    env = os.environ if environ is None else environ
    given = flag_values(flags)
    values: dict[str, Value] = {}
    cfg = SETTINGS["config"]
    if "config" in given:
        values["config"] = Value(cfg.parse(given["config"], f"flag {cfg.flag}"), "flag", cfg.flag)
    elif env.get(cfg.env):
        values["config"] = Value(cfg.parse(env[cfg.env], f"env {cfg.env}"), "env", cfg.env)
    else:
        values["config"] = Value(cfg.default_value(env, {}), "default")
    path = Path(values["config"].value)
    if values["config"].source != "default" and not path.is_file():
        raise SettingsError(f"setting config (from {values['config'].label}): "
                            f"{path} is not a file")
    from_file = read_config_file(path) if path.is_file() else {}
    for name, setting in SETTINGS.items():
        if name == "config":
            continue
        if name in given and setting.has_flag:
            values[name] = Value(setting.parse(given[name], f"flag {setting.flag}"),
                                 "flag", setting.flag)
        elif env.get(setting.env, "").strip():
            values[name] = Value(setting.parse(env[setting.env], f"env {setting.env}"),
                                 "env", setting.env)
        elif name in from_file:
            values[name] = Value(setting.parse(from_file[name], f"config file {path}"),
                                 "config", str(path))
        else:
            values[name] = Value(setting.default_value(
                env, {k: v.value for k, v in values.items()}), "default")
    return Config(values)


_CURRENT: list[Config] = []


@contextlib.contextmanager
def use_settings(config: Config) -> Iterator[Config]:
    """Make `config` what `current_settings()` returns inside the block."""
    _CURRENT.append(config)
    try:
        yield config
    finally:
        _CURRENT.pop()


def current_settings() -> Config:
    """The installed `Config` (see `use_settings`), else the environment's and config file's."""
    return _CURRENT[-1] if _CURRENT else resolve_settings()


def get_setting(name: str) -> Any:
    return current_settings()[name]


# -- argparse ---------------------------------------------------------------------------------
def add_flags(parser: argparse.ArgumentParser | Any, names: list[str] | tuple[str, ...],
              aliases: Mapping[str, tuple[str, ...]] | None = None) -> None:
    """Options for these settings. Their default is None ("not given"), so that
    `resolve_settings` can tell a flag from the lower layers."""
    for name in names:
        setting = SETTINGS[name]
        if not setting.has_flag:
            continue
        default = setting.default if not callable(setting.default) else None
        if isinstance(default, bool):
            default = int(default)
        shown = f"; default {default}" if default is not None else ""
        parser.add_argument(setting.flag, *(aliases or {}).get(name, ()), dest=name, default=None,
                            metavar=setting.metavar,
                            help=f"{setting.help_text} (${setting.env}{shown})".replace("%", "%%"))


def format_config(config: Config) -> list[str]:
    """Lines of ``rasid config``: name, value (``-`` when unset), source."""
    rows = []
    for name, d in config.to_dict().items():
        label = config.source(name).label
        if name == "config" and d["source"] == "default" and not Path(d["value"]).is_file():
            label += ", no such file"
        rows.append((name, "-" if d["value"] is None else str(d["value"]), label))
    w1, w2 = (max(len(r[i]) for r in rows) for i in (0, 1))
    return [f"{n:<{w1}}  {v:<{w2}}  ({label})" for n, v, label in rows]
