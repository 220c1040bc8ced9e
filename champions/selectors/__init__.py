"""Champions app selectors, split by concern into modules."""
