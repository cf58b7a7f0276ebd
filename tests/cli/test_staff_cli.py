"""`repairdesk staff add|set-role|deactivate|activate|reset-pin … --approve-by`, `staff set-pin`
(own PIN: old, then new), and one-line refusals for every unauthorised or unknown name."""

from __future__ import annotations

import json

BOSS_PIN = "99999999"
HUGE = "甲" * 40_000  # 120 KB of UTF-8: as long as one argument of a command line may be


def _book(cli) -> None:
    """A new book: the clerk and the first supervisor are set up freely."""
    assert cli("staff", "add", "李静", "--role", "clerk", "--pin-stdin",
               input="11111111\n").code == 0
    assert cli("staff", "add", "吴主管", "--role", "supervisor", "--pin-stdin",
               input=BOSS_PIN + "\n").code == 0


def _one_line(r) -> None:
    assert r.code == 1, r.stdout
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def _staff(cli) -> dict:
    return {m["name"]: m for m in json.loads(cli("staff", "list", "--json").stdout)}


def test_roster_changes_need_a_supervisors_pin(cli):
    _book(cli)
    # without an approver, once the book has its supervisor
    r = cli("staff", "add", "赵强", "--role", "supervisor", "--pin-stdin", input="12345678\n",
            lang="en")
    _one_line(r)
    assert "--approve-by" in r.stderr and "赵强" not in _staff(cli)
    # a clerk is no approver; a wrong PIN is refused
    _one_line(cli("staff", "add", "赵强", "--role", "clerk", "--approve-by", "李静",
                  "--pin-stdin", input="11111111\n12345678\n"))
    _one_line(cli("staff", "add", "赵强", "--role", "clerk", "--approve-by", "吴主管",
                  "--pin-stdin", input="00000000\n12345678\n"))
    assert "赵强" not in _staff(cli)
    r = cli("staff", "add", "赵强", "--role", "clerk", "--approve-by", "吴主管", "--pin-stdin",
            input=BOSS_PIN + "\n12345678\n")
    assert r.code == 0, r.stderr
    assert _staff(cli)["赵强"]["has_pin"]
    r = cli("staff", "set-role", "赵强", "team_leader", "--approve-by", "吴主管", "--pin-stdin",
            input=BOSS_PIN + "\n")
    assert r.code == 0, r.stderr
    assert _staff(cli)["赵强"]["role"] == "team_leader"
    r = cli("staff", "deactivate", "赵强", "--approve-by", "吴主管", "--pin-stdin",
            input=BOSS_PIN + "\n")
    assert r.code == 0, r.stderr
    assert not _staff(cli)["赵强"]["active"]
    r = cli("staff", "activate", "赵强", "--approve-by", "吴主管", "--pin-stdin",
            input=BOSS_PIN + "\n")
    assert r.code == 0, r.stderr
    r = cli("staff", "reset-pin", "李静", "--approve-by", "吴主管", "--pin-stdin",
            input=BOSS_PIN + "\n24682468\n")
    assert r.code == 0, r.stderr
    log = json.loads(cli("log", "show", "--json").stdout)
    roster = [e for e in log if e["kind"] == "roster"]
    assert [e["author"] for e in roster][-5:] == ["吴主管"] * 5
    assert "24682468" not in json.dumps(log, ensure_ascii=False)
    assert cli("verify").code == 0


def test_unapproved_acts_are_one_line_each(cli):
    _book(cli)
    for args in (("deactivate", "李静"), ("activate", "李静"), ("set-role", "李静", "manager"),
                 ("reset-pin", "李静")):
        _one_line(cli("staff", *args))
        _one_line(cli("staff", *args, "--approve-by", "无名氏", "--pin-stdin",
                      input="12345678\n12345678\n"))
        _one_line(cli("staff", *args, "--approve-by", HUGE, "--pin-stdin",
                      input="12345678\n12345678\n"))
    assert _staff(cli)["李静"]["active"] and _staff(cli)["李静"]["role"] == "clerk"


def test_own_pin_needs_the_old_one(cli):
    _book(cli)
    _one_line(cli("staff", "set-pin", "李静", "--pin-stdin", input="00000000\n24682468\n"))
    r = cli("staff", "set-pin", "李静", "--pin-stdin", input="11111111\n24682468\n")
    assert r.code == 0, r.stderr
    r = cli("shift", "sign-on", "李静", "--pin-stdin", input="24682468\n")
    assert r.code == 0, r.stderr
    # full-width digits, as a Chinese input method types them
    r = cli("staff", "set-pin", "李静", "--pin-stdin", input="２４６８２４６８\n１３５７９０\n")
    assert r.code == 0, r.stderr


def test_short_or_non_digit_pins_are_refused(cli):
    _one_line(cli("staff", "add", "李静", "--role", "clerk", "--pin-stdin", input="1234\n"))
    _one_line(cli("staff", "add", "李静", "--role", "clerk", "--pin-stdin", input="abcdefg\n"))
    assert _staff(cli) == {}


def test_by_names_an_active_staff_member(cli):
    _book(cli)
    assert cli("shift", "sign-on", "李静", "--pin-stdin", input="11111111\n").code == 0
    assert cli("log", "add", "巡查正常").code == 0  # the holder
    for by in ("Nobody At All", HUGE, "吴主管 "):
        r = cli("log", "add", "假的", "--by", by)
        if by.strip() == "吴主管":
            assert r.code == 0, r.stderr  # a supervisor may write at a held desk
            continue
        _one_line(r)
    r = cli("ticket", "add", "--room", "3-2-1501", "--caller", "王先生", "--content", "漏水",
            "--category", "水", "--by", "Nobody At All")
    _one_line(r)
    authors = {e["author"] for e in json.loads(cli("log", "show", "--json").stdout)}
    assert authors <= {"李静", "吴主管"}


def test_nothing_is_registered_before_anyone_signs_on(cli):
    _book(cli)
    r = cli("ticket", "add", "--room", "3-2-1501", "--caller", "王先生", "--content", "漏水",
            "--category", "水", lang="en", env={"USER": "root", "LOGNAME": "root"})
    _one_line(r)
    assert "sign on" in r.stderr
    assert json.loads(cli("ticket", "list", "--json").stdout) == []
