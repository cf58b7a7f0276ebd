"""Who may do what (domain.md): every role × every act, through the service functions the desk
and the CLI call. Allowed acts succeed; the others are refused with PermissionDenied (NotFound
for a name that is not on the roster), one line, and change nothing they were refused."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from repairdesk.domain.enums import Role
from repairdesk.domain.handover import ReadBack, lines
from repairdesk.errors import NotFound, PermissionDenied
from repairdesk.services import dutylog, handover, roster, signing, signoff
from repairdesk.services import tickets as T
from repairdesk.services.privacy import reveal_phone
from repairdesk.services.roster import NewPerson
from repairdesk.services.staff import add_staff_unchecked, set_active_unchecked

pytestmark = pytest.mark.usefixtures("fast_pins")

PIN = "135790"
HOLDER = "李静"  # the clerk holding the desk (the `staffed` fixture)
HUGE = "甲" * 130_000

# who: (name, expected outcome of each kind of act)
PEOPLE = {
    "clerk_holding": HOLDER,
    "clerk_other": "陈晓雯",      # a clerk who does not hold the desk
    "technician": "张建国",       # the technician the ticket was sent to
    "team_leader": "周班长",
    "supervisor": "吴主管",
    "manager": "郑经理",
    "deactivated_clerk": "赵强",
    "deactivated_supervisor": "钱主管",
    "unknown": "无名氏",
    "huge": HUGE,
}


@pytest.fixture
def book(staffed):
    """The small roster with PINs, two deactivated people, and two tickets: `fresh` (just
    registered) and `sent` (dispatched to 张建国)."""
    add_staff_unchecked(staffed, "赵强", Role.CLERK)
    add_staff_unchecked(staffed, "钱主管", Role.SUPERVISOR)
    for name in ("李静", "陈晓雯", "张建国", "王师傅", "周班长", "吴主管", "郑经理", "赵强",
                 "钱主管"):
        signing.set_pin_unchecked(staffed, name, PIN)
    for name in ("赵强", "钱主管"):
        set_active_unchecked(staffed, name, False)
    form = T.IntakeForm(room="3-2-1501", caller="王先生", phone="13812345678",
                        content="厨房水龙头滴水", category="水")
    fresh = T.register_ticket(staffed, form, HOLDER).ticket_no
    sent = T.register_ticket(staffed, form, HOLDER).ticket_no
    T.dispatch_ticket(staffed, sent, "张建国", HOLDER)
    return staffed, fresh, sent


def _hand_over(desk: Any, who: str) -> None:
    c = handover.build_checklist(desk)
    answers = {ln.key: ReadBack(ln.key, True) for ln in lines(c)}
    handover.complete_handover(desk, c, answers, HOLDER, PIN, who, PIN)


def _sign_off(desk: Any, who: str, clock: Any) -> None:
    clock.advance(hours=24)
    signoff.sign_off(desk, who, PIN)


ACTS: dict[str, Callable[..., Any]] = {
    "register": lambda d, who, fresh, sent, clock: T.register_ticket(d, T.IntakeForm(
        room="1-1-101", caller="李女士", content="客厅没电", category="电"), who),
    "dispatch": lambda d, who, fresh, sent, clock: T.dispatch_ticket(d, fresh, "王师傅", who),
    "technician_step": lambda d, who, fresh, sent, clock: T.accept_ticket(d, sent, who),
    "note": lambda d, who, fresh, sent, clock: T.add_note(d, sent, "业主来电询问", who),
    "log_entry": lambda d, who, fresh, sent, clock: dutylog.add_entry(d, "巡查正常", who),
    "void": lambda d, who, fresh, sent, clock: T.void_ticket(d, fresh, "重复登记", who),
    "reschedule": lambda d, who, fresh, sent, clock: T.reschedule_ticket(
        d, fresh, "2026-11-23 10:00", "业主改约", who),
    "amend": lambda d, who, fresh, sent, clock: T.amend_ticket(d, fresh, {"caller": "王女士"},
                                                               who),
    "hand_over": lambda d, who, fresh, sent, clock: _hand_over(d, who),
    "reveal_phone": lambda d, who, fresh, sent, clock: reveal_phone(d, fresh, who, PIN),
    "sign_off": lambda d, who, fresh, sent, clock: _sign_off(d, who, clock),
    "roster_add": lambda d, who, fresh, sent, clock: roster.add_person(
        d, NewPerson("孙海", Role.TECHNICIAN), who, PIN),
    "roster_set_role": lambda d, who, fresh, sent, clock: roster.set_role(
        d, "王师傅", Role.TEAM_LEADER, who, PIN),
    "roster_deactivate": lambda d, who, fresh, sent, clock: roster.set_active(
        d, "王师傅", False, who, PIN),
    "roster_reset_pin": lambda d, who, fresh, sent, clock: roster.reset_pin(
        d, "王师傅", "864200", who, PIN),
    "own_pin": lambda d, who, fresh, sent, clock: roster.change_own_pin(d, who, PIN, "975310"),
}

DESK = {"clerk_holding", "supervisor", "manager"}      # the desk's roles; a clerk as holder
BOSS = {"supervisor", "manager"}                        # with their PIN
ALLOWED = {
    "register": DESK,
    "dispatch": DESK,
    "technician_step": DESK | {"technician"},           # his own step on his own job
    "note": DESK,
    "log_entry": DESK,
    "void": DESK,
    "reschedule": DESK,
    "amend": DESK,
    "hand_over": {"clerk_other"} | BOSS,                # taking over from the holder
    "reveal_phone": BOSS,
    "sign_off": BOSS,
    "roster_add": BOSS,
    "roster_set_role": BOSS,
    "roster_deactivate": BOSS,
    "roster_reset_pin": BOSS,
    "own_pin": {"clerk_holding", "clerk_other"} | BOSS,  # with the old PIN
}


def test_the_table_covers_every_act_and_person():
    assert set(ALLOWED) == set(ACTS)


@pytest.mark.parametrize("who", list(PEOPLE))
@pytest.mark.parametrize("act", list(ACTS))
def test_who_may_do_what(book, clock, act, who):
    desk, fresh, sent = book
    if act == "hand_over" and who == "clerk_holding":
        pytest.skip("the holder hands over; he does not take over from himself")
    name = PEOPLE[who]
    before = len(dutylog.list_entries(desk))
    if who in ALLOWED[act]:
        ACTS[act](desk, name, fresh, sent, clock)
        return
    expected = NotFound if who in ("unknown", "huge") else PermissionDenied
    with pytest.raises(expected) as err:
        ACTS[act](desk, name, fresh, sent, clock)
    message = str(err.value)
    assert "\n" not in message and len(message) < 300
    entries = dutylog.list_entries(desk)
    # nothing written but, at most, the record of a refused PIN attempt
    assert all(e.kind in (dutylog.LogKind.PIN, dutylog.LogKind.LOCKOUT)
               for e in entries[before:])
    assert T.get_ticket(desk, fresh).state.status.value == "registered"


def test_roster_changes_are_chained_log_entries(book):
    desk, _fresh, _sent = book
    roster.add_person(desk, NewPerson("孙海", Role.TECHNICIAN, skills="水"), "吴主管", PIN)
    roster.set_role(desk, "孙海", Role.TEAM_LEADER, "郑经理", PIN)
    roster.set_active(desk, "孙海", False, "吴主管", PIN)
    roster.set_active(desk, "孙海", True, "吴主管", PIN)
    roster.reset_pin(desk, "孙海", "864200", "吴主管", PIN)
    roster.change_own_pin(desk, "陈晓雯", PIN, "975310")
    entries = [e for e in dutylog.list_entries(desk) if e.kind == dutylog.LogKind.ROSTER]
    assert [e.author for e in entries] == ["吴主管", "郑经理", "吴主管", "吴主管", "吴主管",
                                           "陈晓雯"]
    assert all("孙海" in e.text for e in entries[:5]) and "864200" not in entries[4].text
    with desk.store.read() as session:
        assert dutylog.verify_chain(session)[1] is None
    assert signing.authenticate(desk, "陈晓雯", "975310").name == "陈晓雯"
    with pytest.raises(PermissionDenied):
        signing.authenticate(desk, "陈晓雯", PIN)


def test_a_wrong_approver_pin_changes_nothing_and_is_recorded(book):
    desk, _fresh, _sent = book
    with pytest.raises(PermissionDenied):
        roster.set_role(desk, "李静", Role.SUPERVISOR, "吴主管", "000000")
    with pytest.raises(PermissionDenied):
        roster.change_own_pin(desk, "李静", "000000", "975310")
    with pytest.raises(PermissionDenied):  # nobody approves their own promotion
        roster.set_role(desk, "吴主管", Role.MANAGER, "吴主管", PIN)
    with pytest.raises(PermissionDenied):  # no approver named
        roster.reset_pin(desk, "李静", "975310", "", "")
    from repairdesk.services.staff import get_staff

    assert get_staff(desk, "李静").role is Role.CLERK
    assert get_staff(desk, "吴主管").role is Role.SUPERVISOR
    assert signing.authenticate(desk, "李静", PIN).name == "李静"
    kinds = [e.kind for e in dutylog.list_entries(desk)]
    assert kinds.count(dutylog.LogKind.PIN) == 2


def test_a_new_book_is_set_up_freely_until_its_first_supervisor(desk):
    roster.add_person(desk, NewPerson("李静", Role.CLERK, pin=PIN, pin_again=PIN))
    roster.add_person(desk, NewPerson("吴主管", Role.SUPERVISOR, pin=PIN, pin_again=PIN))
    with pytest.raises(PermissionDenied, match="--approve-by"):
        roster.add_person(desk, NewPerson("钱主管", Role.SUPERVISOR, pin=PIN, pin_again=PIN))
    entries = dutylog.list_entries(desk)
    assert [e.author for e in entries] == ["李静", "吴主管"]


def test_registering_before_anyone_signs_on_says_to_sign_on(request, english):
    desk = request.getfixturevalue("roster")  # the roster, nobody signed on
    form = T.IntakeForm(room="3-2-1501", caller="王先生", content="漏水", category="水")
    for who in ("李静", "吴主管", ""):
        with pytest.raises(PermissionDenied, match="sign on"):
            T.register_ticket(desk, form, who)
    assert T.list_tickets(desk) == []
