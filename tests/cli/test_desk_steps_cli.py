"""`ticket add --vacant` and the urgent-word warning, `ticket vacant`, `ticket notified`,
`ticket follow-up-check` and the weekly follow-up entry in `sla check` (issue 14, 12 and 16)."""

from __future__ import annotations

import json


def _book(cli, pins: bool = False) -> None:
    from holding import hold_book

    from repairdesk.config import load_config
    from repairdesk.domain.enums import Role
    from repairdesk.services import signing
    from repairdesk.services.desk import open_desk
    from repairdesk.services.staff import add_staff_unchecked

    hold_book(cli.db_path)
    desk = open_desk(str(cli.db_path), config=load_config(None))
    try:
        add_staff_unchecked(desk, "张建国", Role.TECHNICIAN, "13900000011")
        add_staff_unchecked(desk, "周班长", Role.TEAM_LEADER, "13700000021")
        add_staff_unchecked(desk, "吴主管", Role.SUPERVISOR, "13600000031")
        if pins:
            signing.set_pin_unchecked(desk, "吴主管", "246810")
    finally:
        desk.close()


def _add(cli, *extra: str, content: str = "卧室门锁坏了"):
    return cli("ticket", "add", "--room", "3-2-1501", "--caller", "王先生", "--content", content,
               *extra)


def test_urgent_words_warn_on_stderr_and_register_as_typed(cli):
    _book(cli)
    r = _add(cli, content="卫生间水管爆裂，水漫出来了")
    assert r.code == 0, r.stderr
    no = r.stdout.strip()
    assert no.startswith("BX-")
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "水管爆" in lines[0], r.stderr
    assert json.loads(cli("ticket", "show", no, "--json").stdout)["urgency"] == "normal"
    r = _add(cli, "--urgency", "urgent", content="卫生间水管爆裂")
    assert r.code == 0 and r.stderr.strip() == "", r.stderr
    r = _add(cli)  # no urgent word: nothing said
    assert r.code == 0 and r.stderr.strip() == "", r.stderr


def test_vacant_unit_closes_only_verified(cli):
    _book(cli)
    no = _add(cli, "--vacant").stdout.strip()
    for args in (["dispatch", no, "--to", "张建国"], ["notified", no], ["arrive", no],
                 ["materials", no, "锁芯=45", "螺丝=0.5x4"],
                 ["complete", no, "--result", "换锁芯"], ["return", no],
                 ["callback", no, "--satisfied"]):
        r = cli("ticket", *args)
        assert r.code == 0, (args, r.stderr)
    r = cli("ticket", "close", no)
    assert r.code == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.stderr and "--verified" in r.stderr
    assert cli("ticket", "close", no, "--verified").code == 0
    actions = [e["action"] for e in json.loads(cli("ticket", "show", no, "--json").stdout)
               ["events"]]
    assert "notify" in actions and "materials" in actions
    r = cli("ticket", "materials", no, "锁芯")
    assert r.code == 1 and "Traceback" not in r.stderr  # no price: one line, refused


def test_vacant_marked_later_and_unmarked(cli):
    _book(cli)
    no = _add(cli).stdout.strip()
    assert cli("ticket", "vacant", no, "--note", "业主说空着").code == 0
    assert json.loads(cli("ticket", "show", no, "--json").stdout)["vacant"] is True
    r = cli("ticket", "vacant", no)
    assert r.code == 1, r.stdout  # nothing to change
    assert cli("ticket", "vacant", no, "--no").code == 0


def test_follow_up_checks_and_weekly_entry(cli):
    _book(cli, pins=True)
    no = _add(cli).stdout.strip()
    assert cli("ticket", "dispatch", no, "--to", "张建国").code == 0
    r = cli("ticket", "follow-up-check", no, "--leader", "周班长")
    assert r.code == 1  # not a follow-up yet
    assert cli("ticket", "follow-up", no, "--note", "等配件").code == 0
    assert cli("ticket", "follow-up-check", no, "--leader", "周班长", "--comment", "已看").code == 0
    r = cli("ticket", "follow-up-check", no, "--supervisor", "吴主管", "--pin-stdin",
            input="000000\n")
    assert r.code == 1 and "Traceback" not in r.stderr
    r = cli("ticket", "follow-up-check", no, "--supervisor", "吴主管", "--pin-stdin",
            input="246810\n")
    assert r.code == 0, r.stderr
    shown = json.loads(cli("ticket", "show", no, "--json").stdout)
    assert [e["action"] for e in shown["events"]].count("follow_up_check") == 2
    assert [(c["level"], c["signer"]) for c in shown["follow_up_checks"]] == [
        ("leader", "周班长"), ("supervisor", "吴主管")]
    assert "吴主管" in cli("ticket", "show", no).stdout
    # this week's entry was just written: nothing owed
    data = json.loads(cli("sla", "check", "--json").stdout)
    assert not [a for a in data if a["clock"] == "follow_up_entry"]


def test_sla_check_lists_a_follow_up_silent_for_a_week(cli):
    """A follow-up whose last entry is 8 days old (entered on a desk whose clock said so)."""
    from datetime import datetime, timedelta, timezone

    from repairdesk.clock import FixedClock
    from repairdesk.config import load_config
    from repairdesk.services import tickets as T
    from repairdesk.services.desk import open_desk

    _book(cli)
    then = datetime.now(timezone.utc) - timedelta(days=8)
    desk = open_desk(str(cli.db_path), config=load_config(None), clock=FixedClock(then))
    try:
        no = T.register_ticket(desk, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                  content="阀门坏了"), "李静").ticket_no
        T.dispatch_ticket(desk, no, "张建国", "李静")
        T.follow_up_ticket(desk, no, "需订配件", "李静")
    finally:
        desk.close()
    data = json.loads(cli("sla", "check", "--json").stdout)
    (entry,) = [a for a in data if a["clock"] == "follow_up_entry"]
    assert entry["ticket_no"] == no and entry["remaining_s"] < -23 * 3600
    r = cli("sla", "check")
    assert r.code == 0 and no in r.stdout
    r = cli("report", "day")
    assert r.code == 0 and no in r.stdout, r.stdout
    # the daily report's spreadsheet carries the follow-ups due too, as the table does
    from openpyxl import load_workbook

    target = cli.db_path.parent / "day.xlsx"
    assert cli("report", "day", "--format", "xlsx", "--out", str(target)).code == 0
    first = load_workbook(target).worksheets[0]
    cells = [str(c.value) for row in first.iter_rows() for c in row if c.value is not None]
    assert no in cells
