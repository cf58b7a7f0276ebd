"""Phones masked everywhere by default; revealing one needs a supervisor's PIN and is logged."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from repairdesk.domain.enums import Role
from repairdesk.errors import NotFound, PermissionDenied, ValidationError
from repairdesk.services.privacy import reveal_phone
from repairdesk.services.staff import add_staff_unchecked
from repairdesk.services.tickets import IntakeForm, register_ticket
from repairdesk.store.tables import DutyLogEntry

PHONE = "13812345678"


@pytest.fixture
def book(staffed):
    add_staff_unchecked(staffed, "钱主管", Role.SUPERVISOR, pin_hash=PasswordHasher().hash("24682468"))
    add_staff_unchecked(staffed, "孙助理", Role.CLERK, pin_hash=PasswordHasher().hash("13571357"))
    rec = register_ticket(staffed, IntakeForm(room="3-2-1501", caller="王先生", phone=PHONE,
                                              content="厨房水管漏水"), "李静")
    return staffed, rec.ticket_no


def _reveals(desk) -> list[DutyLogEntry]:
    with desk.store.read() as session:
        return list(session.exec(select(DutyLogEntry).where(DutyLogEntry.kind == "reveal")))


def test_supervisor_with_pin_reveals_and_it_is_logged(book) -> None:
    desk, no = book
    assert reveal_phone(desk, no, "钱主管", "24682468") == PHONE
    [entry] = _reveals(desk)
    assert entry.author == "钱主管" and entry.ticket_no == no and entry.at == desk.now()
    assert PHONE not in entry.text  # the log says who looked, not the number


@pytest.mark.parametrize("who,pin", [("钱主管", "00000000"), ("钱主管", ""), ("孙助理", "13571357"),
                                     ("吴主管", "")])
def test_wrong_pin_or_role_keeps_the_number_masked(book, who: str, pin: str) -> None:
    desk, no = book
    # an empty PIN is asked for again (no attempt counted); a wrong one or role is refused
    with pytest.raises(PermissionDenied if pin else ValidationError):
        reveal_phone(desk, no, who, pin)
    assert _reveals(desk) == []


def test_unknown_ticket_or_person(book) -> None:
    desk, _no = book
    with pytest.raises(NotFound):
        reveal_phone(desk, "BX-20261122-9999", "钱主管", "24682468")
    with pytest.raises(NotFound):
        reveal_phone(desk, _no, "无此人", "24682468")


def test_cli_masks_by_default_and_reveals_with_pin(book, cli) -> None:
    _desk, no = book
    for args in (("ticket", "show", no), ("ticket", "show", no, "--json"),
                 ("ticket", "list"), ("ticket", "list", "--json")):
        r = cli(*args)
        assert r.code == 0, r.stderr
        assert PHONE not in r.stdout, args
        if args != ("ticket", "list"):  # the plain list has no phone column
            assert "138****5678" in r.stdout, args
    r = cli("ticket", "reveal", no, "--by", "钱主管", "--pin-stdin", input="99999999\n")
    assert r.code == 1 and PHONE not in r.stdout + r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    r = cli("ticket", "reveal", no, "--by", "钱主管", "--pin-stdin", input="24682468\n")
    assert r.code == 0, r.stderr
    assert r.stdout.strip() == PHONE
