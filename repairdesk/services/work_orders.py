"""Rendering a ticket's work order (派工单) for the print queue and the preview screen."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal

from ..domain.enums import ServiceType, Urgency
from ..domain.paid_work import quote_in_force
from ..domain.ticket import TicketRecord
from ..printing.base import Document
from ..printing.settings import Format, PrintSettings, print_settings
from ..printing.sheet import Sheet, clean_copies
from ..printing.work_order import work_order_sheet
from .desk import Desk

# Only used when the configuration carries no SLA rules: domain.md's default arrival targets.
_FALLBACK_ARRIVE_MIN = {Urgency.URGENT: 10, Urgency.NORMAL: 20}


def arrive_by(desk: Desk, record: TicketRecord) -> datetime | None:
    """The arrival deadline (到场时限) from the SLA engine's arrive clock."""
    rules = getattr(desk.config, "sla", None)
    if rules is not None:
        from ..domain.sla import evaluate
        from ..domain.sla_rules import ClockName

        for clock in evaluate(record, desk.now(), rules, desk.config.tz):
            if clock.name is ClockName.ARRIVE:
                return clock.due_at
        return None
    if record.state.appointment_at is not None:
        return record.state.appointment_at
    minutes = _FALLBACK_ARRIVE_MIN.get(record.intake.urgency)
    return record.intake.received_at + timedelta(minutes=minutes) if minutes else None


def quoted_fee(record: TicketRecord) -> Decimal | None:
    """The quote in force (the last bill, the fee the owner answered, or the team leader's
    assessed fee); None before any, when the paper says "to be quoted"."""
    if record.intake.service_type is ServiceType.FREE:
        return None
    return quote_in_force(record)


def copy_names(settings: PrintSettings, record: TicketRecord,
               copies: int | None = None) -> tuple[str, ...]:
    """The copies (联) of the work order: 2 for free jobs, 3 for paid ones by default. `copies`
    N takes the first N names, and numbers any beyond the configured ones (第4联 …)."""
    from ..i18n import _

    names = list(settings.copies_free if record.intake.service_type is ServiceType.FREE
                 else settings.copies_paid)
    if copies is not None:
        names = names[:copies] + [_("Copy {n}").format(n=n)
                                  for n in range(len(names) + 1, copies + 1)]
    return clean_copies(names)


def work_order(desk: Desk, record: TicketRecord, *, reprint: int,
               job_id: int | None) -> Sheet:
    cfg = desk.config
    return work_order_sheet(record, site_name=cfg.site_name, tz=cfg.tz,
                            arrive_by=arrive_by(desk, record), fee=quoted_fee(record),
                            reprint=reprint, printed_at=desk.now(), job_id=job_id)


def file_stem(subject: str, job_id: int) -> str:
    """A file name and CUPS title that any file system and printer accepts."""
    return f"{re.sub(r'[^0-9A-Za-z_.-]+', '_', subject)}-job{job_id}"


def render(desk: Desk, record: TicketRecord, copies: tuple[str, ...], fmt: Format, *,
           reprint: int, job_id: int) -> Document:
    """The work order as a PDF, or as GB18030 text for a dot-matrix printer."""
    settings = print_settings(desk.config)
    sheet = work_order(desk, record, reprint=reprint, job_id=job_id)
    name = file_stem(record.ticket_no, job_id)
    if fmt is Format.PDF:
        from ..printing.fonts import find_cjk_font, find_latin_font
        from ..printing.pdf import render_pdf

        data = render_pdf(sheet, copies, settings.paper, find_cjk_font(settings.font),
                          created=desk.now(), latin=find_latin_font())
        return Document(data, False, name, ".pdf", len(copies), settings.paper.cups_media)
    from ..printing.text import encode_for_printer, render_text

    text = render_text(sheet, copies, settings.text_width)
    return Document(encode_for_printer(text), True, name, ".txt", len(copies))


def text_of(desk: Desk, record: TicketRecord, copies: tuple[str, ...], *, reprint: int,
            job_id: int | None) -> str:
    """The plain-text rendering as a string (form feeds included), for the preview."""
    from ..printing.text import render_text

    sheet = work_order(desk, record, reprint=reprint, job_id=job_id)
    return render_text(sheet, copies, print_settings(desk.config).text_width)
