"""What the desk does when the SLA engine wrote new notices: one line on the message bar and
the terminal bell on a new breach (configurable) — never a toast per notice, because a desk
opened after a quiet hour may find a dozen at once. A breached completion clock is offered as
转协调单 on the alert line; the clerk agrees with `F` and only then is it recorded."""

from __future__ import annotations

from typing import Any

from ..domain.sla import ClockName
from ..i18n import _, ngettext


def after_escalation(app: Any, notices: list[Any]) -> None:
    if not notices:
        return
    breaches = [n for n in notices if n.is_breach]
    if len(notices) == 1:
        text = notices[0].text
    else:
        text = ngettext("{n} new SLA notice written to the duty log; see the alerts.",
                        "{n} new SLA notices written to the duty log; see the alerts.",
                        len(notices)).format(n=len(notices))
    offers = sorted({n.ticket_no for n in breaches if n.clock is ClockName.COMPLETE})
    if offers:
        text += " " + _("Not completed in time: {nos}. Press F on it to turn it into a "
                        "follow-up.").format(nos=", ".join(offers[:3]))
    app.say(text, error=bool(breaches), toast=False,
            bell=bool(breaches) and app.desk.config.sla.bell)
