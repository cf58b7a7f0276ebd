"""主管签字 screen (`s`): the previous duty day for the supervisor — log entries, handovers,
breaches, tickets not yet returned — an optional comment, and the supervisor's PIN.

Keys: the cursor starts in the review, so [ ] (earlier/later day) work at once · tab moves
to comment, name and PIN · enter on the PIN signs · esc close."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, RichLog, Static

from ...errors import RepairdeskError
from ...i18n import _
from ..keys import SIGNOFF_KEYS, bindings


class SignoffScreen(Screen[str | None]):
    """Dismisses with the signed day (ISO) or None."""

    CSS_PATH = "duty.tcss"
    KEYS = SIGNOFF_KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, desk: Any, day: date | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.day = day
        self.signed_day: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="title", classes="duty-title", markup=False)
        yield RichLog(id="review", wrap=True, markup=False)
        yield Static("", id="status", classes="duty-status", markup=False)
        yield Input(placeholder=_("Comment (optional)"), id="comment")
        with Horizontal(classes="sign-row"):
            yield Input(placeholder=_("Supervisor"), id="sup-name")
            yield Input(placeholder=_("PIN"), password=True, id="sup-pin")
        yield Footer()

    def on_mount(self) -> None:
        from ...services.signoff import previous_day, unsigned_days

        if self.day is None:
            # the oldest day still waiting, else yesterday
            waiting = unsigned_days(self.desk)
            self.day = waiting[0] if waiting else previous_day(self.desk)
        self.show_day()
        # the review first: [ and ] (earlier/later day) work at once; tab reaches the comment
        self.query_one("#review", RichLog).focus()

    def show_day(self) -> None:
        from ...domain.timeparse import fmt_full
        from ...services.signoff import review

        assert self.day is not None
        r = review(self.desk, self.day)
        tz = self.desk.config.tz
        self.query_one("#title", Static).update(
            _("Supervisor's review · duty day {day}").format(day=r.day.isoformat()))
        log = self.query_one("#review", RichLog)
        log.clear()
        log.write(_("Duty log ({n} entries)").format(n=len(r.entries)))
        for e in r.entries:
            log.write(f"  {fmt_full(e.at, tz)}  {e.author}  {e.text}")
        log.write(_("Handovers ({n})").format(n=len(r.handovers)))
        for hid, out, inc, at, d in r.handovers:
            log.write(_("  Handover {id}: {out} → {inc} at {at}, {d} discrepancies").format(
                id=hid, out=out, inc=inc, at=fmt_full(at, tz), d=d))
        log.write(_("Breaches: {n}").format(n=len(r.breaches)))
        for e in r.breaches:
            log.write(f"  {fmt_full(e.at, tz)}  {e.text}")
        log.write(_("Not yet returned: {nos}").format(
            nos=", ".join(f"{no} ({label})" for no, label in r.not_returned) or "-"))
        status = self.query_one("#status", Static)
        locked = r.signed is not None
        for sel in ("#comment", "#sup-name", "#sup-pin"):
            self.query_one(sel, Input).disabled = locked
        if locked:
            anchor = _("Anchor (write it down; repairdesk verify --anchor checks it): {anchor}"
                       ).format(anchor=r.anchor) if r.anchor else ""
            status.update("\n".join(filter(None, [_(
                "Signed by {name} at {at}; the day is locked.").format(
                name=r.signed.supervisor, at=fmt_full(r.signed.at, tz)), anchor])))
        else:
            status.update(_("Not signed yet. Comment, then the supervisor's name and PIN."))
        status.set_class(locked, "ok")

    def has_unsaved_input(self) -> bool:
        """A comment, name or PIN typed and not yet signed."""
        fields = [self.query_one(sel, Input) for sel in ("#comment", "#sup-name", "#sup-pin")]
        return any(f.value and not f.disabled for f in fields)  # disabled: the day is signed

    def action_day(self, step: int) -> None:
        from ...services.signoff import previous_day

        assert self.day is not None
        self.day = min(self.day + timedelta(days=step), previous_day(self.desk))
        self.show_day()

    @on(Input.Submitted, "#comment")
    def _comment_done(self) -> None:
        self.query_one("#sup-name", Input).focus()

    @on(Input.Submitted, "#sup-name")
    def _name_done(self) -> None:
        self.query_one("#sup-pin", Input).focus()

    @on(Input.Submitted, "#sup-pin")
    def _sign(self) -> None:
        from ...services.signoff import sign_off

        pin = self.query_one("#sup-pin", Input)
        try:
            rec = sign_off(self.desk, self.query_one("#sup-name", Input).value, pin.value,
                           self.day, self.query_one("#comment", Input).value)
        except RepairdeskError as exc:
            pin.value = ""
            self.query_one("#status", Static).update(str(exc))
            return
        pin.value = ""
        self.signed_day = rec.duty_day
        self.show_day()

    def action_close(self) -> None:
        self.dismiss(self.signed_day)
