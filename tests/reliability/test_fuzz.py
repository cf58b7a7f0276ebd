"""Garbage in: random Unicode, huge strings, NUL and control characters, ANSI/OSC escapes,
invalid dates and SQL metacharacters in every intake field, step and CLI option. Each input
gives one clear error or a clean save; nothing stored, printed or exported carries an escape."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repairdesk.clock import FixedClock
from repairdesk.config import load_config
from repairdesk.domain.enums import Role
from repairdesk.domain.text import has_escape
from repairdesk.errors import RepairdeskError
from repairdesk.services import tickets as svc
from repairdesk.services.serialize import ticket_dict

T0_FUZZ = datetime(2026, 11, 22, 2, 0, tzinfo=timezone.utc)

NASTY = [
    "\x1b[31m", "\x1b[2J\x1b[H", "\x1b]0;pwned\x07", "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\",
    "\x1bP+q\x1b\\", "\x9b31m", "\x9d0;x\x9c", "\x1b", "\x00", "\x07", "\x08", "\r", "\n", "\t",
    "\x7f", "\u202e", "\u2066", "\ud800", "\ufeff", "\u200b", "'; DROP TABLE ticket;--",
    "\" OR 1=1 --", "%s", "%(x)s", ":name", "?", "\\", "{0}", "{no}", "%", "_", "*", "NULL",
    "3-2-1501", "水管漏水", "王", "13812345678", "10:00", "2026-11-22 14:00", "BX-20261122-0001",
]
BAD_DATES = ["2026-02-30 10:00", "25:61", "9999-99-99", "0000-01-01 00:00", "明天", "-1", "1e309",
             "2026-11-22T10:00:00+99:00", "24:00", "00:00", "2026-11-21 23:59", "2099-01-01 08:00",
             "1970-01-01 00:00", "", " ", "tomorrow 10:00", "10:00\x1b[31m"]

text_values = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=6)), max_size=8).map("".join),
    st.builds(lambda ch, n: ch * n, st.sampled_from(["水", "a", "\x1b[0m", "\x00", "🔧"]),
              st.integers(300, 60_000)),
)
dates = st.one_of(st.sampled_from(BAD_DATES), text_values,
                  st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M")))
# pure escapes and controls (the OSC 8 hyperlink keeps its visible text "link" when cleaned)
ESCAPES = [x for x in NASTY if x and x[0] in "\x1b\x9b\x9d\x00\x07\x08\r\t\x7f\u202e\u2066"
           and "link" not in x] + ["\x1b]8;;http://evil\x1b\\"]


def near(*valid: str, sql: bool = False,
         junk: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[str]:
    """A valid value wrapped in escapes and control characters (cleaned, it is saved), or junk.
    Free-text fields (`sql`) also get SQL metacharacters, which they must store verbatim."""
    extra = ["'; DROP TABLE ticket;--", "%", "_", "\\", '"'] if sql else []
    wrapped = st.tuples(st.lists(st.sampled_from(ESCAPES + extra), max_size=3).map("".join),
                        st.sampled_from(valid),
                        st.lists(st.sampled_from(ESCAPES + extra), max_size=3).map("".join)
                        ).map("".join)
    # one junk value in ten (one_of would pick junk half the time)
    return st.integers(0, 9).flatmap(lambda i: (text_values if junk is None else junk) if i == 0 else wrapped)


choice = st.one_of(st.sampled_from(["home", "public", "urgent", "normal", "appointment", "phone",
                                    "walk_in", "free", "paid", "水", "电"]), text_values)

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

COUNTS = {"saved": 0, "refused": 0}
REASONS: dict = {}


def _strings(obj: Any) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _strings(v)


def _clean_error(exc: RepairdeskError) -> None:
    msg = str(exc)
    assert msg.strip(), "an empty error message"
    assert "\n" not in msg and not has_escape(msg), repr(msg)


@pytest.fixture(scope="module")
def fuzz_desk(tmp_path_factory: pytest.TempPathFactory):
    from repairdesk.services.desk import open_desk
    from repairdesk.services.staff import add_staff_unchecked

    db = tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite3"
    desk = open_desk(str(db), clock=FixedClock(T0_FUZZ), config=load_config(None))
    add_staff_unchecked(desk, "张建国", Role.TECHNICIAN)
    from holding import hold_desk

    hold_desk(desk)  # 李静 holds the desk; other names are refused with one line
    yield desk
    desk.close()
    print(f"\nfuzz: {COUNTS['saved']} saved, {COUNTS['refused']} refused with one clear line", REASONS)


def _check_saved(desk: Any, record: Any) -> None:
    from repairdesk.cli.render import ticket_text

    again = svc.get_ticket(desk, record.ticket_no)
    for value in _strings(ticket_dict(again, desk.config.tz, reveal_phone=True)):
        assert not has_escape(value), repr(value)
    assert not has_escape(ticket_text(desk, again))
    assert not has_escape(json.dumps(ticket_dict(again, desk.config.tz), ensure_ascii=False))


@FUZZ
@given(room=near("3-2-1501", "12-1-302", "1-1-101"), caller=near("王先生", "李", "Mr Smith", sql=True),
       phone=near("", "13812345678", "0755-86001234"), content=near("厨房水管漏水", "客厅没电", sql=True),
       scope=near("home"), category=near("水", "电", ""), urgency=near("normal", "urgent"),
       appointment=near("", "", "2026-11-23 10:00", junk=dates), channel=near("phone", "wechat"),
       service=near("free", "paid"), verify=near("", "1234"),
       received=near("", "", "09:30", junk=dates), by=near("李静", "陈晓雯", sql=True))
def test_intake_fields(fuzz_desk, room, caller, phone, content, scope, category, urgency,
                       appointment, channel, service, verify, received, by) -> None:
    form = svc.IntakeForm(room=room, caller=caller, phone=phone, content=content, scope=scope,
                          category=category, urgency=urgency, appointment=appointment,
                          channel=channel, service_type=service, verify_code=verify,
                          received_at=received)
    try:
        record = svc.register_ticket(fuzz_desk, form, by)
    except RepairdeskError as exc:
        COUNTS["refused"] += 1
        key = getattr(exc, "field", None) or type(exc).__name__
        REASONS[key] = REASONS.get(key, 0) + 1
        _clean_error(exc)
        return
    COUNTS["saved"] += 1
    _check_saved(fuzz_desk, record)


@FUZZ
@given(step=st.sampled_from(["dispatch", "accept", "arrive", "note", "void", "pause",
                             "follow_up", "reschedule", "amend"]),
       value=near("张建国", "等配件", "业主不在家", sql=True), when=st.one_of(st.none(), dates),
       by=near("李静"), number=st.one_of(st.none(), st.none(), text_values))
def test_step_fields(fuzz_desk, step, value, when, by, number) -> None:
    good = svc.register_ticket(fuzz_desk, svc.IntakeForm(
        room="3-2-1501", caller="王先生", content="门锁坏了"), "李静").ticket_no
    no = good if number is None else number
    calls = {
        "dispatch": lambda: svc.dispatch_ticket(fuzz_desk, no, value, by, note=value, at=when),
        "accept": lambda: svc.accept_ticket(fuzz_desk, no, by, note=value, at=when),
        "arrive": lambda: svc.arrive_ticket(fuzz_desk, no, by, note=value, at=when),
        "note": lambda: svc.add_note(fuzz_desk, no, value, by),
        "void": lambda: svc.void_ticket(fuzz_desk, no, value, by),
        "pause": lambda: svc.pause_ticket(fuzz_desk, no, value, by),
        "follow_up": lambda: svc.follow_up_ticket(fuzz_desk, no, value, by),
        "reschedule": lambda: svc.reschedule_ticket(fuzz_desk, no, when, value, by),
        "amend": lambda: svc.amend_ticket(fuzz_desk, no, {"room": value, "caller": value}, by),
    }
    try:
        record = calls[step]()
    except RepairdeskError as exc:
        COUNTS["refused"] += 1
        _clean_error(exc)
        return
    COUNTS["saved"] += 1
    _check_saved(fuzz_desk, record)


@FUZZ
@given(value=text_values)
def test_search_and_lookup(fuzz_desk, value) -> None:
    try:
        records, _total = svc.search_tickets(fuzz_desk, value)
    except RepairdeskError as exc:  # e.g. a 50 kB search text: one clear line
        _clean_error(exc)
        records = []
    for r in records:
        assert not has_escape(r.intake.content)
    try:
        svc.get_ticket(fuzz_desk, value)
    except RepairdeskError as exc:
        _clean_error(exc)


# ------------------------------------------------------------------ the CLI, in-process

_REGISTERED: list[bool] = []


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """The `repairdesk` entry point without a process per call (same handling as cli.app.run)."""
    from repairdesk.cli import app as appmod
    from repairdesk.cli.common import error_line

    if not _REGISTERED:
        appmod._register()
        _REGISTERED.append(True)
    # a real text stream over bytes: commands that write binary (CSV with its BOM) use .buffer
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True), io.StringIO()
    code: Any = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            appmod.app(args=args, prog_name="repairdesk")
        except RepairdeskError as exc:
            err.write(error_line(exc) + "\n")
            code = exc.exit_code
        except SystemExit as exc:
            code = exc.code or 0
        except Exception as exc:  # noqa: BLE001 - the real entry point prints "Unexpected error"
            code = f"unexpected {type(exc).__name__}: {exc}"
    out.flush()
    printed = out.buffer.getvalue().decode("utf-8", errors="replace")  # type: ignore[attr-defined]
    return code if isinstance(code, int) else -1, printed, err.getvalue() + (
        "" if isinstance(code, int) else str(code))


@pytest.fixture(scope="module")
def cli_db(fuzz_desk, tmp_path_factory: pytest.TempPathFactory):
    """The book, with the working directory moved to a scratch folder: a report written
    under its default name lands there, not in the checkout."""
    old = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("cwd"))
    try:
        yield fuzz_desk.store.url
    finally:
        os.chdir(old)


CLI_TEMPLATES = [
    ["ticket", "add", "--room", "{a}", "--caller", "{b}", "--content", "{c}", "--phone", "{d}",
     "--urgency", "{e}", "--appointment", "{t}", "--by", "{b}"],
    ["ticket", "add", "--room", "3-2-1501", "--caller", "王", "--content", "{c}",
     "--scope", "{e}", "--category", "{a}", "--channel", "{d}", "--received-at", "{t}",
     "--verify-code", "{b}", "--by", "李静"],
    ["ticket", "dispatch", "{a}", "--to", "{b}", "--by", "{c}", "--at", "{t}", "--note", "{d}"],
    ["ticket", "show", "{a}"], ["ticket", "show", "{a}", "--json"],
    ["ticket", "void", "{a}", "--reason", "{b}", "--by", "{c}"],
    ["ticket", "reschedule", "{a}", "--to", "{t}", "--reason", "{b}", "--by", "{c}"],
    ["ticket", "amend", "{a}", "--room", "{b}", "--phone", "{d}", "--by", "{c}"],
    ["ticket", "list", "--limit", "{a}"],
    ["staff", "add", "{a}", "--role", "{e}", "--phone", "{d}"],
    ["ticket", "reveal", "{a}", "--by", "{b}", "--pin-stdin"],
    ["ticket", "search", "{a}"], ["ticket", "search", "{a}", "{b}", "--json"],
    ["log", "add", "{a}", "--by", "{b}"], ["log", "show", "--day", "{a}"],
    ["log", "correct", "{a}", "{b}"],
    ["handover", "checklist", "--explain", "{a}={b}"],
    ["handover", "sign", "--from", "{a}", "--to", "{b}", "--confirm-all", "--found", "{c}={d}",
     "--abnormal", "{d}", "--explain", "{a}={c}", "--pin-stdin"],
    ["signoff", "sign", "--by", "{a}", "--comment", "{b}", "--day", "{c}", "--pin-stdin"],
    ["signoff", "show", "--day", "{a}"],
    ["report", "month", "{a}", "--format", "csv"], ["report", "day", "{a}"],
    ["report", "month", "--format", "{e}"],
    ["sla", "follow-up", "{a}"], ["print", "preview", "{a}"], ["print", "retry", "{a}"],
    ["fees"], ["{a}", "{b}"],
]


@FUZZ
@given(template=st.sampled_from(CLI_TEMPLATES), a=text_values, b=text_values, c=text_values,
       d=text_values, e=choice, t=dates)
def test_cli_options(cli_db, template, a, b, c, d, e, t) -> None:
    values = {"a": a, "b": b, "c": c, "d": d, "e": e, "t": t}
    args = ["--db", cli_db] + [values[x[1]] if x.startswith("{") else x for x in template]
    import sys

    old_stdin = sys.stdin
    sys.stdin = io.StringIO("0000\n")
    try:
        code, out, err = run_cli(args)
    finally:
        sys.stdin = old_stdin
    assert code in (0, 1, 2), err[-500:]
    assert "Traceback" not in err and "Unexpected error" not in err, err[-500:]
    # what reaches the terminal: tabs separate columns in lists and are fine
    # CSV on stdout opens with a byte-order mark and ends lines with CRLF, on purpose
    assert not has_escape(out.removeprefix("\ufeff").replace("\r\n", "\n").replace("\t", " ")), \
        repr(out[:300])
    assert not has_escape(err.replace("\t", " ")), repr(err[:300])
    if code == 1:
        assert len(err.strip().splitlines()) == 1, err[-500:]


def test_fuzz_inputs_really_are_nasty() -> None:
    """The strategies produce what they claim (so the fuzzers can fail)."""
    assert any(has_escape(x) for x in NASTY)
    assert has_escape("\x1b]0;pwned\x07") and has_escape("\u202e")
