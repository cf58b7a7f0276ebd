"""Tickets: registering repair calls and taking them through their lifecycle.

The work lives in three modules; this one gathers their names for the CLI and the TUI:
  intake.py          the intake form, its checks, register_ticket
  ticket_records.py  reading: get_ticket, list_tickets, search_tickets, working_set
  ticket_steps.py    the lifecycle steps: dispatch_ticket … amend_ticket
The modules tickets are built from import each other directly, never this one.
"""

from __future__ import annotations

from .intake import IntakeForm, build_intake, register_ticket, suggest_urgent
from .ticket_records import (
    OPEN_STATUSES, duty_day_start, get_ticket, list_tickets, search_tickets, working_set,
)
from .ticket_steps import (
    Step, accept_ticket, add_note, amend_ticket, arrive_ticket, callback_ticket, close_ticket,
    complete_ticket, dispatch_ticket, follow_up_ticket, pause_ticket, record_step,
    reschedule_ticket, resume_ticket, return_ticket, void_ticket,
)

__all__ = [
    "OPEN_STATUSES", "IntakeForm", "Step", "accept_ticket", "add_note", "amend_ticket",
    "arrive_ticket", "build_intake", "callback_ticket", "close_ticket", "complete_ticket",
    "dispatch_ticket", "duty_day_start", "follow_up_ticket", "get_ticket", "list_tickets",
    "pause_ticket", "record_step", "register_ticket", "reschedule_ticket", "resume_ticket",
    "return_ticket", "search_tickets", "suggest_urgent", "void_ticket", "working_set",
]
