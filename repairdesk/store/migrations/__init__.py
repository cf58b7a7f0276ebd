"""Alembic migrations of the record book (see migrate.py for how they are applied)."""
