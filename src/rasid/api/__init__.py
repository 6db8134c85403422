"""REST API (FastAPI routers under ``/api/v1``) over `rasid.monitor.Monitor`; the app that
serves it, beside the web UI, is `rasid.server.create_app`."""
