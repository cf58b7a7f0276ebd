"""`ticket add` reads the room as callers say it (issue 17): 3栋2单元1501 is stored as
3-2-1501, in-home; a public place's word makes it public; a text that is neither is refused
with one line, never stored as a public place."""

from __future__ import annotations

import json


def _setup(cli):
    from holding import hold_book

    for name, role in (("李静", "clerk"), ("张建国", "technician")):
        assert cli("staff", "add", name, "--role", role).code == 0
    hold_book(cli.db_path)


def _add(cli, room, *extra):
    return cli("ticket", "add", "--room", room, "--caller", "王先生", "--content", "水管漏水",
               "--by", "李静", *extra)


def test_ticket_add_reads_the_room_as_callers_say_it(cli):
    _setup(cli)
    for said in ("3栋2单元1501", "3号楼2单元1501"):
        r = _add(cli, said)
        assert r.code == 0, r.stderr
        data = json.loads(cli("ticket", "show", r.stdout.strip(), "--json").stdout)
        assert (data["room"], data["scope"]) == ("3-2-1501", "home")
    r = _add(cli, "3幢2单元1501", "--scope", "home")
    assert r.code == 0, r.stderr
    shown = cli("ticket", "show", r.stdout.strip()).stdout
    assert "3-2-1501" in shown and "入户" in shown


def test_without_scope_a_public_place_is_public_and_an_unclear_one_is_refused(cli):
    _setup(cli)
    r = _add(cli, "5栋楼道")
    assert r.code == 0, r.stderr
    data = json.loads(cli("ticket", "show", r.stdout.strip(), "--json").stdout)
    assert (data["room"], data["scope"]) == ("5栋楼道", "public")
    r = _add(cli, "3栋2单元")
    assert r.code == 1 and len(r.stderr.strip().splitlines()) == 1
    assert "3栋2单元" in r.stderr and "Traceback" not in r.stderr
    assert len(json.loads(cli("ticket", "list", "--json").stdout)) == 1
