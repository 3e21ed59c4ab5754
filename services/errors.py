"""Errors services raise; each message tells the user what to fix."""
from __future__ import annotations


class ServiceError(Exception):
    """Base class: a refusal with a message fit to show to the user."""


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class ValidationFailed(ServiceError):
    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


class ConfirmationNeeded(ValidationFailed):
    """The change is allowed once the user confirms it (e.g. completing with open milestones)."""


class StaleVersion(ServiceError):
    """Someone else saved the object after the user loaded it."""

    def __init__(self, message: str, *, current: dict, changed_by: str | None, changed_at=None):
        super().__init__(message)
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at
