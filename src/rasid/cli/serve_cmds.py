"""``rasid serve``: the REST API and the web UI over an archive, on 127.0.0.1 by default.

`register(subparsers, common_parent)` adds the command to the `rasid` parser;
`serve(...)` is also what ``rasid start`` calls after ingesting the sample.
"""
from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from ..settings import SETTINGS, add_flags

DEFAULT_HOST = SETTINGS["host"].default
DEFAULT_PORT = SETTINGS["port"].default
SERVE_SETTINGS = ("host", "port", "read_open", "api_token_file", "max_body_bytes")


def register(subparsers: Any, common_parent: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("serve", parents=[common_parent],
                              help="serve the web UI and REST API over the archive")
    add_serve_arguments(p)
    p.set_defaults(func=cmd_serve)


def add_serve_arguments(p: argparse.ArgumentParser) -> None:
    add_flags(p, SERVE_SETTINGS)


def add_start_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``rasid start``: where to serve, or ``--no-serve`` for scripts."""
    add_serve_arguments(p)
    add_flags(p, ("workers",))
    p.add_argument("--no-serve", action="store_true",
                   help="ingest the sample and exit, without serving the web UI")


def serve_after_start(args: argparse.Namespace, code: int) -> int:
    """The end of ``rasid start``: serve the archive unless ``--no-serve`` (exit code of
    the ingest otherwise)."""
    if getattr(args, "no_serve", False):
        return code
    return cmd_serve(args)


def cmd_serve(args: argparse.Namespace) -> int:
    from ..monitor import Monitor
    from .main import EXIT_STORAGE, CLIError

    try:
        monitor = Monitor(args.db)
    except Exception as exc:
        raise CLIError(f"cannot open archive {args.db}: {exc}", EXIT_STORAGE) from exc
    return serve(monitor, host=args.host, port=args.port)


def serve(monitor: Any, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Run the app with uvicorn until interrupted; print the address first. The API's
    settings (token, read_open, body limit) come from `Settings.from_config()`."""
    import uvicorn

    from ..server import Settings, SettingsError, create_app
    from .main import EXIT_USAGE, CLIError

    try:
        SETTINGS["port"].parse(port, "the caller")
        settings = Settings.from_config()
    except SettingsError as exc:
        raise CLIError(str(exc), EXIT_USAGE) from exc
    token_file = None
    if settings.token is None:  # writes need a token: make one for this run, in a file
        from dataclasses import replace

        settings = replace(settings, token=secrets.token_urlsafe(18))
        token_file = write_token_file(settings.token, monitor.location)
    app = create_app(monitor, settings)
    shown = f"[{host}]" if ":" in host else host
    print(f"rasid: serving {monitor.location} at http://{shown}:{port}/  "
          f"(API docs: http://{shown}:{port}/docs; Ctrl-C stops)", flush=True)
    if token_file is not None:  # the path, never the token: logs are read by many
        print(f"rasid: write token for this run is in {token_file} (readable by you only; "
              "set RASID_API_TOKEN, or api_token_file / RASID_API_TOKEN_FILE, to choose one)", flush=True)
    if not settings.read_open:
        print("rasid: reading is closed (read_open = 0): pages and API need the token", flush=True)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning",
                            timeout_graceful_shutdown=2, access_log=False)
    server = uvicorn.Server(config)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    except SystemExit:  # uvicorn exits when it cannot bind
        pass
    finally:
        monitor.close()
    if not server.started:
        print(f"rasid: error: could not serve on {host}:{port} (is the port in use?)", file=sys.stderr)
        return EXIT_USAGE
    return 0


def write_token_file(token: str, archive: str | None) -> Path:
    """Write a generated token to a new file only its owner can read (mode 600): next to
    the archive (``<archive>.token``) when it is a file, else in a private temporary folder."""
    import tempfile

    where = Path(archive) if archive and archive != ":memory:" and "://" not in archive else None
    if where is not None and where.parent.is_dir():
        path = where.with_name(where.name + ".token")
    else:
        path = Path(tempfile.mkdtemp(prefix="rasid-")) / "token"
    if path.exists():
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(token + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    """``python -m rasid.cli.serve_cmds``: the same as ``rasid serve``."""
    from .main import build_common_parser, run_command

    parser = argparse.ArgumentParser(prog="rasid serve", parents=[build_common_parser()])
    add_serve_arguments(parser)
    parser.set_defaults(func=cmd_serve)
    return run_command(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
