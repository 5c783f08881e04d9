"""The statutory clock and the information-processing fee: pure functions, no I/O.

`calendar` says which days are working days, `fees` computes 国办函〔2020〕109号 fees.
"""

from .calendar import Day, DayKind, Source, WorkCalendar, missing_years, missing_years_warning
from .fees import Fee, Method, Tier, item_fee, page_fee, to_wan_yuan

__all__ = [
    "Day",
    "DayKind",
    "Fee",
    "Method",
    "Source",
    "Tier",
    "WorkCalendar",
    "item_fee",
    "missing_years",
    "missing_years_warning",
    "page_fee",
    "to_wan_yuan",
]
