"""`ticket assess`, `ticket owner-decision`, `ticket amend --service-type`, `ticket chase
--who/--note` and `ticket report`, run as a script runs them (issue 14 items 10 and 11)."""

from __future__ import annotations

import json


def _staff(cli) -> None:
    from holding import hold_book

    for name, role in (("李静", "clerk"), ("张建国", "technician"),
                       ("周班长", "team_leader")):
        assert cli("staff", "add", name, "--role", role).code == 0
    hold_book(cli.db_path)  # 李静 holds the desk


def _one_line_error(r) -> str:
    assert r.code == 1, r.stdout
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    return r.stderr


def test_assessed_job_agreed_charged_completed(cli):
    _staff(cli)
    no = cli("ticket", "add", "--room", "5-1-0302", "--caller", "王先生", "--content",
             "加装防盗网", "--category", "门窗", "--assess", "--by", "李静").stdout.strip()
    for args in (["dispatch", no, "--to", "张建国"], ["accept", no], ["arrive", no]):
        assert cli("ticket", *args, "--by", "李静").code == 0, args
    r = cli("ticket", "owner-decision", no, "agree", "--by", "李静")
    assert "评审" in _one_line_error(r) or "assess" in r.stderr
    assert cli("ticket", "assess", no, "--fee", "80", "--by", "周班长").code == 0
    r = cli("ticket", "complete", no, "--result", "装好了", "--by", "李静")
    _one_line_error(r)
    _one_line_error(cli("ticket", "owner-decision", no, "maybe", "--by", "李静"))
    r = cli("ticket", "owner-decision", no, "agree", "--by", "李静")
    assert r.code == 0, r.stderr
    shown = json.loads(cli("ticket", "show", no, "--json").stdout)
    assert shown["owner_decision"] == {"agreed": True, "reason": "", "fee": "80.00"}
    _one_line_error(cli("ticket", "complete", no, "--result", "装好了", "--by", "李静"))
    assert cli("ticket", "charge", no, "--agreed", "--by", "李静").code == 0
    r = cli("ticket", "complete", no, "--result", "装好了", "--by", "李静")
    assert r.code == 0, r.stderr


def test_declined_job_is_closed(cli):
    _staff(cli)
    no = cli("ticket", "add", "--room", "5-1-0302", "--caller", "王先生", "--content",
             "拆除隔墙", "--category", "土建", "--assess", "--by", "李静").stdout.strip()
    assert cli("ticket", "assess", no, "--fee", "500", "--by", "周班长").code == 0
    _one_line_error(cli("ticket", "owner-decision", no, "decline", "--by", "李静"))  # reason
    r = cli("ticket", "owner-decision", no, "decline", "--reason", "业主嫌贵", "--by", "李静")
    assert r.code == 0, r.stderr
    shown = json.loads(cli("ticket", "show", no, "--json").stdout)
    assert shown["status"] == "closed"
    assert shown["owner_decision"]["agreed"] is False
    assert shown["owner_decision"]["reason"] == "业主嫌贵"


def test_amend_service_type_then_charges_are_needed(cli):
    _staff(cli)
    no = cli("ticket", "add", "--room", "3-2-1501", "--caller", "王先生", "--content",
             "卫生间漏水", "--category", "水", "--by", "李静").stdout.strip()
    for args in (["dispatch", no, "--to", "张建国"], ["accept", no], ["arrive", no]):
        assert cli("ticket", *args, "--by", "李静").code == 0, args
    _one_line_error(cli("ticket", "amend", no, "--service-type", "gratis", "--by", "李静"))
    r = cli("ticket", "amend", no, "--service-type", "paid", "--note", "业主自购洁具",
            "--by", "李静")
    assert r.code == 0, r.stderr
    shown = json.loads(cli("ticket", "show", no, "--json").stdout)
    assert shown["service_type"] == "paid"
    amend = [e for e in shown["events"] if e["action"] == "amend"][-1]
    assert amend["note"] == "业主自购洁具"
    err = _one_line_error(cli("ticket", "complete", no, "--result", "修好", "--by", "李静"))
    assert "ticket charge" in err


def test_chase_and_report(cli):
    _staff(cli)
    no = cli("ticket", "add", "--room", "3-2-1501", "--caller", "王先生", "--content",
             "卫生间漏水", "--category", "水", "--by", "李静").stdout.strip()
    assert cli("ticket", "dispatch", no, "--to", "张建国", "--by", "李静").code == 0
    _one_line_error(cli("ticket", "chase", no, "--by", "李静"))  # what was said?
    _one_line_error(cli("ticket", "chase", no, "--note", "催", "--reason", "x", "--by", "李静"))
    r = cli("ticket", "chase", no, "--note", "电话未接", "--by", "李静")
    assert r.code == 0, r.stderr
    r = cli("ticket", "report", no, "--note", "半小时后到", "--by", "张建国")
    assert r.code == 0, r.stderr
    events = json.loads(cli("ticket", "show", no, "--json").stdout)["events"]
    notes = [e for e in events if e["action"] == "note" and e["note"] in ("电话未接", "半小时后到")]
    assert [(e["by"], e["note"]) for e in notes] == [("李静", "电话未接"), ("张建国", "半小时后到")]
