"""Whom the desk can send to a ticket, best fit first: the dispatch picker (`d`) asks here; the
ranking itself is domain/dispatch.py."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import col, func, select

from ..domain.dispatch import Candidate, rank_technicians
from ..domain.enums import Role, Status
from ..store.tables import OPEN_WHERE, Staff, Ticket
from .desk import Desk
from .staff import DISPATCHABLE, split_skills
from .ticket_records import ticket_row

# A technician's job is in his hands from dispatch until he reports it completed; a paused one
# (waiting for parts) is still his.
IN_HAND = (Status.DISPATCHED, Status.ACCEPTED, Status.ON_SITE, Status.PAUSED)


@dataclass(frozen=True)
class DispatchChoices:
    ticket_no: str
    category: str
    candidates: list[Candidate]  # best fit first

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def dispatch_choices(desk: Desk, ticket_no: str) -> DispatchChoices:
    """The active technicians and team leaders for `ticket_no`, each with his open and on-site
    jobs, the categories he handles and his phone, ranked by fit for the ticket's category."""
    with desk.store.read() as session:
        ticket = ticket_row(session, ticket_no)
        people = session.exec(select(Staff).where(
            Staff.active == True,  # noqa: E712
            col(Staff.role).in_([r.value for r in DISPATCHABLE]))).all()
        counts = session.exec(
            select(Ticket.technician, Ticket.status, func.count())
            # the open tickets first (ix_ticket_open), then those in a technician's hands
            .where(text(OPEN_WHERE), col(Ticket.status).in_([s.value for s in IN_HAND]),
                   Ticket.technician != "")
            .group_by(Ticket.technician, Ticket.status)).all()
        open_jobs: dict[str, int] = {}
        on_site: dict[str, int] = {}
        for name, status, n in counts:
            open_jobs[name] = open_jobs.get(name, 0) + n
            if status == Status.ON_SITE.value:
                on_site[name] = on_site.get(name, 0) + n
        candidates = [Candidate(p.name, Role(p.role), p.phone, split_skills(p.skills),
                                open_jobs.get(p.name, 0), on_site.get(p.name, 0))
                      for p in people]
        return DispatchChoices(ticket.ticket_no, ticket.category,
                               rank_technicians(candidates, ticket.category))
