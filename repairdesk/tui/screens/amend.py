"""`e`: amend a ticket's details (补录 / 更正): service type, urgency, category, scope, vacant
unit (空房), room, caller, content, with the reason. The form opens with the details as they stand; only what
the clerk changes is saved, as one amendment event (the old values stay in the history, and
a clock already met or missed keeps its result). Enter moves on (and saves on the reason),
ctrl+s saves, Esc cancels and saves nothing."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ...domain.enums import Scope, ServiceType, Urgency
from ...i18n import _
from ..keys import AMEND_KEYS, bindings
from ..widgets.choice import Choice
from ..widgets.fields import FieldInput

CHOICES = ("service_type", "urgency", "category", "scope", "vacant")
TEXTS = ("room", "caller", "content")
ORDER = (*CHOICES, *TEXTS, "reason")


class AmendScreen(ModalScreen[Any]):
    """Dismisses with the amended TicketRecord, or None when cancelled."""

    KEYS = AMEND_KEYS
    BINDINGS = bindings(KEYS)
    CSS_PATH = "amend.tcss"

    def __init__(self, desk: Any, record: Any, clerk: str) -> None:
        super().__init__()
        self.desk = desk
        self.record = record
        self.clerk = clerk
        self.saving = False

    def current(self) -> dict[str, str]:
        """The details as they stand, as the form's values."""
        i = self.record.intake
        return {"service_type": i.service_type.value, "urgency": i.urgency.value,
                "category": i.category, "scope": i.scope.value,
                "vacant": "yes" if self.record.state.vacant else "no", "room": i.room,
                "caller": i.caller, "content": i.content}

    def compose(self) -> ComposeResult:
        now = self.current()
        categories = list(self.desk.config.categories)
        if now["category"] not in categories:
            categories.insert(0, now["category"])
        with Vertical(id="amend", classes="dialog"):
            yield Static(_("Amend {no}  (Enter: next field | ctrl+s: save | Esc: cancel)")
                         .format(no=self.record.ticket_no), classes="dialog-title", markup=False)
            yield Static(_("Only what you change is saved; the old values stay in the "
                           "history, and a clock already met or missed keeps its result."),
                         classes="dialog-hint", markup=False)
            yield Static("", id="error", classes="dialog-error", markup=False)
            with Grid(id="amend-grid"):
                yield Label(_("Service"), markup=False)
                yield Choice([(s.value, s.label) for s in ServiceType], now["service_type"],
                             id="service_type")
                yield Label(_("Urgency"), markup=False)
                yield Choice([(u.value, u.label) for u in
                              (Urgency.NORMAL, Urgency.URGENT, Urgency.APPOINTMENT)],
                             now["urgency"], id="urgency")
                yield Label(_("Category"), markup=False)
                yield Choice([(c, c) for c in categories], now["category"], id="category")
                yield Label(_("Scope"), markup=False)
                yield Choice([(s.value, s.label) for s in Scope], now["scope"], id="scope")
                yield Label(_("Vacant unit"), markup=False)  # 空房: closed only verified
                yield Choice([("no", _("no")), ("yes", _("yes"))], now["vacant"], id="vacant")
                yield Label(_("Room / place"), markup=False)
                yield FieldInput(now["room"], id="room", max_length=60)
                yield Label(_("Caller"), markup=False)
                yield FieldInput(now["caller"], id="caller", max_length=40)
                yield Label(_("Content"), markup=False)
                yield FieldInput(now["content"], id="content", max_length=500)
                yield Label(_("Reason"), markup=False)
                yield FieldInput(placeholder=_("why the details change (required)"),
                                 id="reason", max_length=500)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#service_type", Choice))

    def field_done(self, field: Any) -> None:
        """Enter in a field (widgets/fields.py): the next one now, or save after the last."""
        if field.id not in ORDER:
            return
        i = ORDER.index(field.id)
        if i + 1 >= len(ORDER):
            self.action_save()
            return
        self.set_focus(self.query_one(f"#{ORDER[i + 1]}"))

    def changes(self) -> dict[str, str]:
        """The fields whose value differs from the ticket's."""
        now = self.current()
        values = {k: self.query_one(f"#{k}", Choice).value for k in CHOICES}
        values.update({k: self.query_one(f"#{k}", Input).value for k in TEXTS})
        return {k: v for k, v in values.items() if v.strip() != now[k]}

    def has_unsaved_input(self) -> bool:
        return bool(self.changes()) or bool(self.query_one("#reason", Input).value)

    def _error(self, text: str, field: str | None) -> None:
        self.query_one("#error", Static).update(text)
        if field in ORDER:
            self.query_one(f"#{field}").focus()

    def action_save(self) -> None:
        if self.saving:
            return
        changes = self.changes()
        reason = self.query_one("#reason", Input).value.strip()
        if not changes:
            self._error(_("Nothing to change."), "service_type")
            return
        if not reason:
            self._error(_("{field} is required.").format(field=_("Reason")), "reason")
            return
        from ...services.tickets import amend_ticket

        vacant = changes.pop("vacant", None)
        self.saving = True
        self.app.run_service(  # type: ignore[attr-defined]
            amend_ticket, self.desk, self.record.ticket_no, changes, self.clerk, note=reason,
            vacant=None if vacant is None else vacant == "yes",
            done=self.dismiss, failed=self._failed)

    def _failed(self, exc: Exception) -> None:
        self.saving = False
        self._error(str(exc), getattr(exc, "field", None))

    def action_cancel(self) -> None:
        self.dismiss(None)
