"""The notice keys the desk keeps in memory (services/sla._KNOWN) are a cache of the book, no
more: kept only for the tickets being watched, and a key dropped from it costs one query
again, never a second notice (issue 18)."""

from __future__ import annotations

from repairdesk.domain.sla import ClockName, Level
from repairdesk.services import dutylog, sla, tickets
from repairdesk.services.tickets import IntakeForm

FORM = dict(room="3-2-1501", caller="王先生", content="厨房水管漏水", category="水",
            phone="13800138000")


def register(desk, **kw) -> str:
    return tickets.register_ticket(desk, IntakeForm(**{**FORM, **kw}), "李静").ticket_no


def kept(desk) -> dict[str, tuple[int, ...]]:
    return sla._KNOWN.get(desk.store, {})


def logged(desk, no: str) -> list[str]:
    kinds = (dutylog.LogKind.SLA, dutylog.LogKind.SLA_WARNING)
    return [e.text for e in dutylog.list_entries(desk) if e.kind in kinds and e.ticket_no == no]


def test_a_notice_is_written_once_even_after_its_key_was_dropped(staffed, clock, monkeypatch):
    first, second = register(staffed), register(staffed, room="3-2-1502")
    clock.advance(minutes=9)  # both dispatch clocks breached
    assert {(n.ticket_no, n.level) for n in sla.escalate(staffed)} == {
        (first, Level.BREACH), (second, Level.BREACH)}
    assert set(kept(staffed)) == {first, second}
    # a pass that does not watch `first` drops its key
    others = [r for r in tickets.working_set(staffed) if r.ticket_no != first]
    assert sla.escalate(staffed, records=others) == []
    assert set(kept(staffed)) == {second}

    asked: list[set[str]] = []
    real = sla._written

    def spying(desk, nos):
        asked.append(set(nos))
        return real(desk, nos)

    monkeypatch.setattr(sla, "_written", spying)
    # it comes back: the book answers (one query, for it alone) and nothing is written again
    assert sla.escalate(staffed) == []
    assert asked == [{first}] and set(kept(staffed)) == {first, second}
    assert sla.escalate(staffed) == [] and asked == [{first}]  # kept again: no query
    assert [(c, lv) for c, lv, _at, _id in sla.notices(staffed, first)] == [
        ("dispatch", "breach")]
    assert len(logged(staffed, first)) == 1
    # the next level of the chain is still written, once
    clock.advance(minutes=12)
    assert {(n.ticket_no, n.clock, n.level) for n in sla.escalate(staffed)} == {
        (first, ClockName.DISPATCH, Level.TEAM_LEADER),
        (second, ClockName.DISPATCH, Level.TEAM_LEADER),
        (first, ClockName.ARRIVE, Level.BREACH), (second, ClockName.ARRIVE, Level.BREACH)}
    sla._KNOWN.pop(staffed.store)  # as after a restart: every key dropped
    assert sla.escalate(staffed) == []
    assert len(logged(staffed, first)) == len(sla.notices(staffed, first)) == 3


def test_the_keys_kept_are_those_of_the_tickets_being_watched(staffed, clock):
    done, still = register(staffed), register(staffed, room="3-2-1502")
    clock.advance(minutes=9)
    assert len(sla.escalate(staffed)) == 2
    assert set(kept(staffed)) == {done, still}
    assert set(sla._LIVE[staffed.store]) == {done, still}
    tickets.void_ticket(staffed, done, "业主自行修好", "李静")
    clock.advance(days=1)  # the next duty day: the voided ticket has left the working set
    assert done not in {r.ticket_no for r in tickets.working_set(staffed)}
    notices = sla.escalate(staffed)
    assert set(kept(staffed)) == {still}
    assert set(sla._LIVE[staffed.store]) == {still}
    # a promise the ticket no longer shows (a new appointment: a new anchor) is dropped too
    arrive = {n.anchor for n in notices if n.clock is ClockName.ARRIVE}
    assert arrive and all(sla._key("arrive", "breach", a) in kept(staffed)[still] for a in arrive)
    tickets.dispatch_ticket(staffed, still, "张建国", "李静")
    tickets.accept_ticket(staffed, still, "李静")
    tickets.reschedule_ticket(staffed, still, "23:00", "业主晚上在家", "李静")
    sla.escalate(staffed)
    assert not any(sla._key("arrive", lv.value, a) in kept(staffed).get(still, ())
                   for a in arrive for lv in Level)
