"""Materials used on a job (003 5.4/5.5: name, quantity, price; "材料为业主提供" when the owner
supplied them). A paid job's parts are lines of its bill (fees.py); a free job's are recorded
without charge by a MATERIALS step, the last one in force, and counted in the month's
"materials used" all the same."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .enums import Action, ServiceType
from .fees import LineKind, MaterialUse, latest_bill
from .ticket import TicketRecord


def materials_data(materials: list[MaterialUse]) -> dict[str, Any]:
    """The step's data: money as strings (never floats), like a bill."""
    return {"materials": [{"name": m.name, "qty": str(m.qty),
                           "purchase_price": str(m.purchase_price)} for m in materials]}


def free_materials(record: TicketRecord) -> tuple[MaterialUse, ...]:
    """The materials of the last MATERIALS step (a later entry replaces an earlier one)."""
    for e in reversed(record.events):
        if e.action is Action.MATERIALS:
            return materials_from(e.data)
    return ()


def materials_from(data: dict[str, Any]) -> tuple[MaterialUse, ...]:
    out = []
    for m in data.get("materials", []) or []:
        try:
            out.append(MaterialUse(str(m["name"]), Decimal(str(m["purchase_price"])),
                                   Decimal(str(m.get("qty", "1")))))
        except (KeyError, ArithmeticError, ValueError):
            continue
    return tuple(out)


def material_lines(record: TicketRecord) -> tuple[tuple[str, Decimal, Decimal], ...]:
    """(name, quantity, unit price) of every material used on the job: a paid job's billed
    parts at the price charged, a free job's at the purchase price."""
    if record.intake.service_type is ServiceType.FREE:
        return tuple((m.name, m.qty, m.purchase_price) for m in free_materials(record))
    bill = latest_bill(record)
    if bill is None:
        return ()
    return tuple((ln.name, ln.qty, ln.unit_price) for ln in bill.lines
                 if ln.kind in (LineKind.MATERIAL, LineKind.OFF_LIST))
