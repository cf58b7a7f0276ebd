"""Every key of the desk in one place: the footer, the bindings, the command palette and the
help screen (`?`/F1) all read these tables, so a key shown is a key that works, every action is
in the palette and the help lists exactly the keys that work. One table per screen; each
screen builds its BINDINGS with `bindings(TABLE)` and names its table as `KEYS`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

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
    priority: bool = False  # before the focused widget sees the key (ctrl+q)


# On every screen, first in its table so the footer never cuts it off. "question_mark,f1":
# the footer shows `?` and, where a text field takes `?` as a character, F1 instead.
HELP_KEY = DeskKey("question_mark,f1", "app.help", N_("Help"),
                   N_("Every key of this screen and what it does"))
# Screens that only show (nothing is typed there): q quits, asking first if a form is open.
QUIT_KEY = DeskKey("q", "app.quit", N_("Quit"), N_("Leave the desk"))


# The main screen, in the order a clerk follows a call (footer shows the first ones).
DESK_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
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
    DeskKey("j", "apology", N_("Apologise"),
            N_("The technician is late: call the owner (full number shown, logged), apologise "
               "and agree a new arrival time"), footer=False, needs_ticket=True),
    DeskKey("x", "void", N_("Void"), N_("Void the ticket with a reason"), needs_ticket=True),
    DeskKey("f", "follow_up", N_("Follow-up"), N_("Add a follow-up (coordination) note"),
            needs_ticket=True),
    DeskKey("F", "follow_up_agree", N_("To follow-up"),
            N_("Turn a job not completed in time into a follow-up order"),
            footer=False, needs_ticket=True),
    DeskKey("m", "charge", N_("Charges"),
            N_("Paid work: items, parts and the owner's agreement to the quote"),
            footer=False, needs_ticket=True),
    DeskKey("g", "assess", N_("Assess"),
            N_("Out-of-scope job: the team leader's fee assessment, then the owner's answer "
               "(agree, or decline: the job ends)"), footer=False, needs_ticket=True),
    DeskKey("e", "amend", N_("Amend"),
            N_("Correct or complete the details (service type, urgency, category, scope, "
               "room, caller, content) with a reason; the old values stay"),
            footer=False, needs_ticket=True),
    DeskKey("i", "chase", N_("Chase"),
            N_("Chase the technician or team leader, or record the technician's report "
               "(only his report stops the feedback clock)"), footer=False, needs_ticket=True),
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
    DeskKey("b", "notified", N_("Told to collect"),
            N_("The technician was told to collect the work order (within 2 minutes)"),
            footer=False, needs_ticket=True),
    DeskKey("y", "follow_up_check", N_("Follow-up check"),
            N_("The team leader's or the supervisor's (PIN) check of a follow-up order"),
            footer=False, needs_ticket=True),
    DeskKey("L", "log_view", N_("Duty log"), N_("Read the duty log of a day"), footer=False),
    DeskKey("M", "messages", N_("Messages"),
            N_("What the desk said this session, with the time: confirmations, notices, "
               "errors"), footer=False),
    DeskKey("H", "handover_history", N_("Handover history"), N_("Past handovers"),
            footer=False),
    DeskKey("R", "reports", N_("Reports"), N_("Monthly statistics, charts and exports"),
            footer=False),
    DeskKey("O", "sign_on", N_("Sign on"), N_("Open the first shift of a new book"),
            footer=False),
    DeskKey("S", "roster", N_("Roster"),
            N_("Staff roster: add people (supervisor's or manager's PIN); on an empty book, "
               "the first-night setup"), footer=False),
    DeskKey("P", "print_preview", N_("Print preview"),
            N_("The work order as the printer will print it"), footer=False, needs_ticket=True),
    DeskKey("ctrl+r", "print_retry", N_("Retry print"), N_("Retry the failed print job"),
            footer=False),
    DeskKey("ctrl+x", "print_cancel", N_("Cancel print"),
            N_("Cancel the selected print job (it stays in the queue's history)"),
            footer=False),
    QUIT_KEY,
)

# When the footer is short of room (widgets/footer.py) it keeps these actions first, in this
# order, then the others of the screen's table in table order; the help lists every key.
FOOTER_FIRST: tuple[str, ...] = (
    "app.help", "close", "cancel", "save", "new_ticket", "dispatch", "search", "handover",
    "signoff", "app.quit", "complete", "accept", "arrive", "callback", "confirm", "sign",
)

# Every screen below: `?`/F1 first; Esc goes back. Secondary screens that only show keep q
# (quit) out of the footer: the help lists it.
_QUIT = replace(QUIT_KEY, footer=False)
_CLOSE_HELP = N_("Close this screen and go back")
_CANCEL_HELP = N_("Close without saving")

# Enter on the desk: the ticket with its history; the desk's step keys work on that ticket.
TICKET_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    *(k for k in DESK_KEYS if k.needs_ticket and k.action != "detail"),
    DeskKey("u", "reveal", N_("Reveal phone"),
            N_("Show the owner's full phone number (supervisor's name and PIN; logged)")),
    DeskKey("escape", "close", N_("Back"), _CLOSE_HELP),
    _QUIT,
)

SEARCH_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("down", "to_hits", N_("To results"), N_("From the search box into the results"),
            footer=False),
    DeskKey("escape", "close", N_("Back"), _CLOSE_HELP),
)

HANDOVER_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("space", "confirm", N_("Confirm line"),
            N_("The incoming clerk confirms the selected line (Enter too)")),
    DeskKey("x", "found", N_("Found different"),
            N_("The incoming clerk found something else: type what")),
    DeskKey("e", "explain", N_("Explain ticket"),
            N_("Explain why the selected ticket is still open")),
    DeskKey("a", "abnormal", N_("Abnormal"), N_("Note the shift's abnormal situations")),
    DeskKey("g", "sign", N_("Sign"), N_("Both clerks sign with name and PIN; then it is locked")),
    DeskKey("escape", "close", N_("Close"), _CLOSE_HELP),
)

HANDOVER_HISTORY_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("p", "print", N_("Print"), N_("Print the selected handover record")),
    DeskKey("escape", "close", N_("Close"), _CLOSE_HELP),
    _QUIT,
)

_EARLIER_DAY = DeskKey("left_square_bracket", "day(-1)", N_("Earlier day"),
                       N_("Show the day before"))
_LATER_DAY = DeskKey("right_square_bracket", "day(1)", N_("Later day"), N_("Show the day after"))

SIGNOFF_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("escape", "close", N_("Close"), _CLOSE_HELP),
    _EARLIER_DAY,
    _LATER_DAY,
)

LOG_VIEW_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("l", "add", N_("Log entry"), N_("Write a duty-log entry")),
    DeskKey("c", "correct", N_("Correct"),
            N_("Correct the selected entry (the entry itself stays as written)")),
    _EARLIER_DAY,
    _LATER_DAY,
    DeskKey("escape", "close", N_("Close"), _CLOSE_HELP),
    _QUIT,
)

LOG_ENTRY_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("escape", "cancel", N_("Cancel"), _CANCEL_HELP),
)

REPORTS_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("escape", "close", N_("Close"), _CLOSE_HELP),
    DeskKey("left_square_bracket", "month(-1)", N_("Earlier month"), N_("Show the month before")),
    DeskKey("right_square_bracket", "month(1)", N_("Later month"), N_("Show the month after")),
    DeskKey("t", "this_month", N_("This month"), N_("Back to this month")),
    DeskKey("tab", "switch_view", N_("Table/charts"),
            N_("Switch between the monthly table and the charts")),
    DeskKey("x", "export('xlsx')", N_("Export XLSX"), N_("Export the month as an Excel file")),
    DeskKey("p", "export('pdf')", N_("Export PDF"), N_("Export the month as a PDF")),
    DeskKey("v", "export('csv')", N_("Export CSV"), N_("Export the month as CSV")),
    _QUIT,
)

PRINT_PREVIEW_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("p", "print", N_("Print"), N_("Queue the work order for printing")),
    DeskKey("escape", "close", N_("Close"), _CLOSE_HELP),
    DeskKey("q", "close", N_("Close"), _CLOSE_HELP, footer=False),
)

# The small prompts (a reason, a PIN, a pick from a list) and the new-ticket form.
PROMPT_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("escape", "cancel", N_("Cancel"), _CANCEL_HELP),
)

# The dispatch picker (screens/dispatch.py): typing filters by name or pinyin initials, the
# arrows move while the cursor stays in the filter, Enter sends the highlighted one.
DISPATCH_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("down", "cursor_down", N_("Next"), N_("Highlight the next technician"),
            footer=False),
    DeskKey("up", "cursor_up", N_("Previous"), N_("Highlight the previous technician"),
            footer=False),
    DeskKey("escape", "cancel", N_("Cancel"), N_("Close; nobody is sent")),
)

# e: the ticket's details to amend (screens/amend.py), with the reason.
AMEND_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("ctrl+s", "save", N_("Save"),
            N_("Save the changes (Enter on the last field too); the old values stay")),
    DeskKey("escape", "cancel", N_("Cancel"), _CANCEL_HELP),
)

INTAKE_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("ctrl+s", "save", N_("Save"), N_("Save the call (Enter on the last field too)")),
    DeskKey("escape", "cancel", N_("Cancel"), _CANCEL_HELP),
)

# Asked before quitting while a form holds unsaved input.
QUIT_PROMPT_KEYS: tuple[DeskKey, ...] = (
    DeskKey("y,enter", "quit_now", N_("Quit"), N_("Quit; what was typed is lost")),
    DeskKey("n,escape", "stay", N_("Stay"), N_("Back to the form")),
)

# Asked before a step that cannot be undone from the desk (k: close/archive, which a vim
# hand presses for "up"): only y goes ahead; Enter does not, so a stray Enter is no yes.
CONFIRM_PROMPT_KEYS: tuple[DeskKey, ...] = (
    DeskKey("y", "yes", N_("Yes"), N_("Go ahead")),
    DeskKey("n,escape", "no", N_("No"), N_("Back; nothing changes")),
)

# M on the desk: the messages of this session (tui/messages.py).
MESSAGES_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("escape", "close", N_("Back"), _CLOSE_HELP),
    _QUIT,
)

HELP_SCREEN_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("escape", "close", N_("Close"), _CLOSE_HELP),
    _QUIT,
)

# The first night on an empty book (screens/setup.py): site, supervisor, (roster), sign-on.
SETUP_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("ctrl+s", "save", N_("Save step"),
            N_("Save this step and go to the next (Enter on the last field too)")),
    DeskKey("escape", "close", N_("Leave setup"),
            N_("Back to the desk; the steps saved so far stay (S goes on later)")),
)

# The staff roster (screens/roster.py): after a supervisor's PIN, or step 3 of the setup.
ROSTER_KEYS: tuple[DeskKey, ...] = (
    HELP_KEY,
    DeskKey("ctrl+s", "save", N_("Add person"),
            N_("Add the person in the form (Enter on the last field too)")),
    DeskKey("delete", "remove", N_("Remove"),
            N_("Remove the person selected in the list (shift+Tab to the list): only while the "
               "book is empty and they have never signed")),
    DeskKey("f2", "change_role", N_("Role"),
            N_("Give the person selected in the list the role chosen in the form")),
    DeskKey("f3", "reset_pin", N_("Reset PIN"),
            N_("Give the person selected in the list the PIN typed twice in the form")),
    DeskKey("f4", "toggle_active", N_("(De)activate"),
            N_("Deactivate the person selected in the list, or activate them again")),
    DeskKey("ctrl+n", "next_step", N_("Next: sign on"),
            N_("Setup: the roster is done, go on to signing on")),
    DeskKey("escape", "close", N_("Close"), _CLOSE_HELP),
)

# The app's own keys, bound on every screen (RepairDeskApp.BINDINGS).
APP_KEYS: tuple[DeskKey, ...] = (
    DeskKey("ctrl+q", "quit", N_("Quit"),
            N_("Leave the desk from any screen (asks first if a form holds unsaved input)"),
            footer=False, priority=True),
)

# Keys Textual binds itself on every screen: listed in the help, not bound again here.
TEXTUAL_KEYS: tuple[DeskKey, ...] = (
    DeskKey("ctrl+p", "command_palette", N_("palette"), N_("Open the command palette"),
            footer=False),
    DeskKey("tab", "app.focus_next", N_("Next panel"), N_("Move to the next panel or field"),
            footer=False),
)


def everywhere(keys: Sequence[DeskKey]) -> tuple[DeskKey, ...]:
    """The keys that work on every screen and that `keys` (a screen's table) leave alone."""
    taken = {name for k in keys for name in key_names(k.key)}
    return tuple(k for k in APP_KEYS + TEXTUAL_KEYS
                 if not taken.intersection(key_names(k.key)))


def bindings(keys: Sequence[DeskKey] = DESK_KEYS) -> list[Binding]:
    """A screen's bindings (the main screen's by default), labels in the language now in
    use."""
    return [Binding(k.key, k.action, _(k.label), show=k.footer, priority=k.priority)
            for k in keys]


_DISPLAY = {"slash": "/", "enter": "Enter", "ctrl+r": "^r", "ctrl+x": "^x",
            "question_mark": "?", "f1": "F1", "escape": "Esc", "space": "Space", "tab": "Tab",
            "left_square_bracket": "[", "right_square_bracket": "]", "ctrl+q": "^q",
            "ctrl+p": "^p", "ctrl+s": "^s"}


def key_display(key: str) -> str:
    """How a key is written for the clerk; `a,b` (two keys, one action) as `a / b`."""
    return " / ".join(_DISPLAY.get(k, k) for k in key.split(","))


def key_names(key: str) -> list[str]:
    """The keys of a table entry, as Pilot presses them."""
    return key.split(",")
