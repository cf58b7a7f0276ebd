"""Whom to send: the technicians in order of fit for one ticket. The one who handles the
ticket's category comes first, then the least loaded (fewest open jobs, then fewest on site);
technicians before team leaders, who are the fallback when nobody accepts (000 3.1.3)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .enums import Role


@dataclass(frozen=True)
class Candidate:
    """One person who can be dispatched, with what he has in hand right now."""

    name: str
    role: Role
    phone: str = ""
    skills: tuple[str, ...] = ()  # the categories he handles (roster)
    open_jobs: int = 0  # dispatched to him and not yet completed (on site included)
    on_site: int = 0  # of those, where he is on site now

    def handles(self, category: str) -> bool:
        return bool(category) and category in self.skills


def rank_technicians(candidates: Iterable[Candidate], category: str) -> list[Candidate]:
    """Best fit first: handles `category`, then technician before team leader, then fewest
    open jobs, fewest on site, then by name (a stable order the clerk learns)."""
    return sorted(candidates, key=lambda c: (not c.handles(category),
                                             c.role is not Role.TECHNICIAN,
                                             c.open_jobs, c.on_site, c.name))
