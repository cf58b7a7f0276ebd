"""Fees for paid work (004 单据填写要求): the fee schedule, materials at cost plus a markup, and
the rule that several items done within 30 minutes are charged once, at the highest rate.

Money is Decimal throughout and travels as strings in event data; nothing here is a float.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from ..errors import ValidationError
from ..i18n import _
from .enums import Action
from .text import clean_text
from .ticket import TicketRecord

CENT = Decimal("0.01")
MONEY_MAX = Decimal("1000000")


class ItemKind(StrEnum):
    SERVICE = "service"  # labour: bundled by the 30-minute rule
    MATERIAL = "material"  # a part with a list price: charged per piece, never bundled


class LineKind(StrEnum):
    SERVICE = "service"
    MATERIAL = "material"  # a part on the schedule, at its list price
    OFF_LIST = "off_list"  # a part not on the schedule: purchase price plus the markup
    ASSESSED = "assessed"  # the team leader's fee for an out-of-scope job


@dataclass(frozen=True)
class FeeItem:
    """One line of 有偿服务项目及收费标准."""

    key: str
    name: str
    unit: str
    price: Decimal
    kind: ItemKind = ItemKind.SERVICE
    name_en: str = ""
    unit_en: str = ""

    def label(self, english: bool = False) -> str:
        return self.name_en if english and self.name_en else self.name

    def unit_label(self, english: bool = False) -> str:
        return self.unit_en if english and self.unit_en else self.unit


@dataclass(frozen=True)
class FeeSchedule:
    items: tuple[FeeItem, ...] = ()
    markup: Decimal = Decimal("0.30")
    step: Decimal = Decimal("0.1")
    bundle_minutes: int = 30

    def find(self, key_or_name: str) -> FeeItem | None:
        """An item by its key, or by its Chinese or English name."""
        wanted = clean_text(key_or_name).casefold()
        for item in self.items:
            if wanted in (item.key.casefold(), item.name.casefold(), item.name_en.casefold()):
                return item
        return None

    def require(self, key: str) -> FeeItem:
        item = self.find(key)
        if item is None or item.kind is not ItemKind.SERVICE:
            keys = ", ".join(i.key for i in self.items if i.kind is ItemKind.SERVICE)
            raise ValidationError(
                _("No paid service item {key}; the schedule has: {keys}.").format(
                    key=clean_text(key), keys=keys), "item")
        return item


@dataclass(frozen=True)
class ItemUse:
    """A service item done: which, how many units, and when (for the 30-minute rule)."""

    key: str
    qty: Decimal
    at: datetime


@dataclass(frozen=True)
class MaterialUse:
    """A part used: its name, the purchase (入库) price per unit and the quantity."""

    name: str
    purchase_price: Decimal
    qty: Decimal = Decimal(1)


@dataclass(frozen=True)
class ChargeLine:
    kind: LineKind
    key: str
    name: str
    unit: str
    qty: Decimal
    unit_price: Decimal
    amount: Decimal
    at: datetime | None = None
    purchase_price: Decimal | None = None
    included_in: str = ""  # the key of the item whose charge covers this one

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind.value, "key": self.key, "name": self.name, "unit": self.unit,
            "qty": str(self.qty), "unit_price": str(self.unit_price), "amount": str(self.amount),
        }
        if self.at is not None:
            data["at"] = self.at
        if self.purchase_price is not None:
            data["purchase_price"] = str(self.purchase_price)
        if self.included_in:
            data["included_in"] = self.included_in
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ChargeLine:
        at = data.get("at")
        if isinstance(at, str):
            at = datetime.fromisoformat(at)
        pp = data.get("purchase_price")
        return cls(kind=LineKind(data["kind"]), key=data.get("key", ""), name=data["name"],
                   unit=data.get("unit", ""), qty=Decimal(data["qty"]),
                   unit_price=Decimal(data["unit_price"]), amount=Decimal(data["amount"]),
                   at=at, purchase_price=Decimal(pp) if pp is not None else None,
                   included_in=data.get("included_in", ""))


@dataclass(frozen=True)
class Bill:
    """What the owner is charged for one job; `agreed` is the owner's agreement to the quote."""

    lines: tuple[ChargeLine, ...]
    agreed: bool = False

    @property
    def total(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), Decimal("0.00")).quantize(CENT)

    def to_data(self) -> dict[str, Any]:
        return {"lines": [ln.to_data() for ln in self.lines], "total": str(self.total),
                "agreed": self.agreed}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Bill:
        return cls(tuple(ChargeLine.from_data(d) for d in data.get("lines", [])),
                   bool(data.get("agreed", False)))


# ---------------------------------------------------------------- parsing typed values


def parse_money(raw: str | int | Decimal, field: str = "price") -> Decimal:
    """A non-negative amount of yuan with at most two decimals (fen)."""
    text = clean_text(str(raw)).replace("¥", "").replace("元", "").replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("{field}: not an amount of money: {value!r}").format(
            field=field, value=text), field) from None
    if not value.is_finite() or value < 0 or value >= MONEY_MAX:
        raise ValidationError(_("{field}: the amount must be between 0 and {max}.").format(
            field=field, max=MONEY_MAX), field)
    if value != value.quantize(CENT):
        raise ValidationError(_("{field}: at most two decimals (fen).").format(field=field), field)
    return value.quantize(CENT)


def parse_qty(raw: str | int | Decimal, field: str = "qty") -> Decimal:
    """A quantity greater than zero, at most two decimals (1.5 metres of pipe)."""
    try:
        value = Decimal(clean_text(str(raw)))
    except InvalidOperation:
        raise ValidationError(_("{field}: not a quantity: {value!r}").format(
            field=field, value=str(raw)), field) from None
    if not value.is_finite() or value <= 0 or value > 10000 or value != value.quantize(CENT):
        raise ValidationError(
            _("{field}: the quantity must be above 0, up to 10000, at most two decimals.").format(
                field=field), field)
    return value.normalize() if value == value.to_integral_value() else value


# ---------------------------------------------------------------- the rules


def off_list_price(purchase_price: Decimal, schedule: FeeSchedule) -> Decimal:
    """A part not on the schedule: purchase price plus the markup, rounded half up to the step
    (0.1 yuan, 精确到角)."""
    return (purchase_price * (1 + schedule.markup)).quantize(schedule.step, ROUND_HALF_UP)


def _service_lines(items: list[ItemUse], schedule: FeeSchedule) -> list[ChargeLine]:
    """The 30-minute rule: windows start at the first item not yet covered and last
    `bundle_minutes` (inclusive); in each window only the dearest line is charged, once."""
    lines = []
    for use in items:
        item = schedule.require(use.key)
        lines.append(ChargeLine(LineKind.SERVICE, item.key, item.name, item.unit, use.qty,
                                item.price, (item.price * use.qty).quantize(CENT), use.at))
    lines.sort(key=lambda ln: ln.at or datetime.min)
    window = timedelta(minutes=schedule.bundle_minutes)
    out: list[ChargeLine] = []
    i = 0
    while i < len(lines):
        start = lines[i].at
        j = i
        while j < len(lines) and start is not None and lines[j].at is not None \
                and lines[j].at - start <= window:
            j += 1
        group = lines[i:max(j, i + 1)]
        # dearest rate first; on a tie, the earliest stays charged
        top = max(range(len(group)), key=lambda k: (group[k].amount, group[k].unit_price, -k))
        for k, ln in enumerate(group):
            out.append(ln if k == top else replace(ln, amount=Decimal("0.00"),
                                                  included_in=group[top].key))
        i += len(group)
    return out


def make_bill(items: list[ItemUse], materials: list[MaterialUse], schedule: FeeSchedule,
              *, agreed: bool, assessed_fee: Decimal | None = None) -> Bill:
    """The bill for one job: service items under the 30-minute rule, parts at list price or
    at cost plus the markup, and the team leader's assessed fee if there is one."""
    lines = _service_lines(items, schedule)
    for m in materials:
        item = schedule.find(m.name)
        if item is not None and item.kind is ItemKind.MATERIAL:
            lines.append(ChargeLine(LineKind.MATERIAL, item.key, item.name, item.unit, m.qty,
                                    item.price, (item.price * m.qty).quantize(CENT),
                                    purchase_price=m.purchase_price))
        else:
            price = off_list_price(m.purchase_price, schedule)
            lines.append(ChargeLine(LineKind.OFF_LIST, "", clean_text(m.name), "", m.qty, price,
                                    (price * m.qty).quantize(CENT),
                                    purchase_price=m.purchase_price))
    if assessed_fee is not None and assessed_fee > 0:
        lines.append(ChargeLine(LineKind.ASSESSED, "", _("assessed fee"), "", Decimal(1),
                                assessed_fee, assessed_fee.quantize(CENT)))
    if not lines:
        raise ValidationError(_("Nothing to charge: give at least one item or material."), "item")
    return Bill(tuple(lines), agreed=agreed)


@dataclass(frozen=True)
class Assessment:
    """维修班长's fee/feasibility assessment of an out-of-scope job (000 十A, 003 5.3)."""

    fee: Decimal
    leader: str
    feasible: bool
    at: datetime


def latest_assessment(record: TicketRecord) -> Assessment | None:
    for event in reversed(record.events):
        if event.action is Action.ASSESS:
            return Assessment(Decimal(event.data["fee"]), event.data.get("leader", event.by),
                              bool(event.data.get("feasible", True)), event.at)
    return None


def latest_bill(record: TicketRecord) -> Bill | None:
    """The bill in force: the last CHARGE event (an earlier one was a correction)."""
    for event in reversed(record.events):
        if event.action is Action.CHARGE:
            return Bill.from_data(event.data)
    return None


def parse_schedule(raw: dict[str, Any]) -> FeeSchedule:
    """The [fees] table (data/fees.toml merged with the site's overrides). Errors name the key."""
    from ..errors import ConfigError

    def bad(key: str, problem: str) -> ConfigError:
        return ConfigError(_("Configuration key {key}: {problem}").format(
            key=f"fees.{key}", problem=problem))

    def money(value: Any, key: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise bad(key, _("expected an amount such as \"12.50\", got {value!r}").format(
                value=value))
        try:
            return parse_money(str(value), key)
        except ValidationError as exc:
            raise bad(key, str(exc)) from None

    if not isinstance(raw, dict):
        raise bad("items", _("expected a table of items"))
    markup = money(raw.get("material_markup", "0.30"), "material_markup")
    step = money(raw.get("material_rounding", "0.1"), "material_rounding")
    if step <= 0:
        raise bad("material_rounding", _("must be greater than zero"))
    minutes = raw.get("bundle_minutes", 30)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 0:
        raise bad("bundle_minutes", _("expected a whole number of minutes"))
    table = raw.get("items", {})
    if not isinstance(table, dict):
        raise bad("items", _("expected a table of items"))
    items = []
    for key, entry in table.items():
        where = f"items.{key}"
        if not isinstance(entry, dict):
            raise bad(where, _("expected a table with name, unit and price"))
        if entry.get("enabled", True) is False:
            continue
        for name in ("name", "unit"):
            if not isinstance(entry.get(name), str) or not entry[name].strip():
                raise bad(f"{where}.{name}", _("missing"))
        try:
            kind = ItemKind(entry.get("kind", "service"))
        except ValueError:
            raise bad(f"{where}.kind", _("use service or material")) from None
        items.append(FeeItem(key=key, name=entry["name"].strip(), unit=entry["unit"].strip(),
                             price=money(entry.get("price"), f"{where}.price"), kind=kind,
                             name_en=str(entry.get("name_en", "")),
                             unit_en=str(entry.get("unit_en", ""))))
    return FeeSchedule(tuple(items), markup=markup, step=step.normalize(), bundle_minutes=minutes)
