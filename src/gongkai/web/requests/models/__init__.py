"""The request app's models: requests with their events and attachments, appeals, letter templates."""

from .appeals import Appeal, AppealKind, AppealResult
from .letters import LetterKind, LetterTemplate
from .requests import (
    ARCHIVABLE_STATES,
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
    "ARCHIVABLE_STATES",
    "CLOSED_STATES",
    "OPEN_STATES",
    "OUTCOMES",
    "OUTCOME_CHOICES",
    "RECEIPT_RULE",
    "Appeal",
    "AppealKind",
    "AppealResult",
    "ApplicantKind",
    "Attachment",
    "Channel",
    "Delivery",
    "EventKind",
    "IdType",
    "LetterKind",
    "LetterTemplate",
    "Request",
    "RequestEvent",
    "State",
]
