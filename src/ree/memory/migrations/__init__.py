"""Alembic migrations of the PostgreSQL conversation memory (`ree db upgrade`).

The layout is Python only (no alembic.ini, no templates), so it ships inside the package:
`script_location` is the package path `ree.memory:migrations`. SQLite does not use
migrations: its tables come from `ree.memory.schema.create_schema`.
"""
