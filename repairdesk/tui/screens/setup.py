"""The first night on an empty book: the desk opens this by itself when the book has no
supervisor and no ticket yet. Four steps, each saved when it is done:

1. the site's name and code (into the site's config.toml; the header shows the new name),
2. the first supervisor: name, phone, PIN twice (no PIN check: there is nobody to check it),
3. the roster (screens/roster.py): clerks with PINs, technicians with their categories…,
4. a clerk signs on with the PIN, and the desk is ready.

Enter moves on and saves a step on its last field; Esc leaves (what was saved stays, `S` on
the desk goes on)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Input, Label, Static

from ...i18n import _
from ..keys import SETUP_KEYS, bindings
from ..widgets.fields import FieldInput

STEPS = {
    "site": ("site-name", "site-code"),
    "boss": ("boss-name", "boss-phone", "boss-pin", "boss-pin-again"),
    "signon": ("clerk-name", "clerk-pin"),
}
# a service error's field -> the input at fault
FIELD_INPUT = {"site_name": "site-name", "site_code": "site-code", "name": "boss-name",
               "phone": "boss-phone", "pin": "boss-pin"}


class SetupScreen(Screen[str | None]):
    """Dismisses with the name of the clerk who signed on, or None when left before that."""

    CSS_PATH = "setup.tcss"
    KEYS = SETUP_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, desk: Any) -> None:
        super().__init__()
        self.desk = desk
        self.step = "site"
        self.boss: str | None = None
        self.saving = False

    def compose(self) -> ComposeResult:
        from ...services.setup import configured_site

        name, code = configured_site(self.desk)
        yield Static("", id="setup-title", classes="dialog-title", markup=False)
        yield Static("", id="setup-hint", classes="dialog-hint", markup=False)
        yield Static("", id="setup-error", classes="dialog-error", markup=False)
        with ContentSwitcher(initial="step-site", id="setup-steps"):
            with Grid(id="step-site", classes="setup-grid"):
                yield Label(_("Site name"), markup=False)
                yield FieldInput(name, id="site-name", max_length=60,
                                 placeholder=_("e.g. Sunshine Garden Property Services"))
                yield Label(_("Site code"), markup=False)
                yield FieldInput(code, id="site-code", max_length=16,
                                 placeholder=_("e.g. YG: letters, digits or _"))
            with Grid(id="step-boss", classes="setup-grid"):
                yield Label(_("Name"), markup=False)
                yield FieldInput(id="boss-name", max_length=40)
                yield Label(_("Phone"), markup=False)
                yield FieldInput(id="boss-phone", max_length=30,
                                 placeholder=_("for escalation calls; optional"))
                yield Label(_("PIN"), markup=False)
                yield FieldInput(id="boss-pin", password=True, max_length=12,
                                 placeholder=_("4 to 12 digits"))
                yield Label(_("PIN again"), markup=False)
                yield FieldInput(id="boss-pin-again", password=True, max_length=12)
            with Grid(id="step-signon", classes="setup-grid"):
                yield Label(_("Clerk"), markup=False)
                yield FieldInput(id="clerk-name", max_length=40)
                yield Label(_("PIN"), markup=False)
                yield FieldInput(id="clerk-pin", password=True, max_length=12)
        yield Footer()

    def on_mount(self) -> None:
        self._show_step("site")

    def has_unsaved_input(self) -> bool:
        return any(self.query_one(f"#{f}", Input).value for f in STEPS.get(self.step, ()))

    # ------------------------------------------------------------------ steps
    def _show_step(self, step: str) -> None:
        titles = {
            "site": _("First night on an empty book. Step 1 of 4: the site"),
            "boss": _("Step 2 of 4: the first supervisor"),
            "signon": _("Step 4 of 4: a duty clerk signs on and holds the desk"),
        }
        hints = {
            "site": _("The site's name is shown in the header and on paper; the code keeps "
                      "this estate's records apart. Saved in {path}.").format(
                path=self._config_path()),
            "boss": _("The supervisor signs the duty log every morning and changes the roster "
                      "later (key S). The PIN is typed twice and kept only as a hash."),
            "signon": _("The clerk on duty signs on with the PIN; afterwards the desk changes "
                        "hands only by a signed handover."),
        }
        self.step = step
        self.query_one("#setup-title", Static).update(titles[step])
        self.query_one("#setup-hint", Static).update(hints[step] + "  " + _(
            "(Enter: next field, saves on the last | Esc: leave setup)"))
        self.query_one("#setup-error", Static).update("")
        self.query_one("#setup-steps", ContentSwitcher).current = f"step-{step}"
        fields = STEPS[step]
        first_empty = next((f for f in fields if not self.query_one(f"#{f}", Input).value),
                           fields[-1])
        self.set_focus(self.query_one(f"#{first_empty}", Input))

    def _config_path(self) -> str:
        from ...services.setup import site_config_path

        return str(site_config_path(self.desk))

    def field_done(self, field: Any) -> None:
        """Enter in a field (widgets/fields.py): the next one now, or save the step."""
        fields = STEPS.get(self.step, ())
        if field.id not in fields:
            return
        i = fields.index(field.id)
        if i + 1 < len(fields):
            self.set_focus(self.query_one(f"#{fields[i + 1]}", Input))
        else:
            self.action_save()

    def value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        run = self.app.run_service  # type: ignore[attr-defined]
        if self.step == "site":
            from ...services.setup import save_site

            run(save_site, self.desk, self.value("site-name"), self.value("site-code"),
                done=self._site_saved, failed=self._failed)
        elif self.step == "boss":
            from ...services.setup import create_first_supervisor

            run(create_first_supervisor, self.desk, self.value("boss-name"),
                self.value("boss-phone"), self.value("boss-pin"), self.value("boss-pin-again"),
                done=self._boss_saved, failed=self._failed)
        else:
            from ...services.shifts import sign_on

            run(sign_on, self.desk, self.value("clerk-name"), self.value("clerk-pin"),
                done=lambda turn: self.dismiss(turn.holder), failed=self._failed)

    def _site_saved(self, config: Any) -> None:
        self.saving = False
        self.app.refresh_board()  # type: ignore[attr-defined]  # the header's new name
        self._show_step("boss")

    def _boss_saved(self, member: Any) -> None:
        from .roster import RosterScreen

        self.saving = False
        self.boss = member.name
        pin = self.value("boss-pin")  # the roster's changes are approved with it
        for f in STEPS["boss"]:
            if f != "boss-name":
                self.query_one(f"#{f}", Input).value = ""
        self.app.push_screen(RosterScreen(self.desk, member.name, pin, setup=True),
                             callback=self._roster_done)

    def _roster_done(self, go_on: bool | None) -> None:
        from ...domain.enums import Role
        from ...services.staff import list_staff

        if not go_on:
            self.dismiss(None)
            return

        def first_clerk(members: list[Any]) -> None:
            clerk = next((m.name for m in members
                          if m.role is Role.CLERK and m.active and m.has_pin), "")
            if clerk and not self.value("clerk-name"):
                self.query_one("#clerk-name", Input).value = clerk
            self._show_step("signon")

        self.app.run_service(list_staff, self.desk,  # type: ignore[attr-defined]
                             done=first_clerk)

    def _failed(self, exc: Exception) -> None:
        self.saving = False
        self.query_one("#setup-error", Static).update(str(exc))
        self.app.bell()
        field = getattr(exc, "field", None)
        if self.step == "signon":
            from ...errors import NotFound

            self.query_one("#clerk-pin", Input).value = ""
            unknown = field == "name" or isinstance(exc, NotFound)
            target = "clerk-name" if unknown else "clerk-pin"
        elif field == "pin":
            for f in ("boss-pin", "boss-pin-again"):
                self.query_one(f"#{f}", Input).value = ""
            target = "boss-pin"
        else:
            target = FIELD_INPUT.get(field or "", "")
        if target in STEPS[self.step]:
            self.set_focus(self.query_one(f"#{target}", Input))

    def action_close(self) -> None:
        self.dismiss(None)
