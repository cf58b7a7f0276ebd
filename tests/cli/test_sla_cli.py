"""`repairdesk sla …` and the `sla` key of the ticket JSON, through the real entry point.

The CLI runs on the system clock, so the book is prepared 90 minutes back with a fixed
clock: by the time the CLI looks, the clocks have run out."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from repairdesk.clock import FixedClock
from repairdesk.config import load_config
from repairdesk.domain.enums import Role
from repairdesk.services import staff, tickets
from repairdesk.services.desk import open_desk


@pytest.fixture
def late_ticket(db_path) -> str:
    """A call taken and dispatched 90 minutes ago that nobody accepted since."""
    clock = FixedClock(datetime.now(timezone.utc) - timedelta(minutes=90))
    desk = open_desk(str(db_path), clock=clock, config=load_config(None))
    try:
        staff.add_staff_unchecked(desk, "张建国", Role.TECHNICIAN, "13900000011")
        staff.add_staff_unchecked(desk, "周班长", Role.TEAM_LEADER, "13700000021")
        staff.add_staff_unchecked(desk, "吴主管", Role.SUPERVISOR, "13600000031")
        staff.add_staff_unchecked(desk, "郑经理", Role.MANAGER, "13500000041")
        from holding import hold_desk

        hold_desk(desk)
        no = tickets.register_ticket(desk, tickets.IntakeForm(
            room="3-2-1501", caller="王先生", content="厨房水管漏水", category="水",
            phone="13800138000"), "李静").ticket_no
        clock.advance(minutes=2)
        tickets.dispatch_ticket(desk, no, "张建国", "李静")
        return no
    finally:
        desk.close()


def test_check_on_a_quiet_desk_exits_0(cli):
    r = cli("sla", "check", lang="en")
    assert r.code == 0 and r.stdout.strip() == "No clocks in warning or breach."
    r = cli("sla", "check", "--json")
    assert r.code == 0 and json.loads(r.stdout) == []


def test_check_lists_breached_clocks_with_whom_to_call(cli, late_ticket):
    r = cli("sla", "check", "--json")
    assert r.code == 0, r.stderr
    found = {a["clock"]: a for a in json.loads(r.stdout)}
    assert set(found) == {"accept", "arrive"}
    accept = found["accept"]
    assert accept["ticket_no"] == late_ticket and accept["state"] == "breached"
    assert accept["level"] == "manager" and accept["remaining_s"] < -50 * 60
    assert accept["call"] == {"name": "郑经理", "role": "manager", "phone": "13500000041"}
    assert "13500000041" in accept["action_text"]
    assert found["arrive"]["due_at"].endswith("+08:00")
    text = cli("sla", "check", lang="zh_CN")
    assert text.code == 0 and late_ticket in text.stdout and "郑经理" in text.stdout
    assert "13800138000" not in text.stdout + r.stdout  # the owner's phone stays masked


def test_check_log_writes_the_duty_log_once(cli, late_ticket):
    assert cli("sla", "check", "--log").code == 0
    first = [e for e in json.loads(cli("log", "show", "--json").stdout) if e["kind"] == "sla"]
    assert first and all(e["ticket_no"] == late_ticket for e in first)
    assert any("郑经理" in e["text"] for e in first)
    assert cli("sla", "check", "--log").code == 0
    again = [e for e in json.loads(cli("log", "show", "--json").stdout) if e["kind"] == "sla"]
    assert again == first


def test_ticket_json_carries_the_clocks(cli, late_ticket):
    data = json.loads(cli("ticket", "show", late_ticket, "--json").stdout)
    sla = data["sla"]
    assert list(sla) == ["dispatch", "accept", "arrive", "feedback", "complete", "callback"]
    assert sla["dispatch"]["state"] == "met" and sla["dispatch"]["remaining_s"] == 180
    assert sla["accept"]["state"] == "breached" and sla["accept"]["remaining_s"] < 0
    assert sla["callback"] == {"due_at": None, "state": "pending", "remaining_s": None,
                               "started_at": None, "stopped_at": None}
    listed = json.loads(cli("ticket", "list", "--json").stdout)
    assert listed[0]["sla"]["accept"]["state"] == "breached"
    text = cli("ticket", "show", late_ticket, lang="en").stdout
    assert "Clocks:" in text and "breached" in text


def test_follow_up_is_refused_before_the_day_is_over(cli, late_ticket):
    r = cli("sla", "follow-up", late_ticket, "--by", "李静", lang="en")
    assert r.code == 1 and len(r.stderr.strip().splitlines()) == 1
    assert "not overdue" in r.stderr


def test_a_bad_rules_file_is_refused_at_start(cli, tmp_path):
    bad = tmp_path / "site.toml"
    bad.write_text("[sla.clock.arrive]\nurgent_min = 0\n", encoding="utf-8")
    r = cli("--config", str(bad), "sla", "check", lang="en")
    assert r.code == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip() == (
        "Configuration key sla.clock.arrive.urgent_min: must be greater than zero")
