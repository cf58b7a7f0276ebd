"""Whom to send and what the room has had, on a real SQLite file: the dispatch picker's
candidates with their loads, the room read as callers say it, its last 30 days."""

from __future__ import annotations

import pytest

from repairdesk.domain.enums import Role, Scope
from repairdesk.errors import NotFound, ValidationError
from repairdesk.services import tickets as T
from repairdesk.services.dispatching import dispatch_choices
from repairdesk.services.rooms import room_history, suggest_category
from repairdesk.services.staff import add_staff_unchecked, set_active_unchecked

CLERK = "李静"


def form(**kw) -> T.IntakeForm:
    base = dict(room="3-2-1501", caller="王先生", content="厨房水管漏水", category="水")
    base.update(kw)
    return T.IntakeForm(**base)


def test_choices_rank_by_category_then_load_with_counts_skills_and_phone(staffed, clock):
    add_staff_unchecked(staffed, "孙海", Role.TECHNICIAN, "13900000013", skills="水,电")
    add_staff_unchecked(staffed, "钱电工", Role.TECHNICIAN, "13900000014", skills="电")
    # 孙海 has three jobs in hand, one of them on site; 张建国 (no declared skills) has one
    for room in ("1-1-101", "1-1-102", "1-1-103"):
        no = T.register_ticket(staffed, form(room=room), CLERK).ticket_no
        T.dispatch_ticket(staffed, no, "孙海", CLERK)
    T.arrive_ticket(staffed, no, CLERK)
    done = T.register_ticket(staffed, form(room="1-1-104"), CLERK).ticket_no
    T.dispatch_ticket(staffed, done, "孙海", CLERK)
    T.arrive_ticket(staffed, done, CLERK)
    T.complete_ticket(staffed, done, "换阀芯", CLERK)  # completed: no longer in his hands
    other = T.register_ticket(staffed, form(room="1-1-105"), CLERK).ticket_no
    T.dispatch_ticket(staffed, other, "张建国", CLERK)
    set_active_unchecked(staffed, "王师傅", False)  # inactive: not offered

    water = T.register_ticket(staffed, form(), CLERK).ticket_no
    choices = dispatch_choices(staffed, water)
    assert choices.category == "水"
    by_name = {c.name: c for c in choices.candidates}
    assert set(by_name) == {"孙海", "钱电工", "张建国", "周班长"}  # no clerks, no inactive
    assert (by_name["孙海"].open_jobs, by_name["孙海"].on_site) == (3, 1)
    assert (by_name["张建国"].open_jobs, by_name["张建国"].on_site) == (1, 0)
    assert by_name["孙海"].skills == ("水", "电") and by_name["孙海"].phone == "13900000013"
    # the only plumber first, busy as he is; then technicians by load; the leader last
    assert [c.name for c in choices.candidates] == ["孙海", "钱电工", "张建国", "周班长"]
    assert choices.best.name == "孙海"

    power = T.register_ticket(staffed, form(room="2-1-101", content="跳闸", category="电"),
                              CLERK).ticket_no
    assert [c.name for c in dispatch_choices(staffed, power).candidates][:2] == ["钱电工", "孙海"]


def test_choices_for_an_unknown_ticket_say_so(staffed):
    with pytest.raises(NotFound):
        dispatch_choices(staffed, "BX-20990101-0001")


@pytest.mark.parametrize("said", ["3栋2单元1501", "3幢2单元1501", "3-2-1501", "3号楼2单元1501"])
def test_a_room_as_callers_say_it_is_stored_as_the_book_writes_it(staffed, said):
    r = T.register_ticket(staffed, form(room=said, scope="home"), CLERK)
    assert (r.intake.room, r.intake.scope, r.intake.building) == ("3-2-1501", Scope.HOME, "3")


def test_no_scope_given_reads_it_from_the_place_and_asks_when_unsure(staffed):
    assert T.register_ticket(staffed, form(room="3栋2单元1501", scope=""),
                             CLERK).intake.scope is Scope.HOME
    public = T.register_ticket(staffed, form(room="5栋楼道", scope=""), CLERK)
    assert (public.intake.scope, public.intake.room) == (Scope.PUBLIC, "5栋楼道")
    with pytest.raises(ValidationError) as exc:
        T.register_ticket(staffed, form(room="3栋2单元", scope=""), CLERK)
    assert exc.value.field == "scope"
    assert len(T.list_tickets(staffed)) == 2


def test_the_rooms_last_30_days_newest_first_whatever_form_is_typed(staffed, clock):
    old = T.register_ticket(staffed, form(content="阳台地漏堵"), CLERK).ticket_no
    clock.advance(days=20)
    mid = T.register_ticket(staffed, form(room="3栋2单元1501", content="灯不亮", category="电"),
                            CLERK).ticket_no
    T.register_ticket(staffed, form(room="3-2-1502"), CLERK)  # the neighbour: not this room
    clock.advance(days=5)
    new = T.register_ticket(staffed, form(), CLERK).ticket_no
    history = room_history(staffed, "3幢2单元1501")
    assert (history.room, history.is_room, history.total) == ("3-2-1501", True, 3)
    assert [t.ticket_no for t in history.tickets] == [new, mid, old]
    assert history.tickets[1].category == "电"
    clock.advance(days=6)  # the first is now 31 days old
    assert [t.ticket_no for t in room_history(staffed, "3-2-1501").tickets] == [new, mid]
    assert room_history(staffed, "3-2-1501", limit=1).total == 2
    assert room_history(staffed, "  ").tickets == []
    assert room_history(staffed, "9-9-999").total == 0


def test_a_public_place_has_its_history_too(staffed):
    no = T.register_ticket(staffed, form(room="5栋楼道", scope="public", content="楼道灯坏",
                                         category="电"), CLERK).ticket_no
    history = room_history(staffed, "5栋楼道")
    assert (history.is_room, [t.ticket_no for t in history.tickets]) == (False, [no])


def test_category_suggestion_comes_from_the_configuration(staffed):
    assert suggest_category(staffed, "卫生间马桶堵了") == ("水", "马桶")
    assert suggest_category(staffed, "有人敲错门") is None
