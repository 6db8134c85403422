"""The web UI (Arabic, right-to-left, offline): Jinja2 templates and static assets served by
the API's FastAPI app (see `rasid.api.create_app`)."""
