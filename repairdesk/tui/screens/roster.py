"""The staff roster (`S` after a supervisor's or manager's name and PIN; step 3 of the
first-night setup): the list — name, role, masked phone, active, PIN, categories — and a form
to add a person. Enter moves on and adds the person on the last field, ctrl+s adds, shift+Tab
goes to the list where Delete removes a mistaken entry; for the person selected in the list F2
gives the role chosen in the form, F3 the PIN typed twice in the form, F4 deactivates or
activates. Every change goes through services/roster.py with the supervisor's name and PIN
(asked when the screen opened) and is a duty-log entry. Esc closes."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Static

from ...domain.enums import Role
from ...domain.validation import mask_phone
from ...errors import ValidationError
from ...i18n import _
from ..keys import ROSTER_KEYS, bindings
from ..text import cells
from ..widgets.choice import Choice
from ..widgets.fields import FieldInput

ORDER = ("name", "role", "phone", "pin", "pin_again", "skills")
ROLES = (Role.CLERK, Role.TECHNICIAN, Role.TEAM_LEADER, Role.SUPERVISOR, Role.MANAGER)


class RosterScreen(Screen[bool | None]):
    """Dismisses with True when the setup goes on to signing on (ctrl+n), else None."""

    CSS_PATH = "setup.tcss"
    KEYS = ROSTER_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, desk: Any, by: str, pin: str, setup: bool = False) -> None:
        super().__init__()
        self.desk = desk
        self.by = by  # the supervisor or manager making the changes
        self.pin = pin  # their PIN, checked again by the service for each change
        self.setup = setup
        self.saving = False
        self.names: list[str] = []
        self.members: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        if self.setup:
            title = _("Step 3 of 4: the staff roster. Add the duty clerks (with their PINs), "
                      "technicians (with the categories they handle) and team leaders.")
        else:
            title = _("Staff roster (changes by {name}, written to the duty log)").format(
                name=self.by)
        yield Static(title, id="roster-title", classes="dialog-title", markup=False)
        yield Static(_("Enter: next field, adds the person on the last one | shift+Tab: the "
                       "list, where Delete removes a mistaken entry") +
                     (" | " + _("ctrl+n: next step, signing on") if self.setup else ""),
                     id="roster-hint", classes="dialog-hint", markup=False)
        yield Static("", id="roster-error", classes="dialog-error", markup=False)
        # the list first: shift+Tab from the form's first field reaches it
        table = DataTable(id="roster-list", cursor_type="row", zebra_stripes=True)
        table.border_title = _("On the roster")
        yield table
        with Grid(id="roster-form", classes="setup-grid"):
            yield Label(_("Name"), markup=False)
            yield FieldInput(id="name", max_length=40)
            yield Label(_("Role"), markup=False)
            yield Choice([(r.value, r.label) for r in ROLES], id="role")
            yield Label(_("Phone"), markup=False)
            yield FieldInput(id="phone", max_length=30,
                             placeholder=_("for escalation calls; optional"))
            yield Label(_("PIN"), markup=False)
            yield FieldInput(id="pin", password=True, max_length=12,
                             placeholder=_("{lo} to {hi} digits; clerks, supervisors, "
                                           "managers").format(lo=self.desk.config.pin_min,
                                                              hi=12))
            yield Label(_("PIN again"), markup=False)
            yield FieldInput(id="pin_again", password=True, max_length=12)
            yield Label(_("Categories"), markup=False)
            yield FieldInput(id="skills", max_length=120,
                             placeholder=_("technicians: e.g. {example}").format(
                                 example=",".join(self.desk.config.categories[:2])))
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#roster-list", DataTable)
        for key, label in (("name", _("Name")), ("role", _("Role")), ("phone", _("Phone")),
                           ("active", _("Active")), ("pin", _("PIN")),
                           ("skills", _("Categories"))):
            table.add_column(label, key=key)
        self.set_focus(self.query_one("#name", Input))
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_step" and not self.setup:
            return False
        return True

    def has_unsaved_input(self) -> bool:
        return any(self.query_one(f"#{f}", Input).value for f in ORDER if f != "role")

    # ------------------------------------------------------------------ the list
    def reload(self) -> None:
        from ...services.staff import list_staff

        self.app.run_service(list_staff, self.desk,  # type: ignore[attr-defined]
                             done=self._show, group="roster", exclusive=True)

    def _show(self, members: list[Any]) -> None:
        table = self.query_one("#roster-list", DataTable)
        table.clear()
        self.names = []
        self.members = {m.name: m for m in members}
        for m in members:
            table.add_row(*cells(m.name, m.role.label, mask_phone(m.phone),
                                 _("active") if m.active else _("inactive"),
                                 _("yes") if m.has_pin else _("no"), "、".join(m.skills)),
                          key=m.name)
            self.names.append(m.name)

    def selected_name(self) -> str | None:
        table = self.query_one("#roster-list", DataTable)
        if not self.names or table.cursor_row < 0 or table.cursor_row >= len(self.names):
            return None
        return self.names[table.cursor_row]

    # ------------------------------------------------------------------ the form
    def field_done(self, field: Any) -> None:
        """Enter in a field (widgets/fields.py): the next one now, or add the person."""
        if field.id not in ORDER:
            return
        i = ORDER.index(field.id)
        if i + 1 < len(ORDER):
            self.set_focus(self.query_one(f"#{ORDER[i + 1]}"))
        else:
            self.action_save()

    def person(self) -> Any:
        from ...services.roster import NewPerson

        def text(key: str) -> str:
            return self.query_one(f"#{key}", Input).value

        return NewPerson(name=text("name"), role=Role(self.query_one("#role", Choice).value),
                         phone=text("phone"), pin=text("pin"), pin_again=text("pin_again"),
                         skills=text("skills"))

    def action_save(self) -> None:
        from ...services.roster import add_person

        if self.saving:
            return
        self.saving = True
        self.app.run_service(add_person, self.desk, self.person(), self.by,  # type: ignore
                             self.pin, done=self._added, failed=self._failed)

    def _added(self, member: Any) -> None:
        self.saving = False
        for key in ORDER:
            if key != "role":
                self.query_one(f"#{key}", Input).value = ""
        self.query_one("#roster-error", Static).update("")
        self.query_one("#roster-hint", Static).update(
            _("Added {name} ({role}).").format(name=member.name, role=member.role.label))
        self.set_focus(self.query_one("#name", Input))
        self.reload()

    def _failed(self, exc: Exception) -> None:
        self.saving = False
        self.query_one("#roster-error", Static).update(str(exc))
        self.app.bell()
        field = getattr(exc, "field", None)
        if field == "pin":
            for key in ("pin", "pin_again"):
                self.query_one(f"#{key}", Input).value = ""
        if field in ORDER:
            self.set_focus(self.query_one(f"#{field}"))

    # ------------------------------------------------------------------ keys
    def action_remove(self) -> None:
        from ...services.roster import remove_person

        name = self.selected_name()
        if name is None or not isinstance(self.focused, DataTable):
            self.query_one("#roster-error", Static).update(
                _("Go to the list (shift+Tab) and select the person to remove first."))
            return

        def removed(_result: Any) -> None:
            self.query_one("#roster-error", Static).update("")
            self.query_one("#roster-hint", Static).update(
                _("Removed {name} from the roster.").format(name=name))
            self.reload()

        self.app.run_service(remove_person, self.desk, name, self.by,  # type: ignore
                             self.pin, done=removed, failed=self._failed)

    def _selected_or_say(self) -> str | None:
        name = self.selected_name()
        if name is None:
            self.query_one("#roster-error", Static).update(
                _("Go to the list (shift+Tab) and select the person first."))
        return name

    def _changed(self, member: Any) -> None:
        """A roster change went through (each is a duty-log entry by self.by)."""
        self.query_one("#roster-error", Static).update("")
        state = _("active") if member.active else _("inactive")
        self.query_one("#roster-hint", Static).update(
            _("{name}: {role}, {state}.").format(name=member.name, role=member.role.label,
                                                 state=state))
        self.reload()

    def action_change_role(self) -> None:
        from ...services.roster import set_role

        name = self._selected_or_say()
        if name is not None:
            role = Role(self.query_one("#role", Choice).value)
            self.app.run_service(set_role, self.desk, name, role, self.by,  # type: ignore
                                 self.pin, done=self._changed, failed=self._failed)

    def action_toggle_active(self) -> None:
        from ...services.roster import set_active

        name = self._selected_or_say()
        if name is not None and name in self.members:
            self.app.run_service(set_active, self.desk, name,  # type: ignore[attr-defined]
                                 not self.members[name].active, self.by, self.pin,
                                 done=self._changed, failed=self._failed)

    def action_reset_pin(self) -> None:
        from ...services.roster import reset_pin

        name = self._selected_or_say()
        if name is None:
            return
        pin = self.query_one("#pin", Input).value
        if pin != self.query_one("#pin_again", Input).value:
            self._failed(ValidationError(_("The two PINs differ; nothing was saved."), "pin"))
            return

        def done(member: Any) -> None:
            for key in ("pin", "pin_again"):
                self.query_one(f"#{key}", Input).value = ""
            self._changed(member)
            self.query_one("#roster-hint", Static).update(
                _("PIN set for {name}.").format(name=member.name))

        self.app.run_service(reset_pin, self.desk, name, pin, self.by,  # type: ignore
                             self.pin, done=done, failed=self._failed)

    def action_next_step(self) -> None:
        if self.setup:
            self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(None)
