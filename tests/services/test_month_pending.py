"""Pending clocks in the month's table (domain.md "Counting": shown as a count beside the rate,
not in it) on the terminal table and the PDF, as `report month --json` has them."""

from __future__ import annotations

import io

from repairdesk.i18n import _
from repairdesk.reports import sections as S
from repairdesk.reports.text import render
from repairdesk.services import reports
from repairdesk.services import tickets as T


def test_pending_count_beside_each_rate(staffed, clock, tmp_path):
    desk = staffed
    late = T.register_ticket(desk, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="门锁坏了"), "李静")
    clock.advance(minutes=6)  # the first one's dispatch clock is missed
    T.register_ticket(desk, T.IntakeForm(room="3-2-1502", caller="李女士",
                                         content="灯不亮"), "李静")  # this one's pending
    table = reports.month_table(desk, reports.current_month(desk))
    dispatch = next(c for c in table.clocks if c.clock == "dispatch")
    assert (dispatch.met, dispatch.missed, dispatch.pending) == (0, 1, 1)
    (section,) = [s for s in S.month_sections(table) if s.title == _("On-time rate per clock")]
    assert section.headers[-1] == _("Pending")
    row = next(r for r in section.rows if r[0] == S._clock_label("dispatch"))
    assert row[1:3] == (0, 1) and row[-1] == 1
    buf = io.StringIO()
    render([section], desk.config.tz, buf, width=120)
    text = buf.getvalue()
    assert _("Pending") in text and section.note.split()[-1] in text  # the caption wraps
    line = next(ln for ln in text.splitlines() if S._clock_label("dispatch") in ln)
    assert line.split()[-1] == "1", line
    assert late.ticket_no  # (the missed one is the first of the month)


def test_pdf_month_table_shows_pending(staffed, tmp_path):
    from pdftext import pdf_text

    from repairdesk.reports.export import Format, export_month

    T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                            content="门锁坏了"), "李静")
    path = tmp_path / "m.pdf"
    path.write_bytes(export_month(staffed, reports.current_month(staffed), Format.PDF))
    assert _("Pending") in pdf_text(path)
