"""All writes to requests go through these functions; each checks permission, validates, and writes
the audit log in the same transaction. Errors are `core.errors.ServiceError`s with a Chinese `.zh`
and an English `.en` (re-exported here for callers of these services)."""

from gongkai.web.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, ServiceError

from .appeals import decide_appeal, file_appeal
from .online import submit_online
from .requests import (
    LETTER_ISSUERS,
    Recorded,
    add_attachment,
    answer,
    approve_extension,
    archive,
    assign_handler,
    backdating_warning,
    close_unpaid_fee,
    close_without_supplement,
    end_consultation,
    issuable_letters,
    issue_fee_notice,
    note_personal_data_seen,
    receive_supplement,
    record_fee_payment,
    record_letter,
    register_request,
    request_reasons,
    request_supplement,
    set_later_deadline,
    start_consultation,
    withdraw,
)

__all__ = [
    "LETTER_ISSUERS",
    "Conflict",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "Recorded",
    "ServiceError",
    "add_attachment",
    "answer",
    "approve_extension",
    "archive",
    "assign_handler",
    "backdating_warning",
    "close_unpaid_fee",
    "close_without_supplement",
    "decide_appeal",
    "end_consultation",
    "file_appeal",
    "issuable_letters",
    "issue_fee_notice",
    "note_personal_data_seen",
    "receive_supplement",
    "record_fee_payment",
    "record_letter",
    "register_request",
    "request_reasons",
    "request_supplement",
    "set_later_deadline",
    "start_consultation",
    "submit_online",
    "withdraw",
]
