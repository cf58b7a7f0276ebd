"""Paid work and the owner's word on its fee (issue 14 items 10 and 11), on a real SQLite file:
the owner's answer to an assessed or quoted fee and its refusals, paid work refused without
charges or agreement, the quote on the work order, amending the service type, chases and
the technician's report."""

from __future__ import annotations

import pytest

from repairdesk.domain.enums import Action, ServiceType, Status
from repairdesk.domain.paid_work import awaiting_owner, latest_decision
from repairdesk.errors import IllegalTransition, PermissionDenied, ValidationError
from repairdesk.services import chases, fees
from repairdesk.services import tickets as T
from repairdesk.services.sla import clocks_of
from repairdesk.services.work_orders import quoted_fee

CLERK = "李静"
TECH = "张建国"
LEADER = "周班长"


def _job(desk, clock, service: str = "assess", *, on_site: bool = False) -> str:
    form = T.IntakeForm(room="5-1-0302", caller="王先生", content="加装防盗网",
                        category="门窗", service_type=service)
    no = T.register_ticket(desk, form, CLERK).ticket_no
    clock.advance(minutes=1)
    T.dispatch_ticket(desk, no, TECH, CLERK)
    clock.advance(minutes=1)
    T.accept_ticket(desk, no, TECH)
    if on_site:
        clock.advance(minutes=10)
        T.arrive_ticket(desk, no, TECH)
    clock.advance(minutes=1)
    return no


def _clocks(desk, no: str) -> dict[str, str | None]:
    return {c.name.value: c.result for c in clocks_of(desk, T.get_ticket(desk, no))}


# ---------------------------------------------------------------------- the owner's answer


def test_the_owner_agrees_to_the_assessed_fee(staffed, clock):
    no = _job(staffed, clock)
    fees.assess_ticket(staffed, no, "80", LEADER, CLERK)
    record = T.get_ticket(staffed, no)
    assert awaiting_owner(record)
    assert _clocks(staffed, no)["arrive"] == "pending"
    clock.advance(minutes=40)  # the owner thinks it over: the arrival stands still
    assert _clocks(staffed, no)["arrive"] == "pending"
    record = fees.decide_ticket(staffed, no, True, CLERK)
    decision = latest_decision(record)
    assert decision and decision.agreed and decision.fee == 80
    assert record.status is Status.ACCEPTED and record.state.owner_agreed is True
    assert not awaiting_owner(record)
    assert record.events[-1].note  # the history says what was agreed
    assert quoted_fee(record) == 80


def test_the_owner_declines_and_the_job_ends(staffed, clock):
    no = _job(staffed, clock)
    fees.assess_ticket(staffed, no, "500", LEADER, CLERK)
    with pytest.raises(ValidationError) as e:  # declining needs the reason
        fees.decide_ticket(staffed, no, False, CLERK)
    assert e.value.field == "reason"
    record = fees.decide_ticket(staffed, no, False, CLERK, reason="业主嫌贵")
    assert record.status is Status.CLOSED and record.state.owner_agreed is False
    assert latest_decision(record).reason == "业主嫌贵"
    clock.advance(hours=20)  # the next day: nothing of it is late
    results = _clocks(staffed, no)
    assert results.get("arrive") is None and results.get("complete") is None
    assert results["assess"] == "met"
    with pytest.raises(IllegalTransition):
        T.arrive_ticket(staffed, no, TECH)
    with pytest.raises(IllegalTransition):
        fees.charge_ticket(staffed, no, [], [fees.parse_material("螺丝=1")], True, CLERK)


def test_refusals_of_the_owners_answer(staffed, clock):
    free = _job(staffed, clock, "free")
    with pytest.raises(ValidationError) as e:
        fees.decide_ticket(staffed, free, True, CLERK)
    assert e.value.field == "service_type"
    no = _job(staffed, clock)
    with pytest.raises(ValidationError) as e:  # the assessment comes first
        fees.decide_ticket(staffed, no, True, CLERK)
    assert e.value.field == "assess"
    fees.assess_ticket(staffed, no, "80", LEADER, CLERK)
    with pytest.raises(ValidationError) as e:  # the assessed fee is the one answered
        fees.decide_ticket(staffed, no, True, CLERK, fee="60")
    assert e.value.field == "fee"
    fees.decide_ticket(staffed, no, True, CLERK, fee="80")
    with pytest.raises(ValidationError) as e:  # answered once per assessment
        fees.decide_ticket(staffed, no, False, CLERK, reason="又不想修了")
    assert e.value.field == "assess"
    fees.assess_ticket(staffed, no, "120", LEADER, CLERK, note="现场发现还需更换锁体")
    assert awaiting_owner(T.get_ticket(staffed, no))
    fees.decide_ticket(staffed, no, True, CLERK)
    assert latest_decision(T.get_ticket(staffed, no)).fee == 120
    other = _job(staffed, clock)
    fees.assess_ticket(staffed, other, "0", LEADER, CLERK, feasible=False)
    with pytest.raises(ValidationError) as e:  # not feasible: the owner cannot agree
        fees.decide_ticket(staffed, other, True, CLERK)
    assert e.value.field == "agreed"
    assert fees.decide_ticket(staffed, other, False, CLERK,
                              reason="无法施工").status is Status.CLOSED


def test_paid_work_quoted_on_site(staffed, clock):
    no = _job(staffed, clock, "paid", on_site=True)
    assert quoted_fee(T.get_ticket(staffed, no)) is None  # the paper says "to be quoted"
    with pytest.raises(ValidationError) as e:  # agreed to what?
        fees.decide_ticket(staffed, no, True, CLERK)
    assert e.value.field == "fee"
    record = fees.decide_ticket(staffed, no, True, CLERK, fee="150")
    assert quoted_fee(record) == 150  # the finance copy prints the quote, not "to be quoted"
    # the owner changes his mind on site (000 十B): the job ends, the order goes back
    record = fees.decide_ticket(staffed, no, False, CLERK, reason="业主改为自行处理")
    assert record.status is Status.CLOSED


def test_the_work_order_prints_the_quote_once_there_is_one(staffed, clock):
    from repairdesk.services.work_orders import work_order

    no = _job(staffed, clock)

    def fee_line() -> str:
        sheet = work_order(staffed, T.get_ticket(staffed, no), reprint=0, job_id=None)
        return dict(sheet.rows)["报价"]

    assert fee_line() == "待报价"
    fees.assess_ticket(staffed, no, "80", LEADER, CLERK)
    assert fee_line() == "¥80.00"


# ---------------------------------------------------------------------- paid work refused


def test_paid_work_is_not_completed_without_charges(staffed, clock):
    no = _job(staffed, clock, "paid", on_site=True)
    with pytest.raises(ValidationError) as e:
        T.complete_ticket(staffed, no, "换好了", TECH)
    assert e.value.field == "charge" and "\n" not in str(e.value)
    assert T.get_ticket(staffed, no).status is Status.ON_SITE
    fees.charge_ticket(staffed, no, [fees.parse_item(staffed, "toilet", staffed.now())], [],
                       True, CLERK)
    assert T.complete_ticket(staffed, no, "换好了", TECH).status is Status.COMPLETED


def test_an_assessed_job_needs_the_owners_agreement_then_charges(staffed, clock):
    no = _job(staffed, clock, on_site=True)
    with pytest.raises(ValidationError) as e:
        T.complete_ticket(staffed, no, "装好了", TECH)
    assert e.value.field == "assess"
    fees.assess_ticket(staffed, no, "80", LEADER, CLERK)
    with pytest.raises(ValidationError) as e:
        T.complete_ticket(staffed, no, "装好了", TECH)
    assert e.value.field == "agreed"
    fees.decide_ticket(staffed, no, True, CLERK)
    with pytest.raises(ValidationError) as e:
        T.complete_ticket(staffed, no, "装好了", TECH)
    assert e.value.field == "charge"
    record = fees.charge_ticket(staffed, no, [], [], True, CLERK)  # the assessed fee alone
    assert fees.latest_bill(record).total == 80
    assert T.complete_ticket(staffed, no, "装好了", TECH).status is Status.COMPLETED


def test_a_job_amended_to_paid_is_not_returned_or_closed_without_charges(staffed, clock):
    returned = _job(staffed, clock, "free", on_site=True)
    T.complete_ticket(staffed, returned, "修好", TECH)
    T.amend_ticket(staffed, returned, {"service_type": "paid"}, CLERK, note="业主自购洁具")
    with pytest.raises(ValidationError) as e:
        T.return_ticket(staffed, returned, CLERK)
    assert e.value.field == "charge"
    fees.charge_ticket(staffed, returned, [fees.parse_item(staffed, "tap", staffed.now())], [],
                       True, CLERK)
    assert T.return_ticket(staffed, returned, CLERK).status is Status.RETURNED

    closed = _job(staffed, clock, "free", on_site=True)
    T.complete_ticket(staffed, closed, "修好", TECH)
    T.return_ticket(staffed, closed, CLERK)
    T.callback_ticket(staffed, closed, True, CLERK)
    T.amend_ticket(staffed, closed, {"service_type": "paid"}, CLERK, note="补收费用")
    with pytest.raises(ValidationError) as e:
        T.close_ticket(staffed, closed, CLERK)
    assert e.value.field == "charge"
    fees.charge_ticket(staffed, closed, [], [fees.parse_material("阀芯=20")], True, CLERK)
    assert T.close_ticket(staffed, closed, CLERK).status is Status.CLOSED


def test_amending_the_service_type_keeps_the_old_value_in_the_history(staffed, clock):
    no = _job(staffed, clock, "free")
    clock.advance(minutes=30)  # arrival due 10:20 passed: missed
    assert _clocks(staffed, no)["arrive"] == "missed"
    record = T.amend_ticket(staffed, no, {"service_type": "paid"}, CLERK, note="现场发现为有偿")
    assert record.intake.service_type is ServiceType.PAID
    amend = record.events[-1]
    assert amend.action is Action.AMEND
    assert amend.data["previous"] == {"service_type": "free"}
    assert _clocks(staffed, no)["arrive"] == "missed"
    with pytest.raises(ValidationError):
        T.amend_ticket(staffed, no, {"service_type": "gratis"}, CLERK)


# ---------------------------------------------------------------------- chases and reports


def test_a_chase_stops_no_clock_and_a_report_stops_feedback(staffed, clock):
    no = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                 content="漏水"), CLERK).ticket_no
    with pytest.raises(IllegalTransition):  # nobody to report yet
        chases.report_ticket(staffed, no, "到了", CLERK)
    with pytest.raises(ValidationError) as e:  # nobody sent: name whom
        chases.chase_ticket(staffed, no, "催派工", CLERK)
    assert e.value.field == "whom"
    chases.chase_ticket(staffed, no, "请班长派人", CLERK, whom=LEADER)
    T.dispatch_ticket(staffed, no, TECH, CLERK)
    clock.advance(minutes=60)
    with pytest.raises(ValidationError):
        chases.chase_ticket(staffed, no, "  ", CLERK)
    with pytest.raises(ValidationError):
        chases.chase_ticket(staffed, no, "催", CLERK, whom="无此人")
    record = chases.chase_ticket(staffed, no, "电话未接", CLERK)
    assert record.events[-1].data == {"chased": TECH}
    assert _clocks(staffed, no)["feedback"] == "pending"
    clock.advance(minutes=30)
    with pytest.raises(PermissionDenied):  # only the technician sent reports for himself
        chases.report_ticket(staffed, no, "我来说", "王师傅")
    record = chases.report_ticket(staffed, no, "在别的单上，半小时后到", TECH)  # himself
    assert record.events[-1].by == TECH
    assert record.events[-1].data == {"technician_report": True, "technician": TECH}
    assert _clocks(staffed, no)["feedback"] == "met"


def test_no_chase_on_a_closed_ticket(staffed, clock):
    no = _job(staffed, clock)
    fees.assess_ticket(staffed, no, "80", LEADER, CLERK)
    fees.decide_ticket(staffed, no, False, CLERK, reason="不修了")
    with pytest.raises(IllegalTransition):
        chases.chase_ticket(staffed, no, "催", CLERK)


def test_the_daily_report_says_the_owner_has_not_answered(staffed, clock):
    from repairdesk.i18n import _
    from repairdesk.services import daily

    waiting = _("the owner has not answered the assessed fee yet")
    no = _job(staffed, clock)
    fees.assess_ticket(staffed, no, "80", LEADER, CLERK)
    (row,) = [o for o in daily.day_report(staffed).outstanding if o.ticket_no == no]
    assert row.reason == waiting
    fees.decide_ticket(staffed, no, True, CLERK)
    (row,) = [o for o in daily.day_report(staffed).outstanding if o.ticket_no == no]
    assert row.reason != waiting
