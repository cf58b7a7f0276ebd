"""The CLI as a script would use it: real processes, real database file, exit codes."""

from __future__ import annotations

import json


def setup_staff(cli):
    from holding import hold_book

    for name, role in (("李静", "clerk"), ("张建国", "technician")):
        assert cli("staff", "add", name, "--role", role).code == 0
    hold_book(cli.db_path)  # 李静 holds the desk, as if signed on


def test_add_prints_only_the_number(cli):
    setup_staff(cli)
    r = cli("ticket", "add", "--room", "3-2-1501", "--caller", "王先生", "--content", "水管漏水",
            "--category", "水", "--phone", "13800138000", "--by", "李静")
    assert r.code == 0, r.stderr
    assert r.stdout.strip() == "BX-" + r.stdout.strip()[3:]
    assert r.stdout.strip().endswith("-0001")
    assert r.stdout.count("\n") == 1


def test_full_flow_and_json(cli):
    setup_staff(cli)
    no = cli("ticket", "add", "--room", "3-2-1501", "--caller", "王先生", "--content", "水管漏水",
             "--category", "水", "--phone", "13800138000", "--by", "李静").stdout.strip()
    for args in (["dispatch", no, "--to", "张建国"], ["accept", no], ["arrive", no],
                 ["complete", no, "--result", "更换水管"], ["return", no],
                 ["callback", no, "--satisfied", "--note", "满意"], ["close", no]):
        r = cli("ticket", *args, "--by", "李静")
        assert r.code == 0, (args, r.stderr)
    data = json.loads(cli("ticket", "show", no, "--json").stdout)
    assert data["status"] == "closed"
    assert data["phone_masked"] == "138****8000"
    assert "13800138000" not in json.dumps(data)
    assert data["received_at"].endswith("+08:00")
    # the dispatch printed the work order ([printing] auto_on_dispatch): a note in the history
    assert [e["action"] for e in data["events"]] == [
        "register", "dispatch", "note", "accept", "arrive", "complete", "return", "callback",
        "close"]
    for key in ("ticket_no", "room", "caller", "content", "scope", "category", "urgency",
                "channel", "paid", "technician", "repeat", "events"):
        assert key in data
    listed = json.loads(cli("ticket", "list", "--json").stdout)
    assert [t["ticket_no"] for t in listed] == [no]
    assert json.loads(cli("ticket", "list", "--open", "--json").stdout) == []


def test_errors_are_one_line_and_exit_1(cli):
    setup_staff(cli)
    r = cli("ticket", "add", "--room", "31501", "--caller", "王", "--content", "漏水")
    assert r.code == 1
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr
    assert "房号" in r.stderr or "Room" in r.stderr
    no = cli("ticket", "add", "--room", "3-2-1501", "--caller", "王",
             "--content", "漏水").stdout.strip()
    r = cli("ticket", "complete", no, "--result", "x")
    assert r.code == 1 and len(r.stderr.strip().splitlines()) == 1
    r = cli("ticket", "show", "BX-19990101-0001")
    assert r.code == 1 and "Traceback" not in r.stderr


def test_usage_error_exits_2(cli):
    r = cli("ticket", "add", "--room", "3-2-1501")
    assert r.code == 2
    r = cli("ticket", "frobnicate")
    assert r.code == 2


def test_english_messages(cli):
    r = cli("ticket", "add", "--room", "31501", "--caller", "王", "--content", "漏水", lang="en")
    assert r.code == 1
    assert "Room" in r.stderr


def test_back_entry_is_recorded(cli):
    setup_staff(cli)
    no = cli("ticket", "add", "--room", "3-2-1501", "--caller", "王", "--content", "漏水",
             "--received-at", "2020-01-01 08:00").stdout.strip()
    data = json.loads(cli("ticket", "show", no, "--json").stdout)
    assert data["received_at"].startswith("2020-01-01T08:00")
    assert data["events"][0]["note"]


def test_staff_list_json(cli):
    setup_staff(cli)
    staff = json.loads(cli("staff", "list", "--json").stdout)
    assert {s["name"] for s in staff} == {"李静", "张建国"}
    assert cli("staff", "add", "X", "--role", "wizard").code == 1


def test_demo_builds_separate_db(cli, tmp_path):
    target = tmp_path / "demo.sqlite3"
    r = cli("demo", "--no-tui", "--path", str(target))
    assert r.code == 0, r.stderr
    assert r.stdout.strip() == str(target)
    listed = json.loads(cli("--db", str(target), "ticket", "list", "--json").stdout)
    statuses = {t["status"] for t in listed}
    assert len(listed) >= 35
    assert {"registered", "dispatched", "accepted", "on_site", "completed", "returned",
            "callback", "closed", "paused", "voided"} <= statuses
    # refuses to overwrite a real book
    real = tmp_path / "real.sqlite3"
    assert cli("--db", str(real), "init").code == 0
    assert cli("--db", str(real), "staff", "add", "李静", "--role", "clerk").code == 0
    r = cli("demo", "--no-tui", "--path", str(real))
    assert r.code == 1
