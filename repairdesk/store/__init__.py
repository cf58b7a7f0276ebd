"""Persistence: SQLModel tables, the engine with its pragmas, and repositories."""
