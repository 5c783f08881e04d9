"""The request clock derived from events. Expected dates are counted by hand (comments show the count)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gongkai.clock import (
    Abandoned,
    AbandonReason,
    Answered,
    Channel,
    ClockError,
    ConsultationEnded,
    ConsultationKind,
    ConsultationStarted,
    Event,
    ExtensionApproved,
    FeeNoticeIssued,
    FeePaid,
    LaterDeadlineSet,
    Received,
    Status,
    SupplementReceived,
    SupplementRequested,
    Withdrawn,
    WorkCalendar,
    derive,
    statutory_holidays,
)

CAL = WorkCalendar()
SAT = Received(date(2025, 9, 27), Channel.IN_PERSON)
MON = Received(date(2025, 11, 3), Channel.ONLINE)  # a quiet month: no holidays until 2026


def test_saturday_receipt_across_national_day() -> None:
    state = derive([SAT], CAL, as_of=date(2025, 10, 9))
    assert state.status is Status.RUNNING and not state.paused
    assert state.answer_due == date(2025, 10, 30)
    assert state.remaining_workdays == 16  # 9-28 (make-up Sunday), 9-29, 9-30, 10-9 counted
    assert not state.overdue
    lines = state.lines()
    assert lines[1] == "2025-09-27 收到申请（当面提交，以提交之日为收到之日；周六，非工作日）"
    assert "自次日起算 20 个工作日" in lines
    assert "跳过国庆节、中秋节假期 10月1日—10月8日" in lines
    assert "9月28日（周日）为调休工作日，计入" in lines
    assert "10月11日（周六）为调休工作日，计入" in lines
    assert lines[-1] == "答复期限 2025-10-30"
    derivation = state.derivation
    assert derivation is not None
    assert date(2025, 10, 1) in [d.date for d in derivation.skipped]
    assert [d.date for d in derivation.makeup] == [date(2025, 9, 28), date(2025, 10, 11)]


def test_overdue_is_relative_to_as_of() -> None:
    assert derive([SAT], CAL, date(2025, 10, 30)).remaining_workdays == 0
    assert not derive([SAT], CAL, date(2025, 10, 30)).overdue
    late = derive([SAT], CAL, date(2025, 10, 31))
    assert late.overdue and late.remaining_workdays == -1


def test_the_countdown_says_overdue_in_working_days() -> None:
    assert derive([SAT], CAL, date(2025, 10, 29)).countdown_zh == "剩余 1 个工作日"
    assert derive([SAT], CAL, date(2025, 10, 31)).countdown_zh == "已超期 1 个工作日"
    late = derive([SAT], CAL, date(2025, 11, 3))  # Friday 31st and Monday 3rd past the due date
    assert late.countdown_zh == "已超期 2 个工作日" and late.lines()[0] == "状态：已超期 2 个工作日"
    assert derive([SAT], CAL, date(2025, 11, 1)).countdown_zh == "已超期 1 个工作日"  # a Saturday
    assert derive([SAT, Answered(date(2025, 10, 31))], CAL, date(2026, 3, 1)).countdown_zh == "已答复"


def test_events_after_as_of_are_ignored() -> None:
    state = derive([SAT, Answered(date(2025, 10, 20))], CAL, date(2025, 10, 10))
    assert state.status is Status.RUNNING


def test_answered_on_time_and_late() -> None:
    on_time = derive([SAT, Answered(date(2025, 10, 30))], CAL, date(2026, 3, 1))
    assert on_time.status is Status.ANSWERED and not on_time.overdue and on_time.remaining_workdays is None
    late = derive([SAT, Answered(date(2025, 10, 31))], CAL, date(2026, 3, 1))
    assert late.overdue
    assert derive([SAT, Withdrawn(date(2025, 10, 31))], CAL, date(2026, 3, 1)).status is Status.WITHDRAWN


def test_makeup_sunday_receipt() -> None:
    state = derive([Received(date(2026, 1, 4), Channel.SIGNED_POST)], CAL, date(2026, 1, 5))
    assert state.answer_due == date(2026, 1, 30)
    assert "（邮寄，以签收之日为收到之日；周日，工作日）" in state.lines()[1]


def test_spring_festival_and_year_boundary() -> None:
    assert derive([Received(date(2026, 2, 6), Channel.FAX)], CAL, date(2026, 2, 6)).answer_due == date(
        2026, 3, 12
    )
    state = derive([Received(date(2025, 12, 15), Channel.IN_PERSON)], CAL, date(2025, 12, 15))
    assert state.answer_due == date(2026, 1, 13)
    assert "跳过元旦假期 2026年1月1日—2026年1月3日" in state.lines()
    assert "2026年1月4日（周日）为调休工作日，计入" in state.lines()


def test_supplement_restarts_the_clock() -> None:
    received = Received(date(2025, 9, 29), Channel.IN_PERSON)
    asked = SupplementRequested(date(2025, 10, 10), due=date(2025, 10, 20))
    waiting = derive([received, asked], CAL, date(2025, 10, 14))
    # 9-30 (1), 10-9 (2), 10-10 (3), Sat 10-11 make-up (4), 10-13..15 (7).
    assert waiting.supplement_notice_due == date(2025, 10, 15)
    assert waiting.status is Status.AWAITING_SUPPLEMENT
    assert waiting.answer_due is None and waiting.derivation is None and not waiting.overdue
    assert waiting.supplement_due == date(2025, 10, 20) and not waiting.supplement_overdue
    assert derive([received, asked], CAL, date(2025, 10, 21)).supplement_overdue
    # Restart from 10-15: 10-16..17 (2), 20–24 (7), 27–31 (12), Nov 3–7 (17), 10–12 (20).
    state = derive([received, asked, SupplementReceived(date(2025, 10, 15))], CAL, date(2025, 10, 15))
    assert state.answer_due == date(2025, 11, 12)
    assert state.warnings == ()
    assert "2025-10-10 告知补正，原期限作废" in state.lines()


def test_late_supplement_notice_is_a_warning() -> None:
    # 9-28 (make-up Sunday), 9-29, 9-30, 10-9, 10-10, 10-11 (make-up Saturday), 10-13.
    state = derive([SAT, SupplementRequested(date(2025, 10, 20))], CAL, date(2025, 10, 20))
    assert state.warnings == ("补正告知晚于收到申请后 7 个工作日（2025-10-13）",)


def test_consultation_pauses_the_clock() -> None:
    start = ConsultationStarted(date(2025, 11, 10), "某公司")
    # Without a pause: Nov 4–7 (4), 10–14 (9), 17–21 (14), 24–28 (19), Dec 1 (20).
    assert derive([MON], CAL, date(2025, 11, 3)).answer_due == date(2025, 12, 1)
    # Paused Nov 11–14 (4 working days): the due date moves four working days to Dec 5.
    done = derive([MON, start, ConsultationEnded(date(2025, 11, 14), "某公司")], CAL, date(2025, 11, 20))
    assert done.status is Status.RUNNING and done.answer_due == date(2025, 12, 5)
    assert done.remaining_workdays == 20 - 5 - 4  # Nov 4–7, 10 before; 17–20 after
    assert done.consultations[0].reply_due == date(2025, 12, 1)  # 15 working days after the letter
    pause = done.derivation.pauses[0] if done.derivation else None
    assert pause is not None and pause.workdays == 4 and not pause.open
    assert any(line.startswith("2025-11-10 向第三方“某公司”征求意见") for line in done.lines())
    assert "计入的工作日：11月4日—11月10日 5 个；11月17日—12月5日 15 个" in done.lines()


def test_open_consultation_is_provisional_and_capped() -> None:
    start = ConsultationStarted(date(2025, 11, 10), "市财政局", ConsultationKind.OTHER_AGENCY)
    open_ = derive([MON, start], CAL, date(2025, 11, 12))
    assert open_.paused and open_.provisional
    assert open_.remaining_workdays == 15
    # Assumed paused through the reply deadline Dec 1, resume Dec 2: 2–5 (9), 8–12 (14), 15–19 (19), 22.
    assert open_.answer_due == date(2025, 12, 22)
    assert open_.lines()[-1] == "答复期限 2025-12-22（暂定）"
    # No reply by the deadline: the clock runs again and the date stays.
    silent = derive([MON, start], CAL, date(2025, 12, 2))
    assert silent.status is Status.RUNNING and not silent.provisional
    assert silent.answer_due == date(2025, 12, 22)
    assert silent.warnings == ("“市财政局”未在答复期限 2025-12-01 前答复，已恢复计时",)
    # A late reply does not stretch the pause.
    late = derive([MON, start, ConsultationEnded(date(2025, 12, 5), "市财政局")], CAL, date(2025, 12, 5))
    assert late.answer_due == date(2025, 12, 22)


def test_overlapping_consultations_pause_once() -> None:
    events: list[Event] = [
        MON,
        ConsultationStarted(date(2025, 11, 10), "甲"),
        ConsultationStarted(date(2025, 11, 12), "乙"),
        ConsultationEnded(date(2025, 11, 14), "甲"),
        ConsultationEnded(date(2025, 11, 18), "乙"),
    ]
    # Paused Nov 11–18: 6 working days. Dec 1 + 6 = Dec 9.
    assert derive(events, CAL, date(2025, 11, 20)).answer_due == date(2025, 12, 9)


def test_supplement_consultation_and_extension_combined() -> None:
    events: list[Event] = [
        SAT,
        SupplementRequested(date(2025, 9, 30)),
        SupplementReceived(date(2025, 10, 9)),
        ConsultationStarted(date(2025, 10, 20), "公司A"),
        ConsultationEnded(date(2025, 10, 24), "公司A"),
        ExtensionApproved(date(2025, 11, 10), 6),
        ExtensionApproved(date(2025, 11, 10), 4),
    ]
    # From 10-9: 10-10 (1), Sat 10-11 (2), 13–17 (7), 20 (8); paused 21–24; 27–31 (13), Nov 3–7 (18),
    # 10–11 (20) = original due; +10: 12–14 (23), 17–21 (28), 24–25 (30).
    state = derive(events, CAL, date(2025, 11, 12))
    assert state.derivation is not None and state.derivation.original_due == date(2025, 11, 11)
    assert state.answer_due == date(2025, 11, 25)
    assert state.extension_workdays == 10
    assert state.remaining_workdays == 9
    assert state.warnings == ()
    lines = state.lines()
    assert "原答复期限 2025-11-11" in lines
    assert "2025-11-10 批准延期 6 个工作日，自原答复期限起顺延" in lines
    assert lines[-1] == "答复期限 2025-11-25"


def test_extension_limit() -> None:
    with pytest.raises(ClockError) as caught:
        derive(
            [SAT, ExtensionApproved(date(2025, 10, 20), 15), ExtensionApproved(date(2025, 10, 21), 6)],
            CAL,
            date(2025, 11, 1),
        )
    assert "20 个工作日" in caught.value.zh and "20" in caught.value.en
    assert isinstance(caught.value, ValueError)
    exactly = derive([SAT, ExtensionApproved(date(2025, 10, 20), 20)], CAL, date(2025, 11, 1))
    assert exactly.answer_due == CAL.add_workdays(date(2025, 10, 30), 20)


def test_late_extension_is_a_warning() -> None:
    state = derive([SAT, ExtensionApproved(date(2025, 10, 31), 5)], CAL, date(2025, 10, 31))
    assert state.answer_due == date(2025, 11, 6)
    assert state.warnings == ("延期晚于原答复期限（2025-10-30）批准",)


@pytest.mark.parametrize(
    "events",
    [
        [Answered(date(2025, 9, 1)), Received(date(2025, 9, 2), Channel.IN_PERSON)],  # answer before receipt
        [SAT, SupplementReceived(date(2025, 10, 9))],  # supplement nobody asked for
        [
            SAT,
            SupplementRequested(date(2025, 9, 29)),
            SupplementReceived(date(2025, 10, 9)),
            SupplementRequested(date(2025, 10, 10)),
        ],  # a second 补正 notice
        [SAT, SupplementRequested(date(2025, 9, 29)), ExtensionApproved(date(2025, 10, 9), 5)],
        [SAT, ConsultationEnded(date(2025, 10, 9), "甲")],
        [SAT, ConsultationStarted(date(2025, 10, 9), "甲"), ConsultationStarted(date(2025, 10, 10), "甲")],
        [SAT, FeePaid(date(2025, 10, 9))],
        [SAT, Answered(date(2025, 10, 9)), ExtensionApproved(date(2025, 10, 10), 5)],
        [SAT, SAT],
        [SAT, ExtensionApproved(date(2025, 10, 9), 0)],
        [],
    ],
)
def test_invalid_sequences(events: list[Event]) -> None:
    with pytest.raises(ClockError) as caught:
        derive(events, CAL, date(2025, 12, 31))
    assert caught.value.zh and caught.value.en


def test_fee_period() -> None:
    notice = FeeNoticeIssued(date(2025, 11, 10))
    paid = FeePaid(date(2025, 11, 14))
    waiting = derive([MON, notice], CAL, date(2025, 11, 12))
    # Nov 11–14 (4), 17–21 (9), 24–28 (14), Dec 1–5 (19), 8 (20).
    assert waiting.fee_payment_due == date(2025, 12, 8)
    assert waiting.paused
    assert derive([MON, notice, paid], CAL, date(2025, 11, 20)).answer_due == date(2025, 12, 5)
    unpaused = derive([MON, notice, paid], CAL, date(2025, 11, 20), fee_pauses_clock=False)
    assert unpaused.answer_due == date(2025, 12, 1) and unpaused.fee_payment_due == date(2025, 12, 8)
    assert derive([MON, notice], CAL, date(2025, 12, 9)).status is Status.LAPSED
    assert derive([MON, notice], CAL, date(2025, 12, 8)).status is Status.PAUSED


def test_a_request_closed_as_abandoned_says_why_and_is_never_late() -> None:
    asked = SupplementRequested(date(2025, 11, 4), due=date(2025, 11, 19))
    closed = derive(
        [MON, asked, Abandoned(date(2026, 1, 20), AbandonReason.NO_SUPPLEMENT)], CAL, date(2026, 2, 1)
    )
    assert closed.status is Status.ABANDONED_NO_SUPPLEMENT and not closed.overdue
    assert closed.lines()[0] == "状态：逾期未补正，视为放弃申请，已结案"
    notice = FeeNoticeIssued(date(2025, 11, 10))
    lapsed = derive(
        [MON, notice, Abandoned(date(2025, 12, 9), AbandonReason.UNPAID_FEE)], CAL, date(2026, 3, 1)
    )
    assert lapsed.status is Status.ABANDONED_UNPAID_FEE and not lapsed.overdue
    assert "已答复" not in lapsed.countdown_zh and "逾期未缴费" in lapsed.countdown_zh
    with pytest.raises(ClockError):  # closed is closed, whatever the reason
        derive(
            [
                MON,
                notice,
                Abandoned(date(2025, 12, 9), AbandonReason.UNPAID_FEE),
                FeePaid(date(2025, 12, 10)),
            ],
            CAL,
            date(2026, 3, 1),
        )


def test_changing_the_calendar_re_derives() -> None:
    events: list[Event] = [SAT]
    assert derive(events, CAL, date(2025, 10, 9)).answer_due == date(2025, 10, 30)
    local = CAL.with_overrides({date(2025, 10, 29): False}, {date(2025, 10, 29): "地方假日"})
    state = derive(events, local, date(2025, 10, 9))
    assert state.answer_due == date(2025, 10, 31)
    assert "跳过地方假日假期 10月29日" in state.lines()


def test_uncovered_year_is_flagged_in_the_explanation() -> None:
    received = Received(date(2026, 12, 15), Channel.IN_PERSON)
    guessed = derive([received], WorkCalendar(), date(2026, 12, 15))
    # New Year's Day 2027 is known without entry: Dec 16–18, 21–25, 28–31, Jan 4–8, 11–13.
    assert guessed.answer_due == date(2027, 1, 13)
    assert (
        "2027年春节、清明节、端午节、中秋节的放假和调休安排尚未录入，按周一至周五推算，请核对"
        in guessed.lines()
    )
    entered = {d: False for h in statutory_holidays(2027) if not h.fixed_date for d in h.days}
    complete = derive([received], WorkCalendar(entered), date(2026, 12, 15))
    assert complete.answer_due == date(2027, 1, 13)
    assert not any("尚未录入" in line for line in complete.lines())


# Properties --------------------------------------------------------------------------------------

covered = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 10, 31))


@given(covered, st.sampled_from(list(Channel)))
def test_plain_due_is_twenty_workdays_after_receipt(d: date, channel: Channel) -> None:
    state = derive([Received(d, channel)], CAL, d)
    assert state.answer_due == CAL.add_workdays(d, 20)
    assert state.remaining_workdays == 20


@given(covered, st.integers(0, 25), st.integers(0, 20), st.integers(0, 20))
def test_consultation_shifts_due_by_paused_workdays(
    d: date, offset: int, length: int, extension: int
) -> None:
    plain_due = CAL.add_workdays(d, 20)
    started = CAL.add_workdays(d, offset) if offset else d
    assume(started < plain_due)
    ended = min(CAL.add_workdays(started, length), CAL.add_workdays(started, 15))
    events: list[Event] = [
        Received(d, Channel.IN_PERSON),
        ConsultationStarted(started, "甲"),
        ConsultationEnded(ended, "甲"),
    ]
    if extension:
        events.append(ExtensionApproved(ended, extension))
    state = derive(events, CAL, ended)
    paused = CAL.workdays_between(started, ended)
    assert state.answer_due == CAL.add_workdays(d, 20 + extension + paused)
    assert state.derivation is not None
    assert sum(s.workdays for s in state.derivation.counted) == 20 + extension


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Event], date]:
    """A receipt and up to 8 later events of any kind, days apart (some sequences are unlawful)."""
    day = draw(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 6, 30)))
    events: list[Event] = [Received(day, draw(st.sampled_from(list(Channel))))]
    for _ in range(draw(st.integers(0, 8))):
        day = date.fromordinal(day.toordinal() + draw(st.integers(0, 30)))
        party = draw(st.sampled_from(["甲", "乙"]))
        events.append(
            draw(
                st.sampled_from(
                    [
                        SupplementRequested(day, draw(st.none() | st.just(day))),
                        SupplementReceived(day),
                        ConsultationStarted(day, party, draw(st.sampled_from(list(ConsultationKind)))),
                        ConsultationEnded(day, party),
                        ExtensionApproved(day, draw(st.integers(1, 20))),
                        FeeNoticeIssued(day),
                        FeePaid(day),
                        Answered(day),
                        Withdrawn(day),
                    ]
                )
            )
        )
    as_of = date.fromordinal(day.toordinal() + draw(st.integers(-20, 60)))
    return events, as_of


@settings(max_examples=500)
@given(histories(), st.booleans())
def test_unexplained_state_is_the_explained_one_without_its_derivation(
    history: tuple[list[Event], date], fee_pauses_clock: bool
) -> None:
    events, as_of = history
    try:
        explained = derive(events, CAL, as_of, fee_pauses_clock=fee_pauses_clock)
    except ClockError:
        with pytest.raises(ClockError):
            derive(events, CAL, as_of, fee_pauses_clock=fee_pauses_clock, explain=False)
        return
    fast = derive(events, CAL, as_of, fee_pauses_clock=fee_pauses_clock, explain=False)
    assert fast == replace(explained, derivation=None)
    if explained.derivation is not None:
        assert fast.answer_due == explained.derivation.due


# Art. 35: a reasonable later deadline for a mass or repeated request --------------------------------


def test_a_reasonable_later_deadline_replaces_the_statutory_one() -> None:
    later = LaterDeadlineSet(date(2025, 11, 20), date(2025, 12, 31))
    state = derive([MON, later], CAL, as_of=date(2025, 12, 15))
    assert state.answer_due == date(2025, 12, 31) and not state.overdue
    assert state.remaining_workdays == 12  # 12-16..19 (4), 22..26 (5), 29..31 (3)
    assert derive([MON, later], CAL, date(2025, 12, 15), explain=False) == replace(state, derivation=None)
    lines = state.lines()
    assert "法定答复期限 2025-12-01" in lines  # 11-04..12-01: 20 working days, no holiday
    assert "2025-11-20 依《条例》第三十五条确定延迟答复的合理期限 2025-12-31" in lines
    assert lines[-1] == "答复期限 2025-12-31"
    assert derive([MON, later], CAL, as_of=date(2026, 1, 5)).overdue
    assert not derive([MON, later, Answered(date(2025, 12, 30))], CAL, date(2026, 1, 5)).overdue


def test_a_later_deadline_that_is_not_later_keeps_the_statutory_one_with_a_warning() -> None:
    state = derive([MON, LaterDeadlineSet(date(2025, 11, 20), date(2025, 11, 28))], CAL, date(2025, 11, 21))
    assert state.answer_due == date(2025, 12, 1)
    assert any("不晚于法定答复期限" in w for w in state.warnings)
    late = derive([MON, LaterDeadlineSet(date(2025, 12, 3), date(2026, 1, 30))], CAL, date(2025, 12, 4))
    assert late.answer_due == date(2026, 1, 30) and any("晚于法定答复期限" in w for w in late.warnings)


@pytest.mark.parametrize(
    "events",
    [
        [
            MON,
            LaterDeadlineSet(date(2025, 11, 5), date(2025, 12, 31)),
            LaterDeadlineSet(date(2025, 11, 6), date(2026, 1, 9)),
        ],
        [
            MON,
            SupplementRequested(date(2025, 11, 4)),
            LaterDeadlineSet(date(2025, 11, 5), date(2025, 12, 31)),
        ],
        [MON, LaterDeadlineSet(date(2025, 11, 5), date(2025, 11, 5))],
    ],
    ids=["twice", "awaiting-supplement", "not-after-the-day"],
)
def test_impossible_later_deadlines_are_refused(events: list[Event]) -> None:
    with pytest.raises(ClockError):
        derive(events, CAL, date(2025, 11, 10))
