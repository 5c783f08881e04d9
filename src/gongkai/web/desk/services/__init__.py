"""All writes go through these functions; each checks permission, validates, and writes the audit log
in the same transaction. Errors are `ServiceError`s with a Chinese `.zh` and an English `.en`."""

from .agencies import add_membership, create_agency, remove_membership
from .appeals import decide_appeal, file_appeal
from .calendar import delete_calendar_day, set_calendar_day
from .errors import Conflict, Frozen, InvalidInput, NotFound, PermissionDenied, ServiceError
from .reports import (
    build_annual_report,
    check_annual_report,
    publish_annual_report,
    save_annual_report,
    save_proactive_figures,
)
from .requests import (
    Recorded,
    add_attachment,
    answer,
    approve_extension,
    archive,
    assign_handler,
    close_unpaid_fee,
    close_without_supplement,
    end_consultation,
    issue_fee_notice,
    receive_supplement,
    record_fee_payment,
    record_letter,
    register_request,
    request_supplement,
    set_later_deadline,
    start_consultation,
    withdraw,
)

__all__ = [
    "Conflict",
    "Frozen",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "Recorded",
    "ServiceError",
    "add_attachment",
    "add_membership",
    "answer",
    "approve_extension",
    "archive",
    "assign_handler",
    "build_annual_report",
    "check_annual_report",
    "close_unpaid_fee",
    "close_without_supplement",
    "create_agency",
    "decide_appeal",
    "delete_calendar_day",
    "end_consultation",
    "file_appeal",
    "issue_fee_notice",
    "publish_annual_report",
    "receive_supplement",
    "record_fee_payment",
    "record_letter",
    "register_request",
    "remove_membership",
    "request_supplement",
    "save_annual_report",
    "save_proactive_figures",
    "set_calendar_day",
    "set_later_deadline",
    "start_consultation",
    "withdraw",
]
