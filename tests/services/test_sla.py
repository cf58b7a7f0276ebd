"""SLA alerts and escalation on a real book: whom to call, the duty log written exactly once
(across calls, restarts and two desks on one file), and the follow-up of a late job."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from repairdesk.config import load_config
from repairdesk.domain.enums import Action
from repairdesk.domain.sla import ClockName, ClockState, Level
from repairdesk.errors import IllegalTransition
from repairdesk.services import dutylog, sla, tickets
from repairdesk.services.desk import open_desk
from repairdesk.services.signoff import review
from repairdesk.services.tickets import IntakeForm

FORM = dict(room="3-2-1501", caller="王先生", content="厨房水管漏水", category="水",
            phone="13800138000")


def register(desk, **kw) -> str:
    return tickets.register_ticket(desk, IntakeForm(**{**FORM, **kw}), "李静").ticket_no


def sla_log(desk) -> list[dutylog.LogLine]:
    kinds = (dutylog.LogKind.SLA, dutylog.LogKind.SLA_WARNING)
    return [e for e in dutylog.list_entries(desk) if e.kind in kinds]


def test_alerts_name_the_person_to_call(staffed, clock, english):
    no = register(staffed)
    clock.advance(minutes=2)
    tickets.dispatch_ticket(staffed, no, "张建国", "李静")
    assert [a.clock.name for a in sla.alerts(staffed)] == []
    clock.advance(minutes=4)  # accept: 4 of 5 minutes
    (warn,) = sla.alerts(staffed)
    assert (warn.clock.name, warn.level, warn.room) == (ClockName.ACCEPT, Level.WARNING, "3-2-1501")
    assert warn.call.name == "张建国" and warn.call.phone == "13900000011"
    clock.advance(minutes=2)
    top = sla.alerts(staffed)[0]
    assert top.clock.state is ClockState.BREACHED and top.level is Level.BREACH
    assert top.action_text == "Call team leader 周班长 13700000021"
    clock.advance(minutes=15)  # arrival (20 min) breached too: call the owner, phone masked
    owner = next(a for a in sla.alerts(staffed) if a.clock.name is ClockName.ARRIVE)
    assert owner.call.phone == "138****8000"
    assert owner.action_text.startswith("Call owner 王先生 138****8000: apologise")
    assert [a.clock.remaining_s for a in sla.alerts(staffed)] == sorted(
        a.clock.remaining_s for a in sla.alerts(staffed))


def test_action_text_in_chinese_names_role_person_and_phone(staffed, clock):
    no = register(staffed)
    tickets.dispatch_ticket(staffed, no, "张建国", "李静")
    clock.advance(minutes=6)
    text = sla.alerts(staffed)[0].action_text
    assert "维修班长" in text and "周班长" in text and "13700000021" in text


def test_each_step_is_logged_once_with_whom_to_call(staffed, clock, english):
    no = register(staffed)
    tickets.dispatch_ticket(staffed, no, "张建国", "李静")
    clock.advance(minutes=4)
    (w,) = sla.escalate(staffed)
    assert (w.clock, w.level, w.is_breach) == (ClockName.ACCEPT, Level.WARNING, False)
    assert sla.escalate(staffed) == []
    clock.advance(minutes=2)
    (b,) = sla.escalate(staffed)
    assert b.level is Level.BREACH and b.is_breach
    assert "周班长" in b.text and "13700000021" in b.text and no in b.text
    clock.advance(minutes=30)  # accept 31 min overdue: supervisor; arrival breached meanwhile
    new = {(n.clock, n.level) for n in sla.escalate(staffed)}
    assert new == {(ClockName.ACCEPT, Level.SUPERVISOR), (ClockName.ARRIVE, Level.BREACH),
                   (ClockName.ARRIVE, Level.TEAM_LEADER)}
    assert sla.escalate(staffed) == []
    log = sla_log(staffed)
    assert len(log) == 5 and all(e.ticket_no == no for e in log)
    assert [e.kind for e in log].count(dutylog.LogKind.SLA_WARNING) == 1
    assert any("吴主管" in e.text and "13600000031" in e.text for e in log)
    assert [lv for _c, lv, _at, _id in sla.notices(staffed, no)].count("breach") == 2


def test_a_breach_seen_late_does_not_log_the_warning_it_superseded(staffed, clock):
    register(staffed)
    clock.advance(minutes=9)
    assert [(n.clock, n.level) for n in sla.escalate(staffed)] == [
        (ClockName.DISPATCH, Level.BREACH)]


def test_restart_and_a_second_desk_never_write_it_again(staffed, clock, db_path):
    register(staffed)
    clock.advance(minutes=6)
    assert len(sla.escalate(staffed)) == 1
    other = open_desk(str(db_path), clock=clock, config=load_config(None))
    try:
        assert sla.escalate(other) == []
        clock.advance(minutes=15)  # whichever desk sees a new step first writes it
        assert {(n.clock, n.level) for n in sla.escalate(other)} == {
            (ClockName.DISPATCH, Level.TEAM_LEADER), (ClockName.ARRIVE, Level.BREACH)}
        assert sla.escalate(staffed) == []
    finally:
        other.close()
    again = open_desk(str(db_path), clock=clock, config=load_config(None))
    try:
        assert sla.escalate(again) == []
    finally:
        again.close()
    assert len(sla_log(staffed)) == 3
    with staffed.store.read() as session:
        assert dutylog.verify_chain(session)[1] is None


def test_two_desks_escalating_at_the_same_moment_write_each_step_once(staffed, clock, db_path):
    for i in range(5):
        register(staffed, room=f"3-2-150{i}")
    desks = [staffed, open_desk(str(db_path), clock=clock, config=load_config(None))]
    try:
        for minutes in (4, 2, 15, 15, 30):
            clock.advance(minutes=minutes)
            gate = threading.Barrier(2)
            results: list[list] = [[], []]

            def run(i: int) -> None:
                records = tickets.working_set(desks[i])
                gate.wait()
                results[i] = sla.escalate(desks[i], records=records)

            threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            keys = [(n.ticket_no, n.clock, n.level) for r in results for n in r]
            assert len(keys) == len(set(keys))
    finally:
        desks[1].close()
    log = sla_log(staffed)
    # per ticket: warning, breach, team leader, supervisor, manager of the dispatch clock
    # plus the arrival clock's steps; never one twice
    texts = [(e.ticket_no, e.text) for e in log]
    assert len(texts) == len(set(texts))
    with staffed.store.read() as session:
        assert dutylog.verify_chain(session)[1] is None


def test_back_entered_calls_are_not_escalated_for_the_past(staffed, clock):
    clock.advance(hours=3)
    no = register(staffed, received_at="10:00")
    assert {a.clock.name for a in sla.alerts(staffed)} >= {ClockName.DISPATCH, ClockName.ARRIVE}
    assert sla.escalate(staffed) == []  # all of it happened before it was typed in
    clock.advance(minutes=1)
    tickets.dispatch_ticket(staffed, no, "张建国", "李静")
    clock.advance(minutes=6)
    assert [(n.clock, n.level) for n in sla.escalate(staffed)] == [
        (ClockName.ACCEPT, Level.BREACH)]


def test_paused_tickets_raise_no_alerts_and_a_reschedule_is_a_new_promise(staffed, clock):
    no = register(staffed)
    tickets.dispatch_ticket(staffed, no, "张建国", "李静")
    tickets.accept_ticket(staffed, no, "李静")
    clock.advance(minutes=21)
    assert [n.clock for n in sla.escalate(staffed)] == [ClockName.ARRIVE]
    tickets.reschedule_ticket(staffed, no, "14:00", "业主下午在家", "李静")
    assert sla.alerts(staffed) == []
    clock.set(clock.now().replace(hour=6, minute=1))  # 14:01 local: the new promise is late
    assert [(n.clock, n.level) for n in sla.escalate(staffed)] == [
        (ClockName.ARRIVE, Level.BREACH)]
    tickets.pause_ticket(staffed, no, "等业主", "李静")
    clock.advance(hours=5)
    assert sla.alerts(staffed) == [] and sla.escalate(staffed) == []


def test_a_late_job_becomes_a_follow_up_when_the_clerk_agrees(staffed, clock):
    no = register(staffed)
    tickets.dispatch_ticket(staffed, no, "张建国", "李静")
    tickets.accept_ticket(staffed, no, "李静")
    tickets.arrive_ticket(staffed, no, "李静")
    assert not sla.follow_up_due(staffed, no)
    with pytest.raises(IllegalTransition):
        sla.convert_to_follow_up(staffed, no, "李静")
    clock.set(clock.now().replace(hour=16, minute=1))  # 00:01 local: the day is over
    notices = sla.escalate(staffed)
    assert (ClockName.COMPLETE, Level.BREACH) in {(n.clock, n.level) for n in notices}
    (done,) = [a for a in sla.alerts(staffed) if a.clock.name is ClockName.COMPLETE]
    assert done.follow_up_due and "吴主管" in done.action_text
    assert sla.follow_up_due(staffed, no)
    record = sla.convert_to_follow_up(staffed, no, "吴主管")
    assert record.state.follow_up and record.events[-1].action is Action.FOLLOW_UP
    assert not sla.follow_up_due(staffed, no)
    # the follow-up records the breach, it does not hide it (domain.md "Clock results")
    (still,) = [a for a in sla.alerts(staffed) if a.clock.name is ClockName.COMPLETE]
    assert not still.follow_up_due and "吴主管" in still.action_text
    clock.advance(hours=2)  # no manager step for a job now tracked as a follow-up
    assert ClockName.COMPLETE not in {n.clock for n in sla.escalate(staffed)}
    assert any(no in e.text and "吴主管" in e.text for e in sla_log(staffed))
    with pytest.raises(IllegalTransition):
        sla.convert_to_follow_up(staffed, no, "吴主管")


def test_a_follow_up_note_before_the_deadline_does_not_hide_the_breach(staffed, clock):
    no = register(staffed)
    tickets.dispatch_ticket(staffed, no, "张建国", "李静")
    tickets.accept_ticket(staffed, no, "李静")
    tickets.arrive_ticket(staffed, no, "李静")
    tickets.follow_up_ticket(staffed, no, "等配件，明天再来", "李静")  # 10:00, long before 24:00
    clock.set(clock.now().replace(hour=16, minute=1))  # 00:01 local: the day is over
    assert (ClockName.COMPLETE, Level.BREACH) in {(n.clock, n.level) for n in
                                                   sla.escalate(staffed)}
    assert ClockName.COMPLETE in {a.clock.name for a in sla.alerts(staffed)}
    clock.advance(hours=2)  # the chain goes on: the note recorded no breach
    assert ClockName.COMPLETE in {n.clock for n in sla.escalate(staffed)}


def test_supervisor_review_lists_breaches_not_warnings(staffed, clock):
    register(staffed)
    clock.advance(minutes=4)
    sla.escalate(staffed)
    clock.advance(minutes=2)
    sla.escalate(staffed)
    clock.advance(days=1)
    day = review(staffed)
    assert len(day.breaches) == 1 and day.breaches[0].kind == dutylog.LogKind.SLA


def test_a_book_made_before_the_notice_table_gets_it(staffed, clock, db_path):
    staffed.close()
    con = sqlite3.connect(db_path)
    con.execute("DROP TABLE sla_notice")
    con.commit()
    con.close()
    desk = open_desk(str(db_path), clock=clock, config=load_config(None))
    try:
        register(desk)
        clock.advance(minutes=6)
        assert len(sla.escalate(desk)) == 1 and sla.escalate(desk) == []
    finally:
        desk.close()


def test_a_pass_evaluates_only_tickets_whose_clocks_can_have_moved(staffed, clock,
                                                                  monkeypatch):
    """The desk escalates every few seconds over every open ticket: a ticket is evaluated
    again only once one of its clocks can change state or level, or it has a new step, and
    the answers stay those of a fresh evaluation."""
    first, second = register(staffed), register(staffed, room="3-2-1502")
    tickets.dispatch_ticket(staffed, first, "张建国", "李静")
    calls: list[str] = []
    real = sla.evaluate

    def counting(record, *args):
        calls.append(record.ticket_no)
        return real(record, *args)

    monkeypatch.setattr(sla, "evaluate", counting)
    sla.escalate(staffed)
    assert sorted(calls) == sorted([first, second])
    calls.clear()
    clock.advance(seconds=30)  # nothing reaches a level within half a minute
    sla.escalate(staffed)
    assert calls == []
    tickets.dispatch_ticket(staffed, second, "张建国", "李静")  # a new step
    sla.escalate(staffed)
    assert calls == [second]
    calls.clear()
    clock.advance(minutes=4, seconds=30)  # accept (5 minutes): first late, second warned
    cached = {(a.ticket_no, a.clock.name, a.level) for a in sla.alerts(staffed)}
    assert sorted(calls) == sorted([first, second])
    sla._LIVE.clear()
    fresh = {(a.ticket_no, a.clock.name, a.level) for a in sla.alerts(staffed)}
    assert cached == fresh
    assert {(first, ClockName.ACCEPT, Level.BREACH), (second, ClockName.ACCEPT, Level.WARNING)
            } <= fresh
