"""The web UI (Arabic, right-to-left, offline): Jinja2 templates and static assets served by
the same FastAPI app as the REST API (see `rasid.server.create_app`)."""
