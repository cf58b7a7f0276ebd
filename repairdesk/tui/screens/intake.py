"""`n`: the new-ticket form, in the order the clerk asks the caller: room, caller, phone,
content, scope, category, urgency, appointment (then channel, service type, owner's parts,
vacant unit).
Enter moves on (and saves on the last field), ctrl+s saves, Esc cancels and saves nothing."""

from __future__ import annotations

import re
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ...domain.enums import Channel, Scope, ServiceType, Urgency
from ...domain.intake import urgent_matches
from ...i18n import _
from ..keys import INTAKE_KEYS, bindings
from ..widgets.choice import Choice
from ..widgets.fields import FieldInput

ORDER = ("room", "caller", "phone", "content", "scope", "category", "urgency", "appointment",
         "channel", "service_type", "owner_parts", "vacant")


class IntakeScreen(ModalScreen[Any]):
    """Dismisses with the saved TicketRecord, or None when cancelled."""

    KEYS = INTAKE_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, desk: Any, clerk: str) -> None:
        super().__init__()
        self.desk = desk
        self.clerk = clerk
        self.saving = False

    def compose(self) -> ComposeResult:
        cfg = self.desk.config
        with Vertical(id="intake", classes="dialog"):
            yield Static(_("New repair call  (Enter: next field | ctrl+s: save | Esc: cancel)"),
                         classes="dialog-title", markup=False)
            yield Static("", id="hint", classes="dialog-hint", markup=False)
            yield Static("", id="error", classes="dialog-error", markup=False)
            with Grid(id="intake-grid"):
                yield Label(_("Room / place"), markup=False)
                yield FieldInput(placeholder=_("e.g. 3-2-1501, or a public place"), id="room",
                            max_length=60)
                yield Label(_("Caller"), markup=False)
                yield FieldInput(placeholder=_("at least a surname"), id="caller", max_length=40)
                yield Label(_("Phone"), markup=False)
                yield FieldInput(placeholder=_("only if the owner agrees"), id="phone",
                            max_length=30)
                yield Label(_("Content"), markup=False)
                yield FieldInput(placeholder=_("the fault, in the caller's words"), id="content",
                            max_length=500)
                yield Label(_("Scope"), markup=False)
                yield Choice([(s.value, s.label) for s in Scope], id="scope")
                yield Label(_("Category"), markup=False)
                yield Choice([(c, c) for c in cfg.categories], cfg.default_category,
                             id="category")
                yield Label(_("Urgency"), markup=False)
                yield Choice([(u.value, u.label) for u in
                              (Urgency.NORMAL, Urgency.URGENT, Urgency.APPOINTMENT)],
                             id="urgency")
                yield Label(_("Appointment"), markup=False)
                yield FieldInput(placeholder=_("e.g. tomorrow 9:00 (appointments only)"),
                            id="appointment", max_length=40)
                yield Label(_("Channel"), markup=False)
                yield Choice([(c.value, c.label) for c in Channel], id="channel")
                yield Label(_("Service"), markup=False)
                yield Choice([(s.value, s.label) for s in ServiceType], id="service_type")
                yield Label(_("Owner's parts"), markup=False)
                yield Choice([("no", _("no")), ("yes", _("yes"))], id="owner_parts")
                yield Label(_("Vacant unit"), markup=False)  # 空房: closed only verified
                yield Choice([("no", _("no")), ("yes", _("yes"))], id="vacant")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#room", Input))

    # ------------------------------------------------------------------ moving on
    def _next(self, current: str) -> None:
        i = ORDER.index(current)
        if i + 1 >= len(ORDER):
            self.action_save()
            return
        self.set_focus(self.query_one(f"#{ORDER[i + 1]}"))  # now, not after the next key

    def field_done(self, field: Any) -> None:
        """Enter in a field (widgets/fields.py): move on now, or save after the last one."""
        if field.id not in ORDER:
            return
        if field.id == "room":
            self._guess_scope(self.query_one("#room", Input).value)
        self._next(field.id)

    def _guess_scope(self, room: str) -> None:
        """A room number means in-home; anything else is a public place (the clerk may
        change it)."""
        scope = self.query_one("#scope", Choice)
        if scope.touched or not room.strip():
            return
        home = re.match(self.desk.config.room_pattern, room.strip()) is not None
        scope.set_value(Scope.HOME.value if home else Scope.PUBLIC.value)

    @on(Input.Changed, "#content")
    def _suggest(self, event: Input.Changed) -> None:
        """Urgent by rule (003 4): suggest 紧急 while the clerk types; the clerk decides."""
        found = urgent_matches(event.value, self.desk.config.urgent_keywords)
        hint = self.query_one("#hint", Static)
        urgency = self.query_one("#urgency", Choice)
        if found:
            hint.update(_("Urgent by rule ({words}): urgency set to urgent; change it if "
                          "not.").format(words="、".join(found[:3])))
            if not urgency.touched:
                urgency.set_value(Urgency.URGENT.value)
        else:
            hint.update("")
            if not urgency.touched and urgency.value == Urgency.URGENT.value:
                urgency.set_value(Urgency.NORMAL.value)

    # ------------------------------------------------------------------ saving
    def has_unsaved_input(self) -> bool:
        """Something typed or chosen that quitting would lose."""
        return (any(i.value for i in self.query(Input))
                or any(c.touched for c in self.query(Choice)))

    def form(self) -> Any:
        from ...services.tickets import IntakeForm

        def text(field: str) -> str:
            return self.query_one(f"#{field}", Input).value

        def choice(field: str) -> str:
            return self.query_one(f"#{field}", Choice).value

        return IntakeForm(
            room=text("room"), caller=text("caller"), phone=text("phone"),
            content=text("content"), scope=choice("scope"), category=choice("category"),
            urgency=choice("urgency"), appointment=text("appointment"),
            channel=choice("channel"), service_type=choice("service_type"),
            owner_parts=choice("owner_parts") == "yes", vacant=choice("vacant") == "yes",
        )

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        from ...services.tickets import register_ticket

        self.app.run_service(  # type: ignore[attr-defined]
            register_ticket, self.desk, self.form(), self.clerk,
            done=self._saved, failed=self._failed)

    def _saved(self, record: Any) -> None:
        self.dismiss(record)

    def _failed(self, exc: Exception) -> None:
        self.saving = False
        self.query_one("#error", Static).update(str(exc))
        field = getattr(exc, "field", None)
        if field in ORDER:
            self.query_one(f"#{field}").focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
