"""The synthetic worlds: generated, deterministic data that stands in for real datasets."""
