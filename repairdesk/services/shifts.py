"""Who holds the desk. The holder changes only by a signed handover; the very first shift of a
book is opened by a clerk signing on with the PIN."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from ..domain.enums import Role
from ..domain.shifts import ShiftWindow, duty_day, shift_at
from ..errors import PermissionDenied
from ..i18n import _
from ..store.tables import DutyLogEntry, ShiftTurn
from . import dutylog, signing
from .desk import Desk

DESK_ROLES = (Role.CLERK, Role.SUPERVISOR, Role.MANAGER)

# a handover is often signed a little before the boundary (the incoming clerk comes 5 min
# early, 001 篇5 4.2.1): a turn belongs to the shift that starts within this margin
EARLY = timedelta(minutes=45)


@dataclass(frozen=True)
class Turn:
    holder: str
    at: datetime
    via: str
    window_from: datetime
    handover_id: int | None


def current_window(desk: Desk, at: datetime | None = None) -> ShiftWindow | None:
    cfg = desk.config
    return shift_at(cfg.shifts, at or desk.now(), cfg.tz, cfg.duty_day_start)  # type: ignore[arg-type]


def current_duty_day(desk: Desk, at: datetime | None = None) -> date:
    return duty_day(at or desk.now(), desk.config.tz, desk.config.duty_day_start)


def last_turn(session: Session) -> ShiftTurn | None:
    return session.exec(select(ShiftTurn).order_by(col(ShiftTurn.id).desc())).first()


def current_turn(desk: Desk) -> Turn | None:
    with desk.store.read() as session:
        t = last_turn(session)
        if t is None:
            return None
        return Turn(t.holder, t.at, t.via, t.window_from, t.handover_id)


def current_holder(desk: Desk) -> str | None:
    """The clerk holding the desk now, or None before anyone has signed on."""
    t = current_turn(desk)
    return t.holder if t else None


def clerk_on_duty(desk: Desk) -> str:
    """Who writes from this desk: the holder, else $REPAIRDESK_CLERK, else nobody ("": the
    services then refuse with one line). Never the OS login name."""
    import os

    return current_holder(desk) or os.environ.get("REPAIRDESK_CLERK", "")


def sign_on(desk: Desk, name: str, pin: str) -> Turn:
    """Open the first shift of a new book. Afterwards only a signed handover changes hands."""
    with desk.store.read() as session:
        if last_turn(session) is not None:
            raise PermissionDenied(
                _("The desk is already held; the shift changes only by a signed handover."))
    signer = signing.authenticate(desk, name, pin, DESK_ROLES)
    window = current_window(desk, signer.at)
    start = window.start if window else signer.at
    with desk.store.write() as session:
        if last_turn(session) is not None:  # another desk signed on meanwhile
            raise PermissionDenied(
                _("The desk is already held; the shift changes only by a signed handover."))
        turn = ShiftTurn(site=desk.config.site_code, at=signer.at, holder=signer.name,
                         via="sign_on", window_from=start)
        session.add(turn)
        session.flush()
        signing.add_signature(session, signer, f"turn:{turn.id}", signing.Meaning.SIGN_ON,
                              signing.content_hash({"holder": signer.name,
                                                    "at": signer.at.isoformat()}))
        dutylog.append(session, site=desk.config.site_code, at=signer.at,
                       kind=dutylog.LogKind.SHIFT, author=signer.name,
                       text=_("{name} signed on and holds the desk.").format(name=signer.name))
        return Turn(turn.holder, turn.at, turn.via, turn.window_from, None)


def overdue_shifts(desk: Desk, now: datetime | None = None,
                   turn: Turn | None = None) -> list[ShiftWindow]:
    """The shifts whose end (+ [shifts] handover_grace_min) has passed while the same clerk
    still holds the desk, oldest first: empty when the handover is not overdue."""
    now = now or desk.now()
    turn = turn or current_turn(desk)
    if turn is None:
        return []
    grace = timedelta(minutes=desk.config.handover_grace_min)
    w = current_window(desk, turn.at + EARLY)
    out: list[ShiftWindow] = []
    while w is not None and w.end + grace <= now and len(out) < 62:  # a month of shifts
        out.append(w)
        w = current_window(desk, w.end)
    return out


def next_overdue_at(desk: Desk, now: datetime | None = None,
                    turn: Turn | None = None) -> datetime | None:
    """When overdue_shifts next grows: the end (+ grace) of the first shift of this turn not
    yet overdue; None when nobody holds the desk (or a month of shifts is already overdue)."""
    now = now or desk.now()
    turn = turn or current_turn(desk)
    if turn is None:
        return None
    grace = timedelta(minutes=desk.config.handover_grace_min)
    w = current_window(desk, turn.at + EARLY)
    for _shift in range(62):  # as overdue_shifts counts them
        if w is None:
            return None
        if w.end + grace > now:
            return w.end + grace
        w = current_window(desk, w.end)
    return None


def overdue_text(desk: Desk, missed: list[ShiftWindow], holder: str) -> str:
    """'handover overdue: 李静 still holds the desk; the day shift ended 2026/11/22 17:30'."""
    from .. import fmt

    first = missed[0]
    text = _("handover overdue: {holder} still holds the desk; the {shift} shift ended "
             "{end}").format(holder=holder, shift=first.label,
                            end=fmt.datetime(first.end, desk.config.tz))
    if len(missed) > 1:
        text += " " + _("({n} shifts without a handover)").format(n=len(missed))
    return text


def note_overdue(desk: Desk, now: datetime | None = None) -> int:
    """Write "handover overdue" to the duty log once per overdue shift (the entry's dedup key
    names the turn and the shift's end, so a restart or a second desk never writes it again);
    returns how many entries this call wrote."""
    from sqlalchemy.exc import IntegrityError

    from .. import fmt

    now = now or desk.now()
    turn = current_turn(desk)
    missed = overdue_shifts(desk, now, turn) if turn else []
    if turn is None or not missed:
        return 0
    keys = {f"handover_overdue:{turn.at.isoformat()}:{w.end.isoformat()}": w for w in missed}
    # the desk asks every pass while the shift stays overdue: a read answers "already written"
    # without taking the write lock each time
    with desk.store.read() as session:
        done = set(session.exec(select(DutyLogEntry.dedup_key)
                                .where(col(DutyLogEntry.dedup_key).in_(list(keys)))))
    todo = {k: w for k, w in keys.items() if k not in done}
    if not todo:
        return 0
    written = 0
    with desk.store.write() as session:
        for key, w in todo.items():
            text = _("Handover overdue: {holder} still holds the desk {grace} min after the end "
                     "of the {shift} shift ({end}).").format(
                holder=turn.holder, grace=desk.config.handover_grace_min, shift=w.label,
                end=fmt.datetime(w.end, desk.config.tz))
            try:
                with session.begin_nested():
                    entry = dutylog.append(
                        session, site=desk.config.site_code, at=now, kind=dutylog.LogKind.SHIFT,
                        author=_("Shift monitor"), text=text, dedup_key=key,
                        data={"holder": turn.holder, "shift": w.code,
                              "shift_end": w.end.isoformat(),
                              "grace_min": desk.config.handover_grace_min})
            except IntegrityError:
                continue  # another desk wrote it first
            written += entry is not None
    return written


def header_text(desk: Desk, now: datetime | None = None) -> str:
    """One line for the header: the shift, who holds it, and past days not yet signed off."""
    from .signoff import unsigned_days

    now = now or desk.now()
    w = current_window(desk, now)
    turn = current_turn(desk)
    holder = turn.holder if turn else None
    text = _("{shift} · {holder}").format(
        shift=w.label if w else "-", holder=holder or _("nobody signed on"))
    missed = overdue_shifts(desk, now, turn) if turn else []
    if turn and missed:
        from .. import fmt

        text += "  " + _("⚑ handover overdue since {end}").format(
            end=fmt.datetime(missed[0].end, desk.config.tz))
    waiting = unsigned_days(desk, now)
    if waiting:
        days = ", ".join(d.strftime("%m-%d") for d in waiting[-3:])
        # the oldest stays in sight however long the backlog (%Y: it may be a year ago)
        more = f"{waiting[0]:%Y-%m-%d}, ..., " if len(waiting) > 3 else ""
        text += "  " + _("⚑ not signed off: {days}").format(days=more + days)
    return text


DEMO_PINS = {"李静": "111111", "陈晓雯": "222222", "赵强": "333333", "吴主管": "999999",
             "郑经理": "888888"}


def prepare_demo(desk: Desk, holder: str = "陈晓雯") -> None:
    """Demo books only: give the demo staff known PINs and sign `holder` on."""
    from ..store.tables import Staff

    with desk.store.read() as session:
        names = {r.name for r in session.exec(select(Staff))}
    for name, pin in DEMO_PINS.items():
        if name in names:
            signing.set_pin_unchecked(desk, name, pin)
    if holder in names and current_holder(desk) is None:
        sign_on(desk, holder, DEMO_PINS[holder])
