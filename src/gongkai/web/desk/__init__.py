"""The desk app: models, the permission function, services (all writes) and selectors (reads)."""
