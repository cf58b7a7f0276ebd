"""The desk's side steps (issue 14, items 12 and 16): a vacant unit closes only after the
clerk's verification, whether vacant from the call or marked later; "told to collect" is a desk
step; a follow-up's weekly entry reminder and its leader's and supervisor's checks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from repairdesk.domain.enums import Action, Status
from repairdesk.errors import IllegalTransition, PermissionDenied, ValidationError
from repairdesk.services import desk_steps as D
from repairdesk.services import signing
from repairdesk.services import tickets as T

pytestmark = pytest.mark.usefixtures("fast_pins")
PIN = "246810"


def _done(desk, vacant: bool = False) -> str:
    r = T.register_ticket(desk, T.IntakeForm(room="5-1-0802", caller="王先生",
                                             content="空房水管滴水", category="水",
                                             vacant=vacant), "李静")
    no = r.ticket_no
    T.dispatch_ticket(desk, no, "张建国", "李静")
    T.arrive_ticket(desk, no, "张建国")
    T.complete_ticket(desk, no, "换阀门", "张建国")
    T.return_ticket(desk, no, "李静")
    T.callback_ticket(desk, no, True, "李静")
    return no


def test_vacant_at_intake_is_kept_and_needs_verification(staffed):
    no = _done(staffed, vacant=True)
    assert T.get_ticket(staffed, no).intake.vacant
    with pytest.raises(ValidationError) as err:
        T.close_ticket(staffed, no, "李静")
    assert err.value.field == "verified"
    assert T.close_ticket(staffed, no, "李静", verified=True).status is Status.CLOSED


def test_marked_vacant_later_by_amendment(staffed):
    no = _done(staffed)
    record = D.mark_vacant(staffed, no, True, "李静", note="业主说房子空着")
    assert record.state.vacant and record.events[-1].action is Action.AMEND
    assert record.events[-1].data["previous"] == {"vacant": False}
    with pytest.raises(ValidationError):
        D.mark_vacant(staffed, no, True, "李静")  # nothing to change
    with pytest.raises(ValidationError):
        T.close_ticket(staffed, no, "李静")
    D.mark_vacant(staffed, no, False, "李静")
    assert T.close_ticket(staffed, no, "李静").status is Status.CLOSED


def test_a_public_area_cannot_be_vacant(staffed):
    with pytest.raises(ValidationError) as err:
        T.register_ticket(staffed, T.IntakeForm(room="1号楼电梯厅", scope="public",
                                                caller="王先生", content="灯不亮",
                                                vacant=True), "李静")
    assert err.value.field == "vacant"


def test_notified_after_dispatch_only(staffed, clock):
    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="门锁坏了"), "李静")
    with pytest.raises(IllegalTransition):
        D.notify_ticket(staffed, r.ticket_no, "李静")
    T.dispatch_ticket(staffed, r.ticket_no, "张建国", "李静")
    clock.advance(minutes=1)
    record = D.notify_ticket(staffed, r.ticket_no, "李静")
    assert record.events[-1].action is Action.NOTIFY and record.status is Status.DISPATCHED
    with pytest.raises(PermissionDenied):  # the desk's step, not the technician's
        D.notify_ticket(staffed, r.ticket_no, "张建国")


def _follow_up(desk, clock) -> str:
    r = T.register_ticket(desk, T.IntakeForm(room="3-2-1501", caller="王先生",
                                             content="阀门坏了"), "李静")
    T.dispatch_ticket(desk, r.ticket_no, "张建国", "李静")
    T.follow_up_ticket(desk, r.ticket_no, "需订配件", "李静")
    return r.ticket_no


def test_weekly_entry_reminder(staffed, clock):
    no = _follow_up(staffed, clock)
    clock.advance(days=7, seconds=-1)
    assert D.follow_ups_due(staffed) == []
    clock.advance(seconds=1)
    (due,) = D.follow_ups_due(staffed)
    assert due.ticket_no == no and due.due_at == staffed.now()
    T.follow_up_ticket(staffed, no, "已联系业主", "李静")
    assert D.follow_ups_due(staffed) == []


def test_leader_and_supervisor_checks(staffed, clock):
    signing.set_pin_unchecked(staffed, "吴主管", PIN)
    no = _follow_up(staffed, clock)
    with pytest.raises(PermissionDenied):  # a technician is no team leader
        D.check_follow_up(staffed, no, "leader", "张建国", "李静")
    record = D.check_follow_up(staffed, no, "leader", "周班长", "李静", comment="已核实")
    assert record.events[-1].data["signer"] == "周班长"
    with pytest.raises(PermissionDenied):
        D.check_follow_up(staffed, no, "supervisor", "吴主管", "李静", pin="000000")
    with pytest.raises(PermissionDenied):  # the leader may not sign as supervisor
        D.check_follow_up(staffed, no, "supervisor", "周班长", "李静", pin=PIN)
    record = D.check_follow_up(staffed, no, "supervisor", "吴主管", "李静", pin=PIN)
    e = record.events[-1]
    assert e.action is Action.FOLLOW_UP_CHECK
    assert e.data == {"level": "supervisor", "signer": "吴主管", "pin_checked": True}
    assert e.by == "李静"


def test_only_a_follow_up_is_checked(staffed):
    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="门锁坏了"), "李静")
    with pytest.raises(ValidationError):
        D.check_follow_up(staffed, r.ticket_no, "leader", "周班长", "李静")
    with pytest.raises(ValidationError):
        D.check_follow_up(staffed, r.ticket_no, "boss", "周班长", "李静")


def test_free_job_records_materials_without_charge(staffed, clock):
    from decimal import Decimal

    from repairdesk.domain.fees import MaterialUse
    from repairdesk.domain.materials import free_materials
    from repairdesk.services import reports

    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="水龙头漏水"), "李静")
    no = r.ticket_no
    T.dispatch_ticket(staffed, no, "张建国", "李静")
    parts = [MaterialUse("角阀", Decimal("18.00"), Decimal("2"))]
    with pytest.raises(IllegalTransition):  # not on site yet
        D.record_materials(staffed, no, parts, "李静")
    T.arrive_ticket(staffed, no, "张建国")
    with pytest.raises(ValidationError):
        D.record_materials(staffed, no, [], "李静")
    D.record_materials(staffed, no, [MaterialUse("生料带", Decimal("2.00"))], "李静")
    record = D.record_materials(staffed, no, parts, "李静")  # the later entry is in force
    assert free_materials(record) == tuple(parts)
    paid = T.register_ticket(staffed, T.IntakeForm(room="3-2-1502", caller="李女士",
                                                   content="换灯", service_type="paid"), "李静")
    T.dispatch_ticket(staffed, paid.ticket_no, "张建国", "李静")
    T.arrive_ticket(staffed, paid.ticket_no, "张建国")
    with pytest.raises(ValidationError) as err:
        D.record_materials(staffed, paid.ticket_no, parts, "李静")
    assert err.value.field == "service_type"
    table = reports.month_table(staffed, reports.current_month(staffed), clocks=False)
    (row,) = [m for m in table.materials if m.name == "角阀"]
    assert (row.qty, row.amount, row.purchase) == (Decimal("2"), Decimal("0"),
                                                   Decimal("36.00"))
    assert not [m for m in table.materials if m.name == "生料带"]
