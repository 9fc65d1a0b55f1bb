"""Contract suites that every backend of a store runs (pytest required)."""
