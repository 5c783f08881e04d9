"""The statutory clock of a request, derived from its events (Arts. 30–33 of the 2019 Regulation).

Due dates are never stored: `derive` replays the events against a `WorkCalendar` each time, so a
corrected calendar or a corrected event re-derives every date, and each date carries its
explanation (`Derivation.lines`). Rules, and the readings this module had to choose:

- The answer is due on the 20th working day after the receipt date; the receipt day never counts
  (Civil Code Art. 201).
- 补正 (Art. 30): the notice is due within 7 working days of receipt; the clock is discarded and
  restarts from the day the supplemented request is received. Only one notice is allowed.
- Consultation (Art. 32 third party, Art. 34 other agency): the reply is due 15 working days after
  the consultation letter. Working days after the letter up to and including the reply day are not
  counted. Reading: the pause ends at the reply deadline at the latest, because after it the
  Regulation lets the agency decide alone; a late reply does not stretch the clock.
- Extension (Art. 33): at most 20 working days in total, counted on from the original deadline.
- Fee (国办函〔2020〕109号): payment is due 20 working days after the applicant receives the notice.
  Whether that time stops the answer clock is UNVERIFIED; `fee_pauses_clock` defaults to True because
  the applicant is entitled to the whole payment window, and a clock that kept running could make a
  lawful payment on its last day put the agency overdue (the MuckRock reading, anchors §5.4).
- While a pause is open, `answer_due` assumes it lasts as long as it may (reply or payment deadline)
  and is marked provisional; an earlier reply or payment only moves it earlier.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .calendar import WEEKDAY_ZH, Day, DayKind, WorkCalendar, missing_note

ANSWER_WORKDAYS = 20  # Art. 33
MAX_EXTENSION_WORKDAYS = 20  # Art. 33
SUPPLEMENT_NOTICE_WORKDAYS = 7  # Art. 30
CONSULTATION_WORKDAYS = 15  # Arts. 32 and 34
FEE_PAYMENT_WORKDAYS = 20  # 国办函〔2020〕109号 as restated by the provinces

_DAY = timedelta(days=1)


class ClockError(ValueError):
    """An event sequence that cannot happen or that the Regulation forbids."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} ({en})")
        self.zh = zh
        self.en = en


class Channel(StrEnum):
    """How the request arrived; it decides which day is the receipt date (Art. 31)."""

    IN_PERSON = "in_person"  # pass the day the request was handed in
    SIGNED_POST = "signed_post"  # pass the day the agency signed for the post
    ORDINARY_LETTER = "ordinary_letter"  # pass the day the office confirmed receipt with the applicant
    ONLINE = "online"  # pass the day both parties confirmed
    FAX = "fax"  # pass the day both parties confirmed
    OTHER = "other"  # Art. 31 names no rule: pass the receipt date the office registered


CHANNEL_ZH = {
    Channel.IN_PERSON: "当面提交，以提交之日为收到之日",
    Channel.SIGNED_POST: "邮寄，以签收之日为收到之日",
    Channel.ORDINARY_LETTER: "平常信函，以与申请人确认之日为收到之日",
    Channel.ONLINE: "互联网渠道，以双方确认之日为收到之日",
    Channel.FAX: "传真，以双方确认之日为收到之日",
    Channel.OTHER: "其他方式，以登记的收到之日为准",
}


class ConsultationKind(StrEnum):
    THIRD_PARTY = "third_party"  # Art. 32
    OTHER_AGENCY = "other_agency"  # Art. 34


_CONSULTED_ZH = {ConsultationKind.THIRD_PARTY: "第三方", ConsultationKind.OTHER_AGENCY: "有关行政机关"}


# Events ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """The request was received; `date` is the Art. 31 receipt date for `channel` (see `Channel`)."""

    date: date
    channel: Channel


@dataclass(frozen=True)
class SupplementRequested:
    """The 补正 notice went out; `due` is the time given to the applicant, if one was set."""

    date: date
    due: datetime.date | None = None  # `date` is shadowed by the field above


@dataclass(frozen=True)
class SupplementReceived:
    date: date


@dataclass(frozen=True)
class ConsultationStarted:
    """The consultation letter went out (or, if known, reached `party`); `party` pairs it with its end."""

    date: date
    party: str
    kind: ConsultationKind = ConsultationKind.THIRD_PARTY


@dataclass(frozen=True)
class ConsultationEnded:
    """`party` replied (or the agency closed the consultation) on `date`."""

    date: date
    party: str


@dataclass(frozen=True)
class ExtensionApproved:
    date: date
    workdays: int


@dataclass(frozen=True)
class LaterDeadlineSet:
    """Art. 35: the applicant's reasons for a mass or repeated request were found reasonable, but the
    Art. 33 limit cannot be met, so the agency set a reasonable later deadline `due` and said so."""

    date: date
    due: datetime.date


@dataclass(frozen=True)
class FeeNoticeIssued:
    """`date` is the day the applicant received the fee notice."""

    date: date


@dataclass(frozen=True)
class FeePaid:
    date: date


@dataclass(frozen=True)
class Answered:
    """Any final written answer, including notices that the request will not be processed."""

    date: date


@dataclass(frozen=True)
class Withdrawn:
    date: date


class AbandonReason(StrEnum):
    NO_SUPPLEMENT = "no_supplement"  # Art. 30: 逾期未补正
    UNPAID_FEE = "unpaid_fee"  # Art. 42 and the fee rules: 逾期未缴纳信息处理费


@dataclass(frozen=True)
class Abandoned:
    """The request was closed as abandoned (视为放弃申请): no answer was owed, so it is never late.

    The desk's services decide when that is lawful (the supplement or the fee overdue); an imported
    register may record it without the events that led there."""

    date: date
    reason: AbandonReason


Event = (
    Received
    | SupplementRequested
    | SupplementReceived
    | ConsultationStarted
    | ConsultationEnded
    | ExtensionApproved
    | LaterDeadlineSet
    | FeeNoticeIssued
    | FeePaid
    | Answered
    | Withdrawn
    | Abandoned
)


# Results -----------------------------------------------------------------------------------------


class Status(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    LAPSED = "lapsed"  # fee not paid in time: the request counts as abandoned
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"
    ABANDONED_NO_SUPPLEMENT = "abandoned_no_supplement"
    ABANDONED_UNPAID_FEE = "abandoned_unpaid_fee"


STATUS_ZH = {
    Status.RUNNING: "计时中",
    Status.PAUSED: "暂停计时",
    Status.AWAITING_SUPPLEMENT: "等待补正",
    Status.LAPSED: "逾期未缴费，视为放弃申请",
    Status.ANSWERED: "已答复",
    Status.WITHDRAWN: "已撤回",
    Status.ABANDONED_NO_SUPPLEMENT: "逾期未补正，视为放弃申请，已结案",
    Status.ABANDONED_UNPAID_FEE: "逾期未缴费，视为放弃申请，已结案",
}

_ABANDONED = {
    AbandonReason.NO_SUPPLEMENT: Status.ABANDONED_NO_SUPPLEMENT,
    AbandonReason.UNPAID_FEE: Status.ABANDONED_UNPAID_FEE,
}


class PauseKind(StrEnum):
    CONSULTATION = "consultation"
    FEE = "fee"


@dataclass(frozen=True)
class Pause:
    """Working days in (begins, ends] are not counted. While `open`, `ends` is the latest possible end."""

    kind: PauseKind
    label: str  # Chinese, e.g. "向第三方“某公司”征求意见"
    begins: date
    ends: date
    open: bool
    workdays: int


@dataclass(frozen=True)
class Segment:
    """A stretch of counted working days between pauses."""

    first: date
    last: date
    workdays: int


@dataclass(frozen=True)
class Consultation:
    party: str
    kind: ConsultationKind
    started: date
    reply_due: date
    ended: date | None


@dataclass(frozen=True)
class Derivation:
    """How the answer due date follows from the events, for staff and for the applicant."""

    received: Received
    supplement: SupplementRequested | None
    start: date  # the receipt date, or the day the supplement was received
    start_day: Day
    extensions: tuple[ExtensionApproved, ...]
    original_due: date  # before extensions
    statutory_due: date  # after extensions: Art. 33's limit
    later: LaterDeadlineSet | None  # Art. 35's reasonable later deadline, which replaces it
    due: date
    provisional: bool
    counted: tuple[Segment, ...]
    pauses: tuple[Pause, ...]
    skipped: tuple[Day, ...]  # non-working days passed over while counting (pauses excluded)
    makeup: tuple[Day, ...]  # weekend make-up working days that were counted
    calendar_gaps: tuple[str, ...]  # what the calendar misses in the years counted (missing_note)

    @property
    def workdays(self) -> int:
        return ANSWER_WORKDAYS + sum(e.workdays for e in self.extensions)

    def lines(self) -> list[str]:
        year = self.start.year
        received = self.received
        lines = [
            f"{received.date} 收到申请（{CHANNEL_ZH[received.channel]}；{_day_zh(self.start_day)}）"
            if self.supplement is None
            else f"{received.date} 收到申请（{CHANNEL_ZH[received.channel]}）"
        ]
        if self.supplement is not None:
            lines.append(f"{self.supplement.date} 告知补正，原期限作废")
            lines.append(
                f"{self.start} 收到补正后的申请（{_day_zh(self.start_day)}）；"
                f"自次日起重新起算 {ANSWER_WORKDAYS} 个工作日"
            )
        else:
            lines.append(f"自次日起算 {ANSWER_WORKDAYS} 个工作日")
        weekend_days = 0
        for run in _runs(self.skipped):
            names = list(dict.fromkeys(d.name for d in run if d.name))
            if names or any(d.kind is DayKind.HOLIDAY for d in run):
                label = "、".join(names) or "节"
                lines.append(f"跳过{label}假期 {_span(run[0].date, run[-1].date, year)}")
            else:
                weekend_days += len(run)
        if weekend_days:
            lines.append(f"跳过周末 {weekend_days} 天")
        for d in self.makeup:
            lines.append(f"{_md(d.date, year)}（{WEEKDAY_ZH[d.date.weekday()]}）为调休工作日，计入")
        for p in self.pauses:
            state = "尚未结束，暂按最迟结束日计算" if p.open else "已结束"
            lines.append(
                f"{p.begins} {p.label}，暂停计时 {_span(p.begins + _DAY, p.ends, year)}"
                f"（{state}；不计 {p.workdays} 个工作日）"
            )
        if self.pauses:
            counted = "；".join(f"{_span(s.first, s.last, year)} {s.workdays} 个" for s in self.counted)
            lines.append(f"计入的工作日：{counted}")
        if self.extensions:
            lines.append(f"原答复期限 {self.original_due}")
        for e in self.extensions:
            lines.append(f"{e.date} 批准延期 {e.workdays} 个工作日，自原答复期限起顺延")
        if self.later is not None:
            lines.append(f"法定答复期限 {self.statutory_due}")
            lines.append(f"{self.later.date} 依《条例》第三十五条确定延迟答复的合理期限 {self.later.due}")
        lines.extend(f"{gap}，按周一至周五推算，请核对" for gap in self.calendar_gaps)
        lines.append(f"答复期限 {self.due}{'（暂定）' if self.provisional else ''}")
        return lines


@dataclass(frozen=True)
class ClockState:
    """Everything the UI needs about a request's clock on `as_of`."""

    as_of: date
    status: Status
    received: date
    supplement_notice_due: date
    supplement_due: date | None
    supplement_overdue: bool
    answer_due: date | None  # None only while awaiting the supplement
    provisional: bool  # a pause is open; answer_due assumes it runs to its latest end
    remaining_workdays: int | None  # counted working days left after as_of; negative once overdue
    overdue: bool  # still open after answer_due, or answered after it
    consultations: tuple[Consultation, ...]
    fee_payment_due: date | None
    extension_workdays: int
    warnings: tuple[str, ...]  # Chinese
    derivation: Derivation | None

    @property
    def paused(self) -> bool:
        return self.status is Status.PAUSED

    @property
    def countdown_zh(self) -> str:
        """The clock in words, the one wording every page shows: "已超期 N 个工作日" once an open
        request is past its due date, "剩余 N 个工作日" before, otherwise the status."""
        left = self.remaining_workdays
        if self.status in (Status.RUNNING, Status.PAUSED) and left is not None:
            paused = "暂停计时，" if self.status is Status.PAUSED else ""
            if self.overdue:
                late = -left
                return f"{paused}已超期 {late} 个工作日" if late > 0 else f"{paused}已超期（不足 1 个工作日）"
            return f"{paused}剩余 {left} 个工作日"
        return STATUS_ZH[self.status]

    def lines(self) -> list[str]:
        lines = [f"状态：{self.countdown_zh}"]
        if self.derivation is not None:
            lines.extend(self.derivation.lines())
        lines.extend(self.warnings)
        return lines


# Derivation --------------------------------------------------------------------------------------


def derive(
    events: Iterable[Event],
    calendar: WorkCalendar,
    as_of: date,
    *,
    fee_pauses_clock: bool = True,
    explain: bool = True,
) -> ClockState:
    """Replay `events` (stably sorted by date; those after `as_of` are ignored) into the clock state.

    Raises `ClockError` for sequences that cannot happen or that the Regulation forbids; late but
    possible acts (a late 补正 notice or extension) are reported in `warnings` instead.
    `explain=False` gives the same state without its `derivation` (None): a list of 50 requests
    shows only dates, and building each derivation's day-by-day explanation was most of its cost.
    """
    replay = _Replay(calendar)
    for event in sorted((e for e in events if e.date <= as_of), key=lambda e: e.date):
        replay.apply(event)
    return replay.state(as_of, fee_pauses_clock, explain)


class _Replay:
    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.received: Received | None = None
        self.start: date | None = None
        self.supplement: SupplementRequested | None = None
        self.consultations: dict[str, Consultation] = {}  # open ones, by party
        self.closed_consultations: list[Consultation] = []
        self.extensions: list[ExtensionApproved] = []
        self.later: LaterDeadlineSet | None = None
        self.fee_notice: FeeNoticeIssued | None = None
        self.fee_paid: date | None = None
        self.end: Answered | Withdrawn | Abandoned | None = None
        self.warnings: list[str] = []

    def apply(self, event: Event) -> None:
        if self.end is not None:
            raise ClockError(
                f"{self.end.date} 已结案，不能再记录 {event.date} 的事件",
                "event after the request was closed",
            )
        if self.received is None:
            if not isinstance(event, Received):
                raise ClockError(f"{event.date} 的事件早于收到申请", "event before the request was received")
            self.received = event
            self.start = event.date
            return
        match event:
            case Received():
                raise ClockError("同一申请只能收到一次", "the request was already received")
            case SupplementRequested():
                if self.supplement is not None:
                    raise ClockError(
                        "补正应一次性告知，不能再次告知", "a supplement may be requested only once"
                    )
                if self.extensions:
                    raise ClockError("已批准延期，不能再告知补正", "supplement requested after an extension")
                notice_due = self.calendar.add_workdays(self.received.date, SUPPLEMENT_NOTICE_WORKDAYS)
                if event.date > notice_due:
                    self.warnings.append(
                        f"补正告知晚于收到申请后 {SUPPLEMENT_NOTICE_WORKDAYS} 个工作日（{notice_due}）"
                    )
                if event.due is not None and event.due < event.date:
                    raise ClockError("补正期限早于补正告知日", "supplement deadline before the notice")
                self.supplement = event
                self.start = None
            case SupplementReceived():
                if self.supplement is None or self.start is not None:
                    raise ClockError(
                        "未告知补正，不能收到补正材料", "supplement received without a request for it"
                    )
                if self.supplement.due is not None and event.date > self.supplement.due:
                    self.warnings.append(f"补正材料晚于补正期限（{self.supplement.due}）收到")
                self.start = event.date
            case ConsultationStarted():
                if event.party in self.consultations:
                    raise ClockError(
                        f"正在征求“{event.party}”的意见", f"consultation with {event.party!r} already open"
                    )
                reply_due = self.calendar.add_workdays(event.date, CONSULTATION_WORKDAYS)
                self.consultations[event.party] = Consultation(
                    event.party, event.kind, event.date, reply_due, None
                )
            case ConsultationEnded():
                started = self.consultations.pop(event.party, None)
                if started is None:
                    raise ClockError(
                        f"未向“{event.party}”征求意见", f"no open consultation with {event.party!r}"
                    )
                if event.date > started.reply_due:
                    self.warnings.append(
                        f"“{event.party}”逾期答复，暂停计时至答复期限 {started.reply_due} 为止"
                    )
                self.closed_consultations.append(
                    Consultation(started.party, started.kind, started.started, started.reply_due, event.date)
                )
            case ExtensionApproved():
                if event.workdays < 1:
                    raise ClockError("延期天数应为正数", "an extension must be at least one working day")
                if self.start is None:
                    raise ClockError(
                        "等待补正期间期限未起算，不能延期", "extension while awaiting the supplement"
                    )
                total = sum(e.workdays for e in self.extensions) + event.workdays
                if total > MAX_EXTENSION_WORKDAYS:
                    raise ClockError(
                        f"延长答复期限最长不得超过 {MAX_EXTENSION_WORKDAYS} 个工作日（合计 {total} 个）",
                        f"extensions total {total} working days, over the {MAX_EXTENSION_WORKDAYS} allowed",
                    )
                self.extensions.append(event)
            case LaterDeadlineSet():
                if self.later is not None:
                    raise ClockError("已确定延迟答复的合理期限", "a later deadline was already set")
                if self.start is None:
                    raise ClockError(
                        "等待补正期间期限未起算，不能确定合理期限",
                        "later deadline while awaiting the supplement",
                    )
                if event.due <= event.date:
                    raise ClockError(
                        "合理期限应晚于确定之日", "the later deadline must be after the day it is set"
                    )
                self.later = event
            case FeeNoticeIssued():
                if self.fee_notice is not None:
                    raise ClockError("已发出收费通知", "a fee notice was already issued")
                self.fee_notice = event
            case FeePaid():
                if self.fee_notice is None or self.fee_paid is not None:
                    raise ClockError("没有待缴的信息处理费", "fee paid without an outstanding fee notice")
                self.fee_paid = event.date
            case Answered() | Withdrawn() | Abandoned():
                self.end = event

    def state(self, as_of: date, fee_pauses_clock: bool, explain: bool = True) -> ClockState:
        if self.received is None:
            raise ClockError("没有收到申请的记录", "no Received event")
        cal = self.calendar
        closed_on = self.end.date if self.end is not None else None
        pauses = self._consultation_pauses(as_of, closed_on)
        fee_due = None
        lapsed = False
        if self.fee_notice is not None:
            fee_due = cal.add_workdays(self.fee_notice.date, FEE_PAYMENT_WORKDAYS)
            if self.fee_paid is not None and self.fee_paid > fee_due:
                self.warnings.append(f"缴费晚于缴费期限（{fee_due}）")
            lapsed = self.fee_paid is None and as_of > fee_due
            if fee_pauses_clock:
                ends, is_open = _pause_end(self.fee_paid, fee_due, as_of, closed_on)
                label = f"收费通知送达（缴费期限 {fee_due}）"
                pauses.append(
                    Pause(
                        PauseKind.FEE,
                        label,
                        self.fee_notice.date,
                        ends,
                        is_open,
                        cal.workdays_between(self.fee_notice.date, ends),
                    )
                )

        derivation = None
        remaining = None
        due = None
        provisional = False
        merged = _merge(pauses)
        allowance = ANSWER_WORKDAYS + sum(e.workdays for e in self.extensions)
        if self.start is not None:
            original_due = _add_counted(cal, self.start, ANSWER_WORKDAYS, merged)
            due = statutory_due = _add_counted(cal, self.start, allowance, merged)
            later = None  # the Art. 35 deadline, when it does replace the statutory one
            if self.later is not None:
                if self.later.date > statutory_due:
                    self.warnings.append(f"合理期限晚于法定答复期限（{statutory_due}）确定")
                if self.later.due <= statutory_due:
                    self.warnings.append(f"确定的合理期限不晚于法定答复期限（{statutory_due}），仍按法定期限")
                else:
                    later = self.later
                    due = later.due
                    allowance = _counted(cal, self.start, due, merged)
            # Only pauses that overlap the counted span matter to this clock.
            provisional = any(p.open for p in pauses if p.ends > self.start and p.begins < due)
            if explain:
                derivation = self._derivation(self.received, self.start, pauses, later)
            if self.fee_notice is not None and self.fee_notice.date > due:
                self.warnings.append(f"收费通知应在答复期限（{due}）内发出")
            if self.extensions and self.extensions[-1].date > original_due:
                self.warnings.append(f"延期晚于原答复期限（{original_due}）批准")

        if isinstance(self.end, Answered):
            status = Status.ANSWERED
        elif isinstance(self.end, Withdrawn):
            status = Status.WITHDRAWN
        elif isinstance(self.end, Abandoned):
            status = _ABANDONED[self.end.reason]
        elif lapsed:
            status = Status.LAPSED
        elif self.start is None:
            status = Status.AWAITING_SUPPLEMENT
        elif any(p.open for p in pauses):
            status = Status.PAUSED
        else:
            status = Status.RUNNING

        if self.start is not None and status in (Status.RUNNING, Status.PAUSED):
            remaining = allowance - _counted(cal, self.start, as_of, merged)
        overdue = due is not None and (
            (status is Status.ANSWERED and closed_on is not None and closed_on > due)
            or (status in (Status.RUNNING, Status.PAUSED) and as_of > due)
        )
        supplement_due = self.supplement.due if self.supplement is not None else None
        return ClockState(
            as_of=as_of,
            status=status,
            received=self.received.date,
            supplement_notice_due=cal.add_workdays(self.received.date, SUPPLEMENT_NOTICE_WORKDAYS),
            supplement_due=supplement_due,
            supplement_overdue=status is Status.AWAITING_SUPPLEMENT
            and supplement_due is not None
            and as_of > supplement_due,
            answer_due=due,
            provisional=provisional and status is Status.PAUSED,
            remaining_workdays=remaining,
            overdue=overdue,
            consultations=(*self.closed_consultations, *self.consultations.values()),
            fee_payment_due=fee_due,
            extension_workdays=sum(e.workdays for e in self.extensions),
            warnings=tuple(self.warnings),
            derivation=derivation,
        )

    def _consultation_pauses(self, as_of: date, closed_on: date | None) -> list[Pause]:
        pauses = []
        for c in (*self.closed_consultations, *self.consultations.values()):
            ends, is_open = _pause_end(c.ended, c.reply_due, as_of, closed_on)
            if c.ended is None and not is_open and closed_on is None:
                self.warnings.append(f"“{c.party}”未在答复期限 {c.reply_due} 前答复，已恢复计时")
            label = f"向{_CONSULTED_ZH[c.kind]}“{c.party}”征求意见（答复期限 {c.reply_due}）"
            pauses.append(
                Pause(
                    PauseKind.CONSULTATION,
                    label,
                    c.started,
                    ends,
                    is_open,
                    self.calendar.workdays_between(c.started, ends),
                )
            )
        return pauses

    def _derivation(
        self, received: Received, start: date, pauses: list[Pause], later: LaterDeadlineSet | None
    ) -> Derivation:
        """The day-by-day count up to the statutory due date, which `later` (Art. 35) may replace."""
        cal = self.calendar
        merged = _merge(pauses)
        allowance = ANSWER_WORKDAYS + sum(e.workdays for e in self.extensions)
        counted = 0
        segments: list[Segment] = []
        skipped: list[Day] = []
        makeup: list[Day] = []
        original_due = day = start
        first: date | None = None
        run = 0
        while counted < allowance:
            day += _DAY
            if any(s < day <= e for s, e in merged):
                if first is not None:
                    segments.append(Segment(first, day - _DAY, run))
                    first, run = None, 0
                continue
            info = cal.day(day)
            if not info.is_workday:
                skipped.append(info)
                continue
            counted += 1
            run += 1
            first = first or day
            if info.kind is DayKind.MAKEUP:
                makeup.append(info)
            if counted == ANSWER_WORKDAYS:
                original_due = day
        if first is not None:
            segments.append(Segment(first, day, run))
        # Only pauses that overlap the counted span matter to this clock.
        relevant = tuple(p for p in pauses if p.ends > start and p.begins < day)
        return Derivation(
            received=received,
            supplement=self.supplement,
            start=start,
            start_day=cal.day(start),
            extensions=tuple(self.extensions),
            original_due=original_due,
            statutory_due=day,
            later=later,
            due=later.due if later is not None else day,
            provisional=any(p.open for p in relevant),
            counted=tuple(segments),
            pauses=relevant,
            skipped=tuple(skipped),
            makeup=tuple(makeup),
            calendar_gaps=tuple(
                gap for y in range(start.year, day.year + 1) if (gap := missing_note(cal, y))
            ),
        )


def _pause_end(ended: date | None, latest: date, as_of: date, closed_on: date | None) -> tuple[date, bool]:
    """The last paused day and whether the pause is still open on `as_of`."""
    if ended is not None:
        return min(ended, latest), False
    if closed_on is not None:
        return min(closed_on, latest), False
    if as_of <= latest:
        return latest, True
    return latest, False


def _merge(pauses: Iterable[Pause]) -> list[tuple[date, date]]:
    merged: list[tuple[date, date]] = []
    for begins, ends in sorted((p.begins, p.ends) for p in pauses):
        if merged and begins <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], ends))
        else:
            merged.append((begins, ends))
    return merged


def _add_counted(cal: WorkCalendar, start: date, n: int, merged: list[tuple[date, date]]) -> date:
    """The n-th counted working day after `start`, skipping the merged pauses' days (begins, ends].

    The same day `_Replay._derivation` reaches walking day by day, found with a few bisections.
    """
    for begins, ends in merged:
        if ends <= start:
            continue
        due = cal.add_workdays(start, n)
        if due <= begins:
            return due
        if begins > start:
            n -= cal.workdays_between(start, begins)
        start = ends
    return cal.add_workdays(start, n)


def _counted(cal: WorkCalendar, start: date, end: date, merged: list[tuple[date, date]]) -> int:
    """Counted working days in (start, end]: working days minus those inside pauses."""
    if end <= start:
        return 0
    n = cal.workdays_between(start, end)
    for begins, ends in merged:
        lo, hi = max(begins, start), min(ends, end)
        if hi > lo:
            n -= cal.workdays_between(lo, hi)
    return n


def _runs(days: Iterable[Day]) -> list[list[Day]]:
    """Group days into runs of consecutive dates."""
    runs: list[list[Day]] = []
    for d in days:
        if runs and runs[-1][-1].date + _DAY == d.date:
            runs[-1].append(d)
        else:
            runs.append([d])
    return runs


def _day_zh(day: Day) -> str:
    return f"{WEEKDAY_ZH[day.date.weekday()]}，{'工作日' if day.is_workday else '非工作日'}"


def _md(d: date, year: int) -> str:
    return f"{d.month}月{d.day}日" if d.year == year else f"{d.year}年{d.month}月{d.day}日"


def _span(first: date, last: date, year: int) -> str:
    return _md(first, year) if first == last else f"{_md(first, year)}—{_md(last, year)}"
