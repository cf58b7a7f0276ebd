"""`ticket callback` outcomes on the command line (issue 17): --no-answer --retry, --refused."""

from __future__ import annotations

import json


def _returned(cli) -> str:
    from holding import hold_book

    for name, role in (("李静", "clerk"), ("张建国", "technician")):
        assert cli("staff", "add", name, "--role", role).code == 0
    hold_book(cli.db_path)
    no = cli("ticket", "add", "--room", "3-2-1501", "--caller", "王先生", "--content", "水管漏水",
             "--category", "水", "--phone", "13800138000", "--by", "李静").stdout.strip()
    for args in (["dispatch", no, "--to", "张建国"], ["arrive", no],
                 ["complete", no, "--result", "更换水管"], ["return", no]):
        assert cli("ticket", *args, "--by", "李静").code == 0
    return no


def test_no_answer_then_refused(cli):
    no = _returned(cli)
    r = cli("ticket", "callback", no, "--no-answer", "--by", "李静")
    assert r.code != 0 and r.stderr.strip(), r.stderr
    assert r.stderr.strip().count("\n") == 0  # one line
    r = cli("ticket", "callback", no, "--no-answer", "--retry", "tomorrow 9:00", "--by", "李静",
            lang="en")
    assert r.code == 0, r.stderr
    assert "retry at" in r.stdout and "09:00" in r.stdout
    shown = cli("ticket", "show", no, lang="en").stdout
    assert "retry at" in shown and "callback: no answer" in shown, shown
    r = cli("ticket", "callback", no, "--refused", "--satisfied", "--by", "李静")
    assert r.code != 0  # two outcomes at once
    r = cli("ticket", "callback", no, "--refused", "--by", "李静")
    assert r.code == 0, r.stderr
    data = json.loads(cli("ticket", "show", no, "--json").stdout)
    assert data["status"] == "callback"
    assert [e["action"] for e in data["events"]][-2:] == ["callback_no_answer", "callback"]
