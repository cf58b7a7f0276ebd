"""The first night on an empty book, below the screens: the site written into its config
file, the first supervisor without a PIN check, the roster with PINs and categories, bad
input refused with one message and nothing half-saved."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlmodel import select

from repairdesk.config import load_config
from repairdesk.domain.enums import Role
from repairdesk.errors import NotFound, PermissionDenied, ValidationError
from repairdesk.services import dutylog, roster, setup, shifts
from repairdesk.services.desk import open_desk
from repairdesk.services.roster import NewPerson
from repairdesk.services.staff import add_staff_unchecked, list_staff, parse_skills
from repairdesk.services.tickets import IntakeForm, register_ticket
from repairdesk.store.tables import DutyLogEntry


@pytest.fixture
def site_file(tmp_path: Path) -> Path:
    path = tmp_path / "site" / "config.toml"
    path.parent.mkdir()
    path.write_text('# our estate\n[site]\nname = "旧名"\n\n[sla.clock.arrive]\n'
                    "urgent_min = 8  # the manager's promise\n", encoding="utf-8")
    path.chmod(0o640)
    return path


@pytest.fixture
def book(db_path: Path, clock, site_file: Path, fast_pins):
    d = open_desk(str(db_path), clock=clock, config=load_config(site_file))
    yield d
    d.close()


def _log(desk) -> list[DutyLogEntry]:
    with desk.store.read() as session:
        return list(session.exec(select(DutyLogEntry).order_by(DutyLogEntry.seq)))


def test_an_empty_book_needs_setup_and_a_supervisor_ends_it(book) -> None:
    assert setup.needs_setup(book)
    add_staff_unchecked(book, "李静", Role.CLERK)  # a clerk alone does not end it
    assert setup.needs_setup(book)
    setup.create_first_supervisor(book, "吴主管", "13600000031", "99999999", "99999999")
    assert not setup.needs_setup(book)


def test_a_book_with_tickets_is_not_offered_setup(desk) -> None:
    from holding import hold_desk

    hold_desk(desk)
    register_ticket(desk, IntakeForm(room="3-2-1501", caller="王先生", content="漏水"), "李静")
    assert not setup.needs_setup(desk)


def test_the_demo_book_does_not_need_setup(staffed) -> None:
    assert not setup.needs_setup(staffed)


def test_site_goes_into_the_config_file_and_keeps_the_rest(book, site_file: Path) -> None:
    cfg = setup.save_site(book, "阳光花园物业服务中心", "YG")
    assert (cfg.site_name, cfg.site_code) == ("阳光花园物业服务中心", "YG")
    assert book.config is cfg and cfg.source == site_file
    text = site_file.read_text(encoding="utf-8")
    assert "# our estate" in text and "# the manager's promise" in text
    reread = load_config(site_file)
    assert reread.site_name == "阳光花园物业服务中心" and reread.site_code == "YG"
    assert reread.raw["sla"]["clock"]["arrive"]["urgent_min"] == 8
    assert stat.S_IMODE(site_file.stat().st_mode) == 0o640  # its mode kept
    assert [p.name for p in site_file.parent.iterdir()] == ["config.toml"]  # no temp left


def test_a_missing_site_file_is_created_owner_only(desk, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "fresh" / "config.toml"
    monkeypatch.setenv("REPAIRDESK_CONFIG", str(target))
    assert desk.config.source is None
    setup.save_site(desk, "阳光花园", "YG_1")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert load_config(target).site_code == "YG_1"
    assert desk.config.site_name == "阳光花园"


@pytest.mark.parametrize(("name", "code", "field"), [
    ("", "YG", "site_name"), ("阳光花园", "", "site_code"), ("阳光花园", "Y G", "site_code"),
    ("阳光花园", "阳光", "site_code"), ("阳光花园", "X" * 17, "site_code"),
    ("园" * 61, "YG", "site_name"),
])
def test_a_bad_site_is_refused_and_nothing_written(book, site_file: Path, name, code,
                                                   field) -> None:
    before = site_file.read_bytes()
    with pytest.raises(ValidationError) as err:
        setup.save_site(book, name, code)
    assert err.value.field == field and "\n" not in str(err.value)
    assert site_file.read_bytes() == before
    assert book.config.site_name == "旧名"


def test_first_supervisor_is_chained_into_the_log(book) -> None:
    setup.save_site(book, "阳光花园", "YG")
    boss = setup.create_first_supervisor(book, "吴主管", "136-0000-0031", "99999999", "99999999")
    assert (boss.role, boss.phone, boss.has_pin) == (Role.SUPERVISOR, "13600000031", True)
    (entry,) = _log(book)
    assert entry.kind == dutylog.LogKind.ROSTER and entry.author == "吴主管"
    assert entry.site == "YG" and "阳光花园" in entry.text
    with book.store.read() as session:
        assert dutylog.verify_chain(session) == (1, None)
    with pytest.raises(PermissionDenied):  # only the first comes without a PIN check
        setup.create_first_supervisor(book, "钱主管", "", "88888888", "88888888")


@pytest.mark.parametrize(("person", "field", "words"), [
    (NewPerson("  ", Role.CLERK, pin="11111111", pin_again="11111111"), "name", "name"),
    (NewPerson("李静", Role.CLERK, pin="11111111", pin_again="11121112"), "pin", "differ"),
    (NewPerson("李静", Role.CLERK, pin="abcdef", pin_again="abcdef"), "pin", "6"),
    (NewPerson("李静", Role.CLERK, pin="1234", pin_again="1234"), "pin", "6"),
    (NewPerson("李静", Role.CLERK, pin="١٢٣٤٥٦", pin_again="١٢٣٤٥٦"), "pin", "6"),
    (NewPerson("李静", Role.CLERK), "pin", "PIN"),
    (NewPerson("李静", Role.CLERK, phone="12345", pin="11111111", pin_again="11111111"), "phone", ""),
    (NewPerson("张建国", Role.TECHNICIAN, skills="水,飞机"), "skills", "飞机"),
    (NewPerson("李静", Role.CLERK, pin="11111111", pin_again="11111111", skills="水"), "skills", ""),
])
def test_bad_person_gives_one_message_and_saves_nothing(book, english, person, field,
                                                        words) -> None:
    setup.create_first_supervisor(book, "吴主管", "", "99999999", "99999999")
    before = len(_log(book))
    with pytest.raises(ValidationError) as err:
        roster.add_person(book, person, "吴主管", "99999999")
    assert err.value.field == field
    assert words in str(err.value) and "\n" not in str(err.value)
    assert [m.name for m in list_staff(book)] == ["吴主管"]
    assert len(_log(book)) == before


def test_bad_first_supervisor_saves_nothing(book) -> None:
    for args in (("", "", "99999999", "99999999"), ("吴主管", "", "99999999", "99989998"),
                 ("吴主管", "", "99a9", "99a9")):
        with pytest.raises(ValidationError):
            setup.create_first_supervisor(book, *args)
    assert list_staff(book) == [] and _log(book) == []
    assert setup.needs_setup(book)


def test_roster_adds_clerks_and_technicians_with_their_categories(book) -> None:
    setup.create_first_supervisor(book, "吴主管", "", "99999999", "99999999")
    roster.add_person(book, NewPerson("李静", Role.CLERK, "13800000001", "11111111", "11111111"),
                      "吴主管", "99999999")
    tech = roster.add_person(book, NewPerson("张建国", Role.TECHNICIAN, "13900000011",
                                             skills="电、水 水"), "吴主管", "99999999")
    assert tech.skills == ("水", "电") and not tech.has_pin  # config order, each once
    texts = [e.text for e in _log(book)]
    assert len(texts) == 3 and "李静" in texts[1] and "水、电" in texts[2]
    assert all(e.author == "吴主管" for e in _log(book))
    assert roster.can_sign_on(book)
    turn = shifts.sign_on(book, "李静", "11111111")
    assert turn.holder == "李静"


def test_only_a_supervisor_or_manager_changes_the_roster(book) -> None:
    setup.create_first_supervisor(book, "吴主管", "", "99999999", "99999999")
    roster.add_person(book, NewPerson("李静", Role.CLERK, pin="11111111", pin_again="11111111"), "吴主管", "99999999")
    with pytest.raises(PermissionDenied):
        roster.add_person(book, NewPerson("赵强", Role.CLERK, pin="33333333", pin_again="33333333"),
                          "李静", "11111111")
    with pytest.raises(NotFound):
        roster.add_person(book, NewPerson("赵强", Role.CLERK, pin="33333333", pin_again="33333333"),
                          "无名氏", "1")
    assert sorted(m.name for m in list_staff(book)) == sorted(["吴主管", "李静"])


def test_a_mistaken_entry_is_removed_while_the_book_is_empty(book) -> None:
    setup.create_first_supervisor(book, "吴主管", "", "99999999", "99999999")
    roster.add_person(book, NewPerson("李竫", Role.CLERK, pin="11111111", pin_again="11111111"), "吴主管", "99999999")
    roster.remove_person(book, "李竫", "吴主管", "99999999")
    assert [m.name for m in list_staff(book)] == ["吴主管"]
    assert "李竫" in _log(book)[-1].text
    with pytest.raises(PermissionDenied):
        roster.remove_person(book, "吴主管", "吴主管", "99999999")
    # once someone has signed, or the book has work, people are deactivated, not removed
    roster.add_person(book, NewPerson("李静", Role.CLERK, pin="11111111", pin_again="11111111"), "吴主管", "99999999")
    shifts.sign_on(book, "李静", "11111111")
    with pytest.raises(PermissionDenied):
        roster.remove_person(book, "李静", "吴主管", "99999999")


def test_nobody_can_sign_on_without_a_pin_holder(book) -> None:
    assert not roster.can_sign_on(book)
    add_staff_unchecked(book, "李静", Role.CLERK)  # no PIN yet
    assert not roster.can_sign_on(book)


def test_parse_skills_keeps_config_order() -> None:
    cats = ["水", "电", "门窗"]
    assert parse_skills("门窗，水", cats) == ("水", "门窗")
    assert parse_skills(["电"], cats) == ("电",)
    assert parse_skills("", cats) == ()
    with pytest.raises(ValidationError):
        parse_skills("水,燃气", cats)


def test_cli_add_with_skills_and_list(cli) -> None:
    r = cli("staff", "add", "张建国", "--role", "technician", "--skills", "水,电")
    assert r.code == 0, r.stderr
    r = cli("staff", "add", "王师傅", "--role", "technician", "--skills", "飞机")
    assert r.code == 1 and "飞机" in r.stderr and r.stderr.count("\n") == 1
    import json

    listed = json.loads(cli("staff", "list", "--json").stdout)
    assert [(m["name"], m["skills"]) for m in listed] == [("张建国", ["水", "电"])]
    assert "水、电" in cli("staff", "list").stdout
    assert os.environ.get("REPAIRDESK_CONFIG") is None
