"""Tests only: a desk held by a clerk without the PIN ceremony (the authority rules say nothing
is registered before someone signs on, and a clerk acts as the holder of the desk)."""

from __future__ import annotations

from repairdesk.domain.enums import Role


def hold_desk(desk, name: str = "李静", role: Role = Role.CLERK) -> str:
    """Put `name` on the roster if missing and, if nobody holds the desk yet, make them its
    holder (a shift turn as if they had signed on). Returns the holder."""
    from repairdesk.services.shifts import last_turn
    from repairdesk.services.staff import add_staff_unchecked, find_staff
    from repairdesk.store.tables import ShiftTurn

    with desk.store.read() as session:
        known = find_staff(session, name) is not None
    if not known:
        add_staff_unchecked(desk, name, role)
    with desk.store.write() as session:
        turn = last_turn(session)
        if turn is not None:
            return turn.holder
        now = desk.now()
        turn = ShiftTurn(site=desk.config.site_code, at=now, holder=name, via="sign_on",
                         window_from=now)
        session.add(turn)
        session.flush()
        # signed as the desk's sign-on signs it, so `verify` finds the turn's signature
        from repairdesk.services import signing

        held_as = find_staff(session, name).role
        signing.add_signature(session, signing.Signer(name, held_as, now), f"turn:{turn.id}",
                              signing.Meaning.SIGN_ON, signing.content_hash(
                                  {"holder": name, "at": now.isoformat()}))
    return name


def hold_book(db_path, name: str = "李静", role: Role = Role.CLERK) -> str:
    """hold_desk on the book the `cli` fixture runs against (created if missing)."""
    from repairdesk.config import load_config
    from repairdesk.services.desk import open_desk

    desk = open_desk(str(db_path), config=load_config(None))
    try:
        return hold_desk(desk, name, role)
    finally:
        desk.close()
