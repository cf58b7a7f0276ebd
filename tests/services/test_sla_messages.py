"""An SLA notice in the duty log reads in the reader's language (issue 17): the entry keeps
its text as written (the chained record) and the message with its parameters in its data;
the duty log shows the message in the language now in use. Entries written before read as
written."""

from __future__ import annotations

from sqlmodel import select

from repairdesk import i18n
from repairdesk.domain.sla_rules import CLOCK_LABELS, ClockName
from repairdesk.services import dutylog, sla
from repairdesk.services import tickets as T
from repairdesk.store.tables import DutyLogEntry


def _notice_rows(desk) -> list[DutyLogEntry]:
    with desk.store.read() as session:
        return [e for e in session.exec(select(DutyLogEntry)) if e.kind.startswith("sla")]


def test_a_notice_written_in_english_reads_in_chinese(staffed, clock):
    no = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                  content="漏水", urgency="urgent"),
                           "李静").ticket_no
    clock.advance(minutes=30)  # dispatch 5 min: warned, breached
    i18n.set_language("en")
    try:
        written = sla.escalate(staffed)
    finally:
        i18n.set_language("zh_CN")
    assert written
    rows = _notice_rows(staffed)
    assert rows and all(no in e.text and "clock" in e.text for e in rows)  # as written
    assert all(e.data["message"]["params"]["no"] == no for e in rows)
    shown = {e.id: e.text for e in dutylog.list_entries(staffed) if e.ticket_no == no}
    for e in rows:
        assert shown[e.id] != e.text  # read in Chinese now
        assert no in shown[e.id] and "clock" not in shown[e.id]
        assert i18n._(CLOCK_LABELS[ClockName(e.data["clock"])]) in shown[e.id]


def test_the_alert_strip_says_the_same_as_the_notice(staffed, clock):
    T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生", content="漏水",
                                            urgency="urgent"), "李静")
    clock.advance(minutes=30)
    (alert,) = [a for a in sla.alerts(staffed, staffed.now())
                if a.clock.name is ClockName.DISPATCH]
    assert alert.action_text  # e.g. 致电 维修班长 周班长 137…: built from the same message
    notices = sla.escalate(staffed)
    assert any(alert.action_text in n.text for n in notices if n.clock is ClockName.DISPATCH)


def test_entries_written_before_read_as_written(staffed):
    entry = dutylog.add_entry(staffed, "地下车库积水，已通知保安", "李静")
    (shown,) = [e for e in dutylog.list_entries(staffed) if e.id == entry.id]
    assert shown.text == "地下车库积水，已通知保安"
