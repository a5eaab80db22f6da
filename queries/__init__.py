"""Data access for the dashboard: named SQL queries over the evidence base in data/."""

from queries.db import DataError, EvidenceBase, QueryError, default_base, fingerprint, run

__all__ = ["DataError", "EvidenceBase", "QueryError", "default_base", "fingerprint", "run"]
