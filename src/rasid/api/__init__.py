"""REST API (FastAPI) over `rasid.monitor.Monitor`; the web UI is served by the same app.

``create_app(source, settings)`` builds the app; ``rasid serve`` runs it with uvicorn.
"""
from .app import create_app
from .settings import Settings, SettingsError

__all__ = ["Settings", "SettingsError", "create_app"]
