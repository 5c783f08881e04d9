"""The shared part every app builds on: the audit log, version-stamped caches, sessions, service
errors and input checks, the base template, the stylesheet, login and health. Imports no other app."""
