"""Relationship mining: pure functions over plain records, free of database and web imports."""
