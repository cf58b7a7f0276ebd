"""PINs (issue 15): six digits by default, ASCII digits only (full-width normalised), a lockout
kept by an append-only table, and the slow argon2 work done outside the write transaction."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import replace

import pytest
from argon2 import PasswordHasher

from repairdesk.config import load_config, merge, parse_config
from repairdesk.errors import ConfigError, PermissionDenied, ValidationError
from repairdesk.services import signing

pytestmark = pytest.mark.usefixtures("fast_pins")


@pytest.mark.parametrize("pin", ["1234", "12345", "abcdef", "12 3456", "١٢٣٤٥٦", "一二三四五六",
                                 "1234567890123"])
def test_a_new_pin_is_six_to_twelve_ascii_digits(staffed, pin):
    with pytest.raises(ValidationError) as err:
        signing.set_pin_unchecked(staffed, "李静", pin)
    assert "6" in str(err.value) and "\n" not in str(err.value)


def test_full_width_digits_are_the_same_pin(staffed):
    signing.set_pin_unchecked(staffed, "李静", "１２３４５６")  # typed with a Chinese IME
    assert signing.authenticate(staffed, "李静", "123456").name == "李静"
    assert signing.authenticate(staffed, "李静", "１２３４５６").name == "李静"


def test_the_shortest_pin_is_configurable(staffed):
    staffed.config = replace(staffed.config, pin_min=8)
    with pytest.raises(ValidationError, match="8"):
        signing.set_pin_unchecked(staffed, "李静", "123456")
    signing.set_pin_unchecked(staffed, "李静", "12345678")
    raw = load_config(None).raw
    assert parse_config(merge(raw, {"signing": {"pin_min": 4}})).pin_min == 4
    with pytest.raises(ConfigError, match="pin_min"):
        parse_config(merge(raw, {"signing": {"pin_min": 3}}))
    assert load_config(None).pin_min == 6


def test_a_lockout_is_not_lifted_by_deleting_the_attempts(staffed, db_path):
    signing.set_pin_unchecked(staffed, "李静", "24682468")
    for _ in range(signing.MAX_FAILURES):
        with pytest.raises(PermissionDenied):
            signing.authenticate(staffed, "李静", "00000000")
    con = sqlite3.connect(db_path)
    for stmt in ("DELETE FROM pin_attempt", "UPDATE pin_attempt SET ok = 1"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(stmt)
    con.close()
    with pytest.raises(PermissionDenied, match="locked|锁"):
        signing.authenticate(staffed, "李静", "24682468")


def test_argon2_runs_outside_the_write_transaction(staffed, monkeypatch):
    signing.set_pin_unchecked(staffed, "李静", "24682468")
    store = staffed.store
    in_write = []
    original = store.write

    @contextmanager
    def watched_write():
        in_write.append(True)
        try:
            with original() as session:
                yield session
        finally:
            in_write.pop()

    seen: list[bool] = []

    class Watching(PasswordHasher):
        def verify(self, hash, password):  # noqa: A002 - argon2's own names
            seen.append(bool(in_write))
            return super().verify(hash, password)

    monkeypatch.setattr(store, "write", watched_write)
    signing.use_hasher(Watching(time_cost=1, memory_cost=8, parallelism=1))
    assert signing.authenticate(staffed, "李静", "24682468").name == "李静"
    with pytest.raises(PermissionDenied):
        signing.authenticate(staffed, "李静", "00000000")
    assert seen == [False, False]


def test_a_huge_name_is_one_short_line(staffed):
    with pytest.raises(Exception) as err:
        signing.authenticate(staffed, "甲" * 130_000, "123456")
    assert len(str(err.value)) < 200


def test_an_empty_pin_is_a_slip_not_a_wrong_attempt(staffed, db_path):
    """Enter on an empty PIN field (the desk's sign-on, a dialog) says a PIN is needed and
    costs no attempt towards the lockout."""
    signing.set_pin_unchecked(staffed, "李静", "24682468")
    for _ in range(signing.MAX_FAILURES + 1):
        with pytest.raises(ValidationError) as err:
            signing.authenticate(staffed, "李静", "  ")
        assert err.value.field == "pin"
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT count(*) FROM pin_attempt").fetchone()[0] == 0
    con.close()
    assert signing.authenticate(staffed, "李静", "24682468").name == "李静"


@pytest.mark.parametrize("look_alike", ["吴主管\u200b", "\u200e吴主管", "吴\u2060主管", "吴主管\ufeff"])
def test_a_look_alike_name_is_the_same_person(roster, look_alike):
    """Invisible characters and compatibility forms cannot make a second 吴主管."""
    from repairdesk.domain.enums import Role
    from repairdesk.errors import RepairdeskError
    from repairdesk.services.staff import add_staff_unchecked, find_staff

    with pytest.raises(RepairdeskError):
        add_staff_unchecked(roster, look_alike, Role.SUPERVISOR, "13600000099")
    with roster.store.read() as session:
        assert find_staff(session, look_alike).name == "吴主管"


def test_full_width_latin_names_fold_to_one():
    from repairdesk.domain.text import clean_name

    assert clean_name("Ｌｉ Ｊｉｎｇ") == clean_name("Li Jing") == "Li Jing"
