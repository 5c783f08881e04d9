"""The request app's models: requests with their events and attachments, appeals, letter templates."""

from .appeals import Appeal, AppealKind, AppealResult
from .letters import LetterKind, LetterTemplate
from .office import (
    MAX_STEPS,
    SIGNOFF_ROLES,
    AnswerDraft,
    DraftStatus,
    Notification,
    NotificationKind,
    SignoffChain,
)
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

__all__ = [
    "CLOSED_STATES",
    "MAX_STEPS",
    "OPEN_STATES",
    "OUTCOMES",
    "OUTCOME_CHOICES",
    "RECEIPT_RULE",
    "SIGNOFF_ROLES",
    "AnswerDraft",
    "Appeal",
    "AppealKind",
    "AppealResult",
    "ApplicantKind",
    "Attachment",
    "Channel",
    "Delivery",
    "DraftStatus",
    "EventKind",
    "IdType",
    "LetterKind",
    "LetterTemplate",
    "Notification",
    "NotificationKind",
    "Request",
    "RequestEvent",
    "SignoffChain",
    "State",
]
