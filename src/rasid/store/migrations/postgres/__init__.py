"""PostgreSQL migrations, numbered like the SQLite ones (same version = same schema)."""
