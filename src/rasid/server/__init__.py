"""The HTTP server that hosts both HTTP shells: one FastAPI app with the REST API
(`rasid.api`, under ``/api/v1``) and the web UI (`rasid.web`, at ``/``), their shared
request context (the `Monitor`, the write lock), errors, access tokens and settings.

``create_app(source, settings)`` builds the app; ``rasid serve`` runs it with uvicorn.
The shells import from here, never from each other.
"""
from .app import create_app
from .settings import Settings, SettingsError

__all__ = ["Settings", "SettingsError", "create_app"]
