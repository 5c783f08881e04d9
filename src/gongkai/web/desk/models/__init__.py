"""The desk's models, one module per domain."""

from .agencies import Agency, AgencyKind, Level, Membership, Role
from .appeals import Appeal, AppealKind, AppealResult
from .audit import AppendOnlyError, AuditLog
from .calendar import CalendarDay
from .letters import LetterKind, LetterTemplate
from .reports import AnnualReport, ProactiveFigures, ReportStatus
from .requests import (
    CLOSED_STATES,
    OPEN_STATES,
    OUTCOME_CHOICES,
    OUTCOMES,
    RECEIPT_RULE,
    ApplicantKind,
    Attachment,
    Channel,
    Delivery,
    EventKind,
    IdType,
    Request,
    RequestEvent,
    State,
)
from .versions import Version

__all__ = [
    "CLOSED_STATES",
    "OPEN_STATES",
    "OUTCOMES",
    "OUTCOME_CHOICES",
    "RECEIPT_RULE",
    "Agency",
    "AgencyKind",
    "AnnualReport",
    "Appeal",
    "AppealKind",
    "AppealResult",
    "AppendOnlyError",
    "ApplicantKind",
    "Attachment",
    "AuditLog",
    "CalendarDay",
    "Channel",
    "Delivery",
    "EventKind",
    "IdType",
    "LetterKind",
    "LetterTemplate",
    "Level",
    "Membership",
    "ProactiveFigures",
    "ReportStatus",
    "Request",
    "RequestEvent",
    "Role",
    "State",
    "Version",
]
