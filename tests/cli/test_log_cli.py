"""`repairdesk log`, `staff set-pin`, `shift sign-on`, `handover`, `signoff`, `verify` end to end."""

from __future__ import annotations

import json
import sqlite3


def setup_staff(cli) -> None:
    # a new book: the roster is set up freely until its first supervisor exists
    assert cli("staff", "add", "李静", "--role", "clerk", "--pin-stdin", input="11111111\n").code == 0
    assert cli("staff", "add", "吴主管", "--role", "supervisor", "--pin-stdin",
               input="99999999\n").code == 0
    r = cli("staff", "add", "陈晓雯", "--role", "clerk", "--approve-by", "吴主管", "--pin-stdin",
            input="99999999\n")
    assert r.code == 0, r.stderr
    r = cli("staff", "reset-pin", "陈晓雯", "--approve-by", "吴主管", "--pin-stdin",
            input="99999999\n22222222\n")
    assert r.code == 0, r.stderr


def test_log_add_show_correct_json(cli):
    from holding import hold_book

    hold_book(cli.db_path)
    r = cli("log", "add", "夜间巡查正常", "--by", "李静")
    assert r.code == 0, r.stderr
    assert cli("log", "correct", "1", "补充：3号楼", "--by", "李静").code == 0
    data = json.loads(cli("log", "show", "--json").stdout)
    assert [e["text"] for e in data] == ["夜间巡查正常", "补充：3号楼"]
    assert data[1]["corrects_id"] == 1
    assert cli("log", "show", "--day", "2020-01-01", "--json").stdout.strip() == "[]"
    assert cli("log", "show", "--day", "bad").code == 1


def test_staff_pin_is_hashed_and_bad_pin_refused(cli, db_path):
    assert cli("staff", "add", "李静", "--role", "clerk", "--pin-stdin", input="12\n").code == 1
    assert cli("staff", "list", "--json").stdout.strip() == "[]"  # nothing half-made
    setup_staff(cli)
    con = sqlite3.connect(db_path)
    hashes = [h for (h,) in con.execute("SELECT pin_hash FROM staff")]
    con.close()
    assert all(h.startswith("$argon2id$") for h in hashes)


def test_sign_on_handover_signoff_status_and_verify(cli, db_path):
    setup_staff(cli)
    r = cli("shift", "sign-on", "李静", "--pin-stdin", input="11111111\n")
    assert r.code == 0, r.stderr
    assert json.loads(cli("shift", "status", "--json").stdout)["holder"] == "李静"
    assert cli("log", "add", "前台钥匙少一把").code == 0  # --by defaults to the holder
    assert json.loads(cli("log", "show", "--json").stdout)[-1]["author"] == "李静"
    cl = json.loads(cli("handover", "checklist", "--json").stdout)
    assert cl["counts"]["issued"] == 0
    r = cli("handover", "sign", "--from", "李静", "--to", "陈晓雯", "--confirm-all",
            "--found", "item:desk_keys=11", "--pin-stdin", input="11111111\n22222222\n")
    assert r.code == 0, r.stderr
    h = json.loads(cli("handover", "show", "--last", "--json").stdout)
    assert h["incoming"] == "陈晓雯" and h["discrepancies"] == 1
    assert json.loads(cli("shift", "status", "--json").stdout)["holder"] == "陈晓雯"
    st = json.loads(cli("signoff", "status", "--json").stdout)
    assert st["unsigned"] == []  # nothing before today
    r = cli("verify")
    assert r.code == 0, r.stderr
    # tamper as an attacker would: drop the trigger and rewrite an entry
    con = sqlite3.connect(db_path)
    con.execute("DROP TRIGGER duty_log_no_update")
    con.execute("UPDATE duty_log SET text = '钥匙齐全' WHERE text = '前台钥匙少一把'")
    con.commit()
    seq = con.execute("SELECT seq FROM duty_log WHERE text = '钥匙齐全'").fetchone()[0]
    con.close()
    r = cli("verify")
    assert r.code == 1 and "钥匙齐全" in r.stderr and str(seq) in r.stderr


def test_tampered_handover_record_fails_verify(cli, db_path):
    setup_staff(cli)
    cli("shift", "sign-on", "李静", "--pin-stdin", input="11111111\n")
    cli("handover", "sign", "--from", "李静", "--to", "陈晓雯", "--confirm-all", "--pin-stdin",
        input="11111111\n22222222\n")
    con = sqlite3.connect(db_path)
    con.execute("DROP TRIGGER handover_no_update")
    con.execute("UPDATE handover SET content = replace(content, '\"abnormal\": \"\"', "
                "'\"abnormal\": \"x\"')")
    con.commit()
    con.close()
    r = cli("verify")
    assert r.code == 1 and r.stderr.strip()


def test_wrong_pin_cli(cli):
    setup_staff(cli)
    r = cli("shift", "sign-on", "李静", "--pin-stdin", input="00000000\n")
    assert r.code == 1 and len(r.stderr.strip().splitlines()) == 1
