"""Errors a service raises: a Chinese message for the people using the desk, an English one for logs."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class; nothing was changed when one is raised (each service runs in one transaction)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} ({en})")
        self.zh = zh
        self.en = en


class InvalidInput(ServiceError):
    """Malformed or unlawful input: a bad date, an unknown outcome, an extension over 20 working days."""


class PermissionDenied(ServiceError):
    """The actor may not do this to this object (also for forged ids of other agencies' objects)."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """The object is not in a state that allows this, e.g. answering a closed request."""


class Frozen(Conflict):
    """A published annual report never changes."""
