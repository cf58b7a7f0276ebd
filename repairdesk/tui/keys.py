"""Every key of the desk in one place: the footer, the bindings and the command palette all
read this table, so a key shown is a key that works and every action is in the palette."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from ..i18n import N_, _


@dataclass(frozen=True)
class DeskKey:
    key: str
    action: str
    label: str  # msgid, translated where shown
    help: str = ""  # msgid for the palette's help line
    footer: bool = True
    needs_ticket: bool = False


# The main screen, in the order a clerk follows a call (footer shows the first ones).
DESK_KEYS: tuple[DeskKey, ...] = (
    DeskKey("n", "new_ticket", N_("New"), N_("Register a new repair call")),
    DeskKey("d", "dispatch", N_("Dispatch"), N_("Send a technician to the selected ticket"),
            needs_ticket=True),
    DeskKey("a", "accept", N_("Accept"), N_("The technician signed for the work order"),
            needs_ticket=True),
    DeskKey("o", "arrive", N_("On site"), N_("The technician reports being on site"),
            needs_ticket=True),
    DeskKey("c", "complete", N_("Complete"), N_("The job is done: record the result"),
            needs_ticket=True),
    DeskKey("r", "return_order", N_("Return"), N_("The work order is back at the desk"),
            needs_ticket=True),
    DeskKey("v", "callback", N_("Callback"), N_("Call the owner back after the job"),
            needs_ticket=True),
    DeskKey("x", "void", N_("Void"), N_("Void the ticket with a reason"), needs_ticket=True),
    DeskKey("f", "follow_up", N_("Follow-up"), N_("Add a follow-up (coordination) note"),
            needs_ticket=True),
    DeskKey("F", "follow_up_agree", N_("To follow-up"),
            N_("Turn a job not completed in time into a follow-up order"),
            footer=False, needs_ticket=True),
    DeskKey("m", "charge", N_("Charges"),
            N_("Paid work: items, parts and the owner's agreement to the quote"),
            footer=False, needs_ticket=True),
    DeskKey("p", "print_order", N_("Print"), N_("Queue the work order for printing"),
            needs_ticket=True),
    DeskKey("enter", "detail", N_("Detail"), N_("The ticket with its full history"),
            footer=False, needs_ticket=True),
    DeskKey("slash", "search", N_("Search"), N_("Search all tickets")),
    DeskKey("h", "handover", N_("Handover"), N_("Shift handover checklist and signatures")),
    DeskKey("s", "signoff", N_("Sign-off"), N_("Supervisor's morning sign-off")),
    DeskKey("l", "log_entry", N_("Log"), N_("Write a duty-log entry")),
    DeskKey("k", "close_ticket", N_("Close"), N_("Close (archive) the ticket after callback"),
            footer=False, needs_ticket=True),
    DeskKey("w", "pause", N_("Pause/resume"), N_("Waiting for parts or the owner, or resume"),
            footer=False, needs_ticket=True),
    DeskKey("t", "reschedule", N_("Reschedule"), N_("A new appointment agreed with the owner"),
            footer=False, needs_ticket=True),
    DeskKey("L", "log_view", N_("Duty log"), N_("Read the duty log of a day"), footer=False),
    DeskKey("H", "handover_history", N_("Handover history"), N_("Past handovers"),
            footer=False),
    DeskKey("R", "reports", N_("Reports"), N_("Monthly statistics, charts and exports"),
            footer=False),
    DeskKey("O", "sign_on", N_("Sign on"), N_("Open the first shift of a new book"),
            footer=False),
    DeskKey("P", "print_preview", N_("Print preview"),
            N_("The work order as the printer will print it"), footer=False, needs_ticket=True),
    DeskKey("ctrl+r", "print_retry", N_("Retry print"), N_("Retry the failed print job"),
            footer=False),
    DeskKey("ctrl+x", "print_cancel", N_("Cancel print"),
            N_("Cancel the selected print job (it stays in the queue's history)"),
            footer=False),
    DeskKey("q", "quit", N_("Quit"), N_("Leave the desk")),
)


def bindings() -> list[Binding]:
    """The main screen's bindings, labels in the language now in use."""
    return [Binding(k.key, k.action, _(k.label), show=k.footer) for k in DESK_KEYS]


def key_display(key: str) -> str:
    return {"slash": "/", "enter": "Enter", "ctrl+r": "^r", "ctrl+x": "^x"}.get(key, key)
