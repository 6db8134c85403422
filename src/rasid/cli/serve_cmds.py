"""``rasid serve``: the REST API and the web UI over an archive, on 127.0.0.1 by default;
``rasid token show|rotate``: the API token it uses (kept in the data directory).

`register(subparsers, common_parent)` adds the commands to the `rasid` parser;
`serve(...)` is also what ``rasid start`` calls after ingesting the sample.
"""
from __future__ import annotations

import argparse
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
    p = subparsers.add_parser("token", parents=[common_parent],
                              help="the API token that writing (from the web UI, the API) needs")
    p.add_argument("action", choices=("show", "rotate"),
                   help="show: print the token (made on first use); rotate: replace it")
    p.add_argument("--path", action="store_true", help="print the token file's path instead")
    p.set_defaults(func=cmd_token)


def cmd_token(args: argparse.Namespace) -> int:
    """Print (``show``) or replace (``rotate``) the token `rasid serve` uses. A token set
    with RASID_API_TOKEN or api_token_file wins over the data directory's."""
    from ..server.token import load_or_create_token, rotate_token
    from ..settings import current_settings
    from .main import EXIT_USAGE, CLIError

    config = current_settings()
    source = config.source("api_token")
    if source.source != "default":
        if args.action == "rotate":
            raise CLIError(f"the token comes from {source.label}; change it there", EXIT_USAGE)
        print(f"{source.origin or source.label}" if args.path else config.api_token)
        return 0
    from pathlib import Path

    chosen = Path(config.api_token_file) if config.api_token_file else None
    if args.action == "rotate":
        token, path = rotate_token(chosen)
        print(f"rasid: a new token is in {path}; restart a running `rasid serve` to use it",
              file=sys.stderr)
    else:
        token, path, created = load_or_create_token(chosen)
        if created:
            print(f"rasid: made a new token in {path} (readable by you only)", file=sys.stderr)
    print(path if args.path else token)
    return 0


def add_serve_arguments(p: argparse.ArgumentParser) -> None:
    add_flags(p, SERVE_SETTINGS)


def add_start_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``rasid start``: where to serve, or ``--no-serve`` for scripts."""
    add_serve_arguments(p)
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

    from ..server import SettingsError, create_app
    from .main import EXIT_USAGE, CLIError

    try:
        SETTINGS["port"].parse(port, "the caller")
        settings, token_file = server_settings()
    except SettingsError as exc:
        raise CLIError(str(exc), EXIT_USAGE) from exc
    app = create_app(monitor, settings)
    shown = f"[{host}]" if ":" in host else host
    print(f"rasid: serving {monitor.location} at http://{shown}:{port}/  "
          f"(API docs: http://{shown}:{port}/docs; Ctrl-C stops)", flush=True)
    if token_file is not None:  # the path, never the token: logs are read by many
        print(f"rasid: the write token is in {token_file} (readable by you only; `rasid token "
              "show` prints it; RASID_API_TOKEN or api_token_file choose another)", flush=True)
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


def server_settings() -> tuple[Any, Path | None]:
    """``(settings, token_file)``: the server's settings (`Settings.from_config`) with, when
    no token is configured, the data directory's token (made once; its file returned)."""
    from dataclasses import replace

    from ..server import Settings
    from ..server.token import load_or_create_token

    settings = Settings.from_config()
    if settings.token is not None:
        return settings, None
    token, token_file, _ = load_or_create_token()
    return replace(settings, token=token), token_file


def main(argv: list[str] | None = None) -> int:
    """``python -m rasid.cli.serve_cmds``: the same as ``rasid serve``."""
    from .main import build_common_parser, run_command

    parser = argparse.ArgumentParser(prog="rasid serve", parents=[build_common_parser()])
    add_serve_arguments(parser)
    parser.set_defaults(func=cmd_serve)
    return run_command(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
