"""The statutory clock and the information-processing fee: pure functions, no I/O.

`calendar` says which days are working days, `deadline` derives a request's due dates and their
explanation from its events, `fees` computes 国办函〔2020〕109号 fees.
"""

from .calendar import Day, DayKind, Source, WorkCalendar, missing_years, missing_years_warning
from .deadline import (
    Answered,
    Channel,
    ClockError,
    ClockState,
    Consultation,
    ConsultationEnded,
    ConsultationKind,
    ConsultationStarted,
    Derivation,
    Event,
    ExtensionApproved,
    FeeNoticeIssued,
    FeePaid,
    Pause,
    PauseKind,
    Received,
    Segment,
    Status,
    SupplementReceived,
    SupplementRequested,
    Withdrawn,
    derive,
)
from .fees import Fee, Method, Tier, item_fee, page_fee, to_wan_yuan

__all__ = [
    "Answered",
    "Channel",
    "ClockError",
    "ClockState",
    "Consultation",
    "ConsultationEnded",
    "ConsultationKind",
    "ConsultationStarted",
    "Day",
    "DayKind",
    "Derivation",
    "Event",
    "ExtensionApproved",
    "Fee",
    "FeeNoticeIssued",
    "FeePaid",
    "Method",
    "Pause",
    "PauseKind",
    "Received",
    "Segment",
    "Source",
    "Status",
    "SupplementReceived",
    "SupplementRequested",
    "Tier",
    "Withdrawn",
    "WorkCalendar",
    "derive",
    "item_fee",
    "missing_years",
    "missing_years_warning",
    "page_fee",
    "to_wan_yuan",
]
