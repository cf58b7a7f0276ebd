"""Handover: checklist, blocking rule, read-back with discrepancy, both sign, locked."""

from __future__ import annotations

import sqlite3

import pytest

from repairdesk.domain import handover as rules
from repairdesk.domain.handover import ReadBack, lines
from repairdesk.errors import PermissionDenied, ValidationError
from repairdesk.services import dutylog, handover, integrity, shifts, signing
from repairdesk.services import tickets as T

OUT, IN = "李静", "陈晓雯"


pytestmark = pytest.mark.usefixtures("fast_pins")


@pytest.fixture
def on_duty(roster, clock):
    for name, pin in ((OUT, "11111111"), (IN, "22222222"), ("吴主管", "99999999")):
        signing.set_pin_unchecked(roster, name, pin)
    shifts.sign_on(roster, OUT, "11111111")
    T.register_ticket(roster, T.IntakeForm(room="3-2-1501", caller="王先生",
                                            content="厨房水龙头滴水", category="水"), OUT)
    # dispatched, taken and on site at once: only its completion clock still runs
    T.dispatch_ticket(roster, "BX-20261122-0001", "张建国", OUT)
    T.accept_ticket(roster, "BX-20261122-0001", "张建国")
    T.arrive_ticket(roster, "BX-20261122-0001", "张建国")
    T.register_ticket(roster, T.IntakeForm(room="1-1-101", caller="李女士", content="电梯困人",
                                            category="电梯", urgency="urgent"), OUT)
    v = T.register_ticket(roster, T.IntakeForm(room="1-1-102", caller="赵", content="门锁坏",
                                                category="门窗"), OUT)
    T.void_ticket(roster, v.ticket_no, "重复登记", OUT)
    clock.advance(hours=7)
    return roster


def confirm_all(c, **overrides):
    return {ln.key: overrides.get(ln.key, ReadBack(ln.key, True)) for ln in lines(c)}


def test_sign_on_only_once(on_duty):
    assert shifts.current_holder(on_duty) == OUT
    with pytest.raises(PermissionDenied):
        shifts.sign_on(on_duty, IN, "22222222")


def test_checklist_numbers_counts_and_items(on_duty):
    c = handover.build_checklist(on_duty)
    assert c.issued == ["BX-20261122-0001", "BX-20261122-0002", "BX-20261122-0003"]
    assert c.first_no == "BX-20261122-0001" and c.last_no == "BX-20261122-0003"
    assert c.gaps == []
    assert c.counts == {"issued": 3, "completed": 0, "returned": 0, "open": 2, "voided": 1}
    assert [i.ticket_no for i in c.open_items] == ["BX-20261122-0001", "BX-20261122-0002"]
    assert {p.name for p in c.public_items} >= {"前台钥匙", "对讲机"}
    assert c.shift_code == "day"


def test_urgent_without_technician_blocks_until_explained(on_duty):
    c = handover.build_checklist(on_duty)
    with pytest.raises(ValidationError, match="BX-20261122-0002"):
        handover.complete_handover(on_duty, c, confirm_all(c), OUT, "11111111", IN, "22222222")
    assert shifts.current_holder(on_duty) == OUT
    c = handover.build_checklist(on_duty, explanations={"BX-20261122-0002": "电梯公司已在路上"})
    rec = handover.complete_handover(on_duty, c, confirm_all(c), OUT, "11111111", IN, "22222222")
    assert rec.incoming == IN and shifts.current_holder(on_duty) == IN


def test_discrepancy_recorded_both_signatures_and_locked(on_duty):
    c = handover.build_checklist(on_duty, abnormal="3号楼停水一小时",
                                 explanations={"BX-20261122-0002": "已通知班长"})
    answers = confirm_all(c, **{"item:radios": ReadBack("item:radios", False, "3", "一台在充电")})
    rec = handover.complete_handover(on_duty, c, answers, OUT, "11111111", IN, "22222222")
    assert rec.discrepancies == 1
    j = handover.handover_json(on_duty, handover.get_handover(on_duty))
    assert [s["meaning"] for s in j["signatures"]] == ["handover_out", "handover_in"]
    assert j["content"]["discrepancies"][0]["actual"] == "3"
    log = dutylog.list_entries(on_duty)
    assert log[-1].kind == dutylog.LogKind.HANDOVER and "3" in log[-1].text
    con = sqlite3.connect(on_duty.store.url.removeprefix("sqlite:///"))
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("UPDATE handover SET incoming = 'x'")
    con.close()
    assert integrity.verify_book(on_duty).problem is None


def test_unanswered_line_and_wrong_pin_refuse(on_duty):
    c = handover.build_checklist(on_duty, explanations={"BX-20261122-0002": "已通知"})
    answers = confirm_all(c)
    answers.pop("count:open")
    with pytest.raises(ValidationError):
        handover.complete_handover(on_duty, c, answers, OUT, "11111111", IN, "22222222")
    with pytest.raises(PermissionDenied):
        handover.complete_handover(on_duty, c, confirm_all(c), OUT, "11111111", IN, "00000000")
    assert shifts.current_holder(on_duty) == OUT


def test_only_the_holder_hands_over(on_duty):
    c = handover.build_checklist(on_duty, explanations={"BX-20261122-0002": "已通知"})
    with pytest.raises(PermissionDenied):
        handover.complete_handover(on_duty, c, confirm_all(c), IN, "22222222", OUT, "11111111")


def test_next_window_starts_where_the_last_ended(on_duty, clock):
    c = handover.build_checklist(on_duty, explanations={"BX-20261122-0002": "已通知"})
    handover.complete_handover(on_duty, c, confirm_all(c), OUT, "11111111", IN, "22222222")
    clock.advance(minutes=30)
    T.register_ticket(on_duty, T.IntakeForm(room="2-1-201", caller="孙", content="灯不亮",
                                            category="电"), IN)
    c2 = handover.build_checklist(on_duty)
    assert c2.issued == ["BX-20261122-0004"] and c2.shift_code == "night"


def test_header_text_flags_unsigned_days(on_duty, clock):
    assert OUT in shifts.header_text(on_duty)
    clock.advance(hours=24)
    text = shifts.header_text(on_duty)
    assert "11-22" in text
    from repairdesk.services import signoff

    signoff.sign_off(on_duty, "吴主管", "99999999")
    assert "11-22" not in shifts.header_text(on_duty)


def test_a_mistyped_read_back_key_is_refused_not_dropped(on_duty):
    c = handover.build_checklist(on_duty, explanations={"BX-20261122-0002": "已通知"})
    answers = confirm_all(c)
    answers["radios"] = ReadBack("radios", False, "3")  # the key is item:radios
    with pytest.raises(ValidationError, match="item:radios"):
        handover.complete_handover(on_duty, c, answers, OUT, "11111111", IN, "22222222")
    assert shifts.current_holder(on_duty) == OUT


def test_handover_text_is_cleaned_and_bounded(on_duty):
    c = handover.build_checklist(on_duty, abnormal="停水\x1b]0;pwned\x07一小时\x1b[31m",
                                 explanations={"BX-20261122-0002": "已通知\u202e班长"})
    assert c.abnormal == "停水一小时" and c.explanations["BX-20261122-0002"] == "已通知班长"
    with pytest.raises(ValidationError):
        handover.build_checklist(on_duty, abnormal="停" * 5000)
    answers = confirm_all(c, **{"item:radios": ReadBack("item:radios", False,
                                                        "3\x1b[2J\x07", "一台\x1b]8;;x\x07在充电")})
    rec = handover.complete_handover(on_duty, c, answers, OUT, "11111111", IN, "22222222")
    found = handover.handover_json(on_duty, handover.get_handover(on_duty, rec.id))
    assert found["content"]["discrepancies"][0]["actual"] == "3"
    assert "\x1b" not in str(found) and "\x07" not in str(found)
    with pytest.raises(ValidationError):
        long = confirm_all(c, **{"item:radios": ReadBack("item:radios", False, "3" * 500)})
        handover.complete_handover(on_duty, c, long, IN, "22222222", OUT, "11111111")


def test_config_item_names_are_cleaned(on_duty):
    on_duty.config.raw["handover"] = {"item": [
        {"key": "keys\x1b[31m", "name": "前台\x1b]0;x\x07钥匙\u200b", "expected": 12}]}
    try:
        items = handover.public_items(on_duty)
    finally:
        del on_duty.config.raw["handover"]
    assert [(i.key, i.name) for i in items] == [("keys", "前台钥匙")]


def test_open_items_carry_the_deadline_of_their_next_clock(on_duty):
    """The SLA engine's next deadline, in site time, on the line, in the JSON and the CLI text
    (issue 14 item 13). 0001 is on site: only completion runs (in-home, by the day's cut-off)."""
    from repairdesk.domain.sla import evaluate

    c = handover.build_checklist(on_duty, explanations={"BX-20261122-0002": "已通知"})
    first = c.open_items[0]
    record = T.get_ticket(on_duty, "BX-20261122-0001")
    due = next(k.due_at for k in evaluate(record, on_duty.now(), on_duty.config.sla,
                                          on_duty.config.tz) if k.name.value == "complete")
    assert first.clock == "complete" and first.deadline == due and not first.breaches
    line = next(ln for ln in lines(c) if ln.key == "ticket:BX-20261122-0001")
    local = due.astimezone(on_duty.config.tz).strftime("%Y/%m/%d %H:%M")
    assert local in line.expected and "| -" not in line.expected
    from repairdesk.cli.handover import checklist_text

    assert local in checklist_text(on_duty, c)  # `repairdesk handover checklist`
    content = handover.checklist_content(c)
    assert content["open_items"][0]["deadline"] == due.isoformat()
    assert content["open_items"][0]["clock"] == "complete"


def test_a_breached_arrival_blocks_until_explained_and_the_reason_is_signed(on_duty, clock):
    """A lift rescue taken at once, nobody on site 2 h later (arrive breached): signing is
    refused naming the clock; explained, it is signed and the record and the log keep why."""
    T.dispatch_ticket(on_duty, "BX-20261122-0002", "王师傅", OUT)
    T.accept_ticket(on_duty, "BX-20261122-0002", "王师傅")
    clock.advance(hours=2)
    c = handover.build_checklist(on_duty)
    item = next(i for i in c.open_items if i.ticket_no == "BX-20261122-0002")
    assert item.breaches == ("arrive",) and item.breached
    assert [b.ticket_no for b in rules.blockers(c.open_items, {})] == ["BX-20261122-0002"]
    with pytest.raises(ValidationError, match="BX-20261122-0002"):
        handover.complete_handover(on_duty, c, confirm_all(c), OUT, "11111111", IN, "22222222")
    assert shifts.current_holder(on_duty) == OUT
    c = handover.build_checklist(on_duty, explanations={"BX-20261122-0002": "维修工堵车,已致歉"})
    rec = handover.complete_handover(on_duty, c, confirm_all(c), OUT, "11111111", IN, "22222222")
    assert rec.content["explained"] == [{"ticket_no": "BX-20261122-0002",
                                         "reason": rules.blockers(c.open_items, {})[0].reason,
                                         "explanation": "维修工堵车,已致歉"}]
    assert "维修工堵车,已致歉" in dutylog.list_entries(on_duty)[-1].text


def test_late_completion_and_callback_do_not_block(on_duty, clock):
    """Only promises someone is waiting on block (dispatch, accept, arrive, assess): a late
    completion becomes a follow-up (004), it does not hold the clerk at the desk."""
    clock.advance(hours=8)  # 01:00: past the in-home cut-off (midnight) for 0001
    c = handover.build_checklist(on_duty, explanations={"BX-20261122-0002": "已通知"})
    first = c.open_items[0]
    assert first.clock == "complete" and first.deadline < on_duty.now()
    assert not first.breaches and rules.blockers(c.open_items, c.explanations) == []
