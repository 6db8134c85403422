"""Versioned schema migrations, one folder per backend (``sqlite/0001_init.sql``, ...)."""
