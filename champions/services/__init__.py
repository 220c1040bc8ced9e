"""Champions app services, split by concern into modules."""
