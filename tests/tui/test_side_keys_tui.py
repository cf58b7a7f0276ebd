"""The desk's side keys by keyboard (issue 14 items 10 and 11): g records the team leader's fee
assessment and then the owner's answer (agree, or decline with a reason and a y/n), e amends
the details with a reason, i chases the technician or takes down his report."""

from __future__ import annotations

from repairdesk.domain.enums import Action, ServiceType, Status, Urgency
from repairdesk.domain.paid_work import latest_decision
from repairdesk.services import fees
from repairdesk.services import tickets as T

from .conftest import settle, type_text


def _message(app) -> str:
    return str(app.desk_screen.query_one("#message").render())


def _assess_job(desk, *, assessed: bool = False) -> str:
    form = T.IntakeForm(room="5-1-0302", caller="王先生", content="加装防盗网",
                        category="门窗", service_type="assess")
    no = T.register_ticket(desk, form, "李静").ticket_no
    T.dispatch_ticket(desk, no, "张建国", "李静")
    T.accept_ticket(desk, no, "李静")
    if assessed:
        fees.assess_ticket(desk, no, "80", "周班长", "李静")
    return no


async def test_g_records_the_assessment_then_the_owner_agrees(desk_app, staffed, clock):
    no = _assess_job(staffed)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert type(app.screen).__name__ == "FormPrompt"
        await pilot.press("enter")  # feasible (the first choice)
        await type_text(pilot, "80")
        await pilot.press("enter")
        await pilot.press("enter")  # assessed by: the team leader on the roster (周班长)
        await settle(pilot)
        assessment = fees.latest_assessment(T.get_ticket(staffed, no))
        assert assessment and (assessment.fee, assessment.leader) == (80, "周班长")
        clock.advance(minutes=20)
        await pilot.press("g")  # now the owner's answer
        await settle(pilot)
        assert "80" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("enter")  # agreed (the first choice)
        await pilot.press("enter")  # no note
        await settle(pilot)
        record = T.get_ticket(staffed, no)
        decision = latest_decision(record)
        assert decision and decision.agreed and decision.fee == 80
        assert record.status is Status.ACCEPTED  # the work goes on
        assert app.screen is app.desk_screen


async def test_g_decline_needs_a_reason_and_a_yes(desk_app, staffed, clock):
    no = _assess_job(staffed, assessed=True)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("right")  # declined
        await pilot.press("enter")
        await pilot.press("enter")  # no reason: refused, nothing recorded
        await settle(pilot)
        assert latest_decision(T.get_ticket(staffed, no)) is None
        assert _message(app)
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("right")
        await pilot.press("enter")
        await type_text(pilot, "业主嫌贵")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmPrompt"
        await pilot.press("n")  # not yet: nothing changes
        await settle(pilot)
        assert T.get_ticket(staffed, no).status is Status.ACCEPTED
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("right")
        await pilot.press("enter")
        await type_text(pilot, "业主嫌贵")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        record = T.get_ticket(staffed, no)
        assert record.status is Status.CLOSED
        decision = latest_decision(record)
        assert decision and not decision.agreed and decision.reason == "业主嫌贵"


async def test_g_on_free_work_says_to_amend_first(desk_app, staffed):
    T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生", content="漏水"),
                      "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert app.screen is app.desk_screen
        assert "(e)" in _message(app) or "（e）" in _message(app)  # the amend key, named


async def test_e_amends_free_to_paid_with_a_reason(desk_app, staffed):
    no = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                 content="卫生间漏水"), "李静").ticket_no
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "AmendScreen"
        assert form.query_one("#room").value == "3-2-1501"  # the details as they stand
        await pilot.press("right")  # free -> paid
        await pilot.press("ctrl+s")  # no reason: refused in the form
        await settle(pilot)
        assert app.screen is form
        assert form.focused is form.query_one("#reason")
        assert T.get_ticket(staffed, no).intake.service_type is ServiceType.FREE
        await type_text(pilot, "业主自购洁具")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.desk_screen
        record = T.get_ticket(staffed, no)
        assert record.intake.service_type is ServiceType.PAID
        amend = [e for e in record.events if e.action is Action.AMEND][-1]
        assert amend.data["changes"] == {"service_type": "paid"}
        assert amend.data["previous"] == {"service_type": "free"}
        assert amend.note == "业主自购洁具"
        assert record.intake.urgency is Urgency.NORMAL and record.intake.room == "3-2-1501"


async def test_e_marks_the_unit_vacant_in_the_same_amendment(desk_app, staffed):
    """空房 by amendment on the desk (it was `ticket vacant` only): with the content, in one
    step; then the job is closed only verified."""
    no = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="物业",
                                                 content="空置房水管漏水"), "李静").ticket_no
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#vacant").value == "no"
        form.set_focus(form.query_one("#vacant"))
        await pilot.press("right")  # no -> yes
        form.set_focus(form.query_one("#content"))  # focus selects it: typing replaces it
        await type_text(pilot, "空置房水管漏水无人居住")
        form.set_focus(form.query_one("#reason"))
        await type_text(pilot, "业主来电说明是空房")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.desk_screen
    record = T.get_ticket(staffed, no)
    assert record.state.vacant
    (amend,) = [e for e in record.events if e.action is Action.AMEND]
    assert amend.data["changes"] == {"content": "空置房水管漏水无人居住", "vacant": True}
    assert amend.data["previous"]["vacant"] is False


def test_only_a_home_is_vacant_and_nothing_is_half_saved(staffed, english):
    import pytest

    from repairdesk.errors import ValidationError

    no = T.register_ticket(staffed, T.IntakeForm(room="5栋楼道", caller="保洁",
                                                 content="楼道灯不亮", scope="public"),
                           "李静").ticket_no
    with pytest.raises(ValidationError, match="Only a home can be vacant"):
        T.amend_ticket(staffed, no, {"content": "楼道灯都不亮"}, "李静", note="补充", vacant=True)
    assert [e.action for e in T.get_ticket(staffed, no).events] == [Action.REGISTER]
    home = T.register_ticket(staffed, T.IntakeForm(room="3-2-1502", caller="王先生",
                                                   content="漏水", vacant=True), "李静").ticket_no
    with pytest.raises(ValidationError, match="Only a home can be vacant"):
        T.amend_ticket(staffed, home, {"scope": "public", "room": "3栋大堂"}, "李静", note="x")
    record = T.amend_ticket(staffed, home, {"scope": "public", "room": "3栋大堂"}, "李静",
                            note="其实是大堂", vacant=False)
    assert not record.state.vacant and record.intake.room == "3栋大堂"


async def test_m_on_a_free_job_records_the_parts_used(desk_app, staffed):
    """m on a free job (日常维修) takes down the parts used, without charge (it was
    `ticket materials` on the CLI only); on a paid job it stays the bill."""
    no = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                 content="角阀漏水"), "李静").ticket_no
    T.dispatch_ticket(staffed, no, "张建国", "李静")
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("m")  # dispatched only: said at once, nothing to type
        await settle(pilot)
        assert app.screen is app.desk_screen and Action.MATERIALS.label in _message(app)
        T.accept_ticket(staffed, no, "李静")
        T.arrive_ticket(staffed, no, "李静")  # parts are taken down once the work is on site
        app.refresh_board()  # as the poll does when the book changed
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert type(app.screen).__name__ == "FormPrompt"
        assert no in str(app.screen.query_one(".dialog-title").render())
        await type_text(pilot, "角阀=18x2 [/b]=3")  # a hostile name is a name
        await pilot.press("enter")
        await pilot.press("enter")  # no note
        await settle(pilot)
        assert app.screen is app.desk_screen
        await pilot.press("enter")  # the detail draws the step, markup and all, as text
        await settle(pilot)
        assert type(app.screen).__name__ == "TicketScreen"
    record = T.get_ticket(staffed, no)
    (used,) = [e for e in record.events if e.action is Action.MATERIALS]
    assert "角阀" in str(used.data) and "[/b]" in str(used.data)


async def test_e_with_nothing_changed_saves_nothing(desk_app, staffed):
    no = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                 content="卫生间漏水"), "李静").ticket_no
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and str(form.query_one("#error").render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.desk_screen
        assert [e.action for e in T.get_ticket(staffed, no).events] == [Action.REGISTER]


async def test_i_chases_then_records_the_technicians_report(desk_app, staffed, clock):
    from repairdesk.services.sla import clocks_of

    no = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                 content="卫生间漏水"), "李静").ticket_no
    T.dispatch_ticket(staffed, no, "张建国", "李静")
    clock.advance(minutes=90)
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert type(app.screen).__name__ == "FormPrompt"
        await pilot.press("enter")  # chased (the first choice)
        await pilot.press("enter")  # whom: the technician sent
        await type_text(pilot, "电话未接")
        await pilot.press("enter")
        await settle(pilot)
        record = T.get_ticket(staffed, no)
        assert record.events[-1].data == {"chased": "张建国"}
        feedback = {c.name.value: c for c in clocks_of(staffed, record)}["feedback"]
        assert feedback.stopped_at is None  # a chase stops nothing
        clock.advance(minutes=10)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("right")  # the technician reported
        await pilot.press("enter")
        await pilot.press("enter")
        await type_text(pilot, "在别的单上，半小时到")
        await pilot.press("enter")
        await settle(pilot)
        record = T.get_ticket(staffed, no)
        assert record.events[-1].data == {"technician_report": True, "technician": "张建国"}
        feedback = {c.name.value: c for c in clocks_of(staffed, record)}["feedback"]
        assert feedback.result == "met" and feedback.stopped_at == record.events[-1].at
