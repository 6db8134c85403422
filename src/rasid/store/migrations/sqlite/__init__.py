"""SQLite migrations, applied in order by `rasid.store.sqlite.migrate`."""
