"""`n`: the new-ticket form, in the order the clerk asks the caller: room, caller, phone,
content, scope, category, urgency, appointment (then channel, service type, owner's parts,
vacant unit).
Enter moves on (and saves on the last field), ctrl+s saves, Esc cancels and saves nothing.

While the caller is on the line the form reads the room as he says it (3栋2单元1501 is
3-2-1501; a text that is neither a room nor a known public place is asked about, never taken
for a public place), shows the room's tickets of the last 30 days under the form (looked up
as the room is typed, after a short pause), and suggests urgency and category from the
content; a choice the clerk made by hand is never overridden."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ...domain.enums import Channel, Scope, ServiceType, Urgency
from ...domain.text import clean_text
from ...domain.intake import guess_category, urgent_matches
from ...domain.rooms import Place, read_place
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
    CSS_PATH = "intake.tcss"
    ROOM_PAUSE = 0.4  # seconds of no typing in the room field before its history is looked up

    def __init__(self, desk: Any, clerk: str) -> None:
        super().__init__()
        self.desk = desk
        self.clerk = clerk
        self.saving = False
        self._room_timer: Any = None
        self._looked_up = ""  # the room text whose history was last asked for
        self._urgent_hint = ""
        self._category_hint = ""

    def compose(self) -> ComposeResult:
        cfg = self.desk.config
        with Vertical(id="intake", classes="dialog"):
            yield Static(_("New repair call  (Enter: next field | ctrl+s: save | Esc: cancel)"),
                         classes="dialog-title", markup=False)
            yield Static("", id="room-note", classes="dialog-hint", markup=False)
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
            yield Static("", id="room-history", markup=False)

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
            self._read_room(self.query_one("#room", Input))
        self._next(field.id)

    # ------------------------------------------------------------------ the room
    def _reading(self, text: str) -> Any:
        cfg = self.desk.config
        return read_place(text, cfg.room_forms, cfg.room_pattern, cfg.public_place_words)

    def _read_room(self, field: Input) -> None:
        """Enter in the room: a room is written as the book does (3栋2单元1501 → 3-2-1501) and
        is in-home; a public place's word makes it public; anything else is asked about, and
        the scope stays in-home so saving cannot take it silently for a public place."""
        text = clean_text(field.value)  # what was typed is shown back: no escapes, no controls
        if not text:
            return
        reading = self._reading(text)
        scope = self.query_one("#scope", Choice)
        note = self.query_one("#room-note", Static)
        if reading.kind is Place.ROOM:
            if field.value != reading.room:
                field.value = reading.room
            note.update("")
        elif reading.kind is Place.PUBLIC:
            note.update(_("{place}: a public area ({word}); change Scope if not.").format(
                place=text, word=reading.word))
        elif not scope.touched:
            note.update(_("{place}: neither a room (3-2-1501, 3栋2单元1501) nor a known public "
                          "place. A room? Type it so. A public area? Choose it under Scope.")
                        .format(place=text))
        if not scope.touched:
            scope.set_value(Scope.PUBLIC.value if reading.kind is Place.PUBLIC
                            else Scope.HOME.value)
        self._look_up_room()

    @on(Input.Changed, "#room")
    def _room_typed(self, event: Input.Changed) -> None:
        """Look the room's history up once the typing pauses, not at every key."""
        if event.value == self._looked_up:
            return  # the form wrote it itself (3栋2单元1501 → 3-2-1501), or nothing changed
        self.query_one("#room-note", Static).update("")
        if self._room_timer is not None:
            self._room_timer.stop()
        self._room_timer = self.set_timer(self.ROOM_PAUSE, self._look_up_room)

    def _look_up_room(self) -> None:
        from ...services.rooms import room_history

        if self._room_timer is not None:
            self._room_timer.stop()
            self._room_timer = None
        text = self._looked_up = self.query_one("#room", Input).value
        if not text.strip():
            self._show_history(text, None)
            return
        self.app.run_service(  # type: ignore[attr-defined]
            room_history, self.desk, text, group="room-history", exclusive=True,
            done=lambda history: self._show_history(text, history))

    def _show_history(self, text: str, history: Any) -> None:
        """The room's tickets of the last 30 days, newest first (what the caller may be
        calling about again); an answer for a room typed before is dropped."""
        from ... import fmt

        if not self.is_mounted or self.query_one("#room", Input).value != text:
            return
        panel = self.query_one("#room-history", Static)
        if history is None or not history.room:
            panel.update("")
            panel.remove_class("has-history")
            return
        panel.add_class("has-history")
        if not history.tickets:
            panel.update(_("{room}: no tickets in the last 30 days.").format(room=history.room))
            return
        lines = [_("{room}, tickets in the last 30 days: {n}").format(
            room=history.room, n=history.total)]
        for t in history.tickets:
            lines.append("  ".join((fmt.datetime(t.received_at, self.desk.config.tz),
                                    t.ticket_no, t.category, t.status.label,
                                    t.content[:30])))
        panel.update("\n".join(lines))

    # ------------------------------------------------------------------ suggestions
    @on(Input.Changed, "#content")
    def _suggest(self, event: Input.Changed) -> None:
        """Urgent by rule (003 4) and the category from the fault's words: suggested while
        the clerk types; a choice made by hand is never overridden."""
        cfg = self.desk.config
        found = urgent_matches(event.value, cfg.urgent_keywords)
        urgency = self.query_one("#urgency", Choice)
        # a clerk who chose another urgency by hand has answered the hint: it goes
        if found and not (urgency.touched and urgency.value != Urgency.URGENT.value):
            self._urgent_hint = _("Urgent by rule ({words}): urgency set to urgent; change "
                                  "it if not.").format(words="、".join(found[:3]))
            if not urgency.touched:
                urgency.set_value(Urgency.URGENT.value)
        else:
            self._urgent_hint = ""
            if not urgency.touched and urgency.value == Urgency.URGENT.value:
                urgency.set_value(Urgency.NORMAL.value)
        category = self.query_one("#category", Choice)
        guess = guess_category(event.value, cfg.category_keywords)
        self._category_hint = ""
        if not category.touched:
            category.set_value(guess[0] if guess else cfg.default_category)
            if guess:
                self._category_hint = _("Category {category} ({word}); change it if "
                                        "not.").format(category=guess[0], word=guess[1])
        self._show_hints()

    def _show_hints(self) -> None:
        self.query_one("#hint", Static).update(
            "  ".join(h for h in (self._urgent_hint, self._category_hint) if h))

    @on(Choice.Changed, "#urgency, #category")
    def _chosen(self, event: Choice.Changed) -> None:
        """A choice made by hand answers its suggestion: the hint that asked goes."""
        choice = event.choice
        if not choice.touched:
            return
        if choice.id == "urgency" and choice.value != Urgency.URGENT.value:
            self._urgent_hint = ""
        elif choice.id == "category":
            self._category_hint = ""
        self._show_hints()

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
