"""Champions app views, split by concern into modules."""
