"""Fee rules (004 单据填写要求): parts off the schedule at purchase price + 30% rounded half up
to 0.1 yuan; several items within 30 minutes charged once, at the highest rate; Decimal only."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from repairdesk.config import load_config
from repairdesk.domain.fees import (
    Bill, FeeItem, FeeSchedule, ItemKind, ItemUse, LineKind, MaterialUse, make_bill,
    off_list_price, parse_money, parse_qty, parse_schedule,
)
from repairdesk.errors import ConfigError, ValidationError

T = datetime(2026, 11, 22, 2, 0, tzinfo=timezone.utc)
D = Decimal

SCHEDULE = FeeSchedule((
    FeeItem("bulb", "更换灯泡", "个", D("5")),
    FeeItem("toilet", "疏通马桶", "次", D("50")),
    FeeItem("tap", "更换水龙头", "个", D("20")),
    FeeItem("led", "LED灯泡", "个", D("15"), ItemKind.MATERIAL, name_en="LED bulb"),
))


def use(key: str, qty: str = "1", minutes: int = 0) -> ItemUse:
    return ItemUse(key, D(qty), T + timedelta(minutes=minutes))


@pytest.mark.parametrize("purchase,price", [
    ("10", "13.0"),
    ("2.50", "3.3"),    # 3.25: half up, not half even (3.2)
    ("12.50", "16.3"),  # 16.25 -> 16.3
    ("7.77", "10.1"),   # 10.101
    ("3.85", "5.0"),    # 5.005 -> 5.0
    ("1.15", "1.5"),    # 1.495 -> 1.5
    ("0", "0.0"),
])
def test_off_list_part_is_purchase_price_plus_30_percent_to_the_jiao(purchase, price):
    got = off_list_price(D(purchase), SCHEDULE)
    assert got == D(price) and isinstance(got, Decimal)
    assert got.as_tuple().exponent == -1


def test_items_within_30_minutes_are_charged_once_at_the_highest_rate():
    bill = make_bill([use("bulb", "2"), use("toilet", minutes=10), use("tap", minutes=30)],
                     [], SCHEDULE, agreed=True)
    amounts = {ln.key: ln.amount for ln in bill.lines}
    assert amounts == {"bulb": D("0.00"), "toilet": D("50.00"), "tap": D("0.00")}
    assert {ln.key: ln.included_in for ln in bill.lines} == {
        "bulb": "toilet", "toilet": "", "tap": "toilet"}
    assert bill.total == D("50.00")


def test_an_item_after_the_window_is_charged_again_and_windows_do_not_slide():
    # windows are anchored at their first item: 0-30 one charge, 31 starts a new one,
    # and a chain of items every 20 minutes does not make one endless window
    bill = make_bill([use("bulb", minutes=0), use("tap", minutes=20), use("bulb", minutes=31),
                      use("bulb", minutes=50), use("toilet", minutes=62)], [], SCHEDULE,
                     agreed=True)
    charged = [(ln.key, ln.amount) for ln in bill.lines if ln.amount]
    assert charged == [("tap", D("20.00")), ("bulb", D("5.00")), ("toilet", D("50.00"))]
    assert bill.total == D("75.00")


def test_the_same_item_twice_in_the_window_is_not_charged_twice():
    bill = make_bill([use("toilet"), use("toilet", minutes=5)], [], SCHEDULE, agreed=True)
    assert [ln.amount for ln in bill.lines] == [D("50.00"), D("0.00")]


def test_quantity_counts_within_the_dearest_line():
    # 5 bulbs (25) outweigh one tap (20): the bill takes the larger charge, once
    bill = make_bill([use("bulb", "5"), use("tap")], [], SCHEDULE, agreed=True)
    assert bill.total == D("25.00")


def test_parts_on_the_schedule_use_the_list_price_and_are_never_bundled():
    bill = make_bill([use("bulb")], [MaterialUse("LED bulb", D("8"), D("2")),
                                     MaterialUse("灯座", D("12.50"))], SCHEDULE, agreed=True)
    by_name = {ln.name: ln for ln in bill.lines}
    assert by_name["LED灯泡"].kind is LineKind.MATERIAL
    assert by_name["LED灯泡"].amount == D("30.00")
    assert by_name["LED灯泡"].purchase_price == D("8")
    assert by_name["灯座"].kind is LineKind.OFF_LIST
    assert by_name["灯座"].unit_price == D("16.3")
    assert bill.total == D("5.00") + D("30.00") + D("16.30")


def test_assessed_fee_is_added_and_the_bill_survives_its_event_data():
    bill = make_bill([], [MaterialUse("螺丝", D("2.5"), D("10"))], SCHEDULE, agreed=True,
                     assessed_fee=D("80"))
    assert bill.total == D("113.00")
    again = Bill.from_data(bill.to_data())
    assert again == bill and again.total == D("113.00")
    assert bill.to_data()["total"] == "113.00"


def test_nothing_to_charge_and_unknown_items_are_refused():
    with pytest.raises(ValidationError):
        make_bill([], [], SCHEDULE, agreed=True)
    with pytest.raises(ValidationError) as err:
        make_bill([use("paint")], [], SCHEDULE, agreed=True)
    assert "bulb" in str(err.value)
    with pytest.raises(ValidationError):  # a part is not a service item
        make_bill([use("led")], [], SCHEDULE, agreed=True)


@pytest.mark.parametrize("raw,ok", [
    ("12.5", D("12.50")), ("¥1,200", D("1200.00")), ("8元", D("8.00")), ("0", D("0.00")),
    ("-1", None), ("1.005", None), ("abc", None), ("NaN", None), ("1e9", None),
])
def test_money_is_parsed_exactly(raw, ok):
    if ok is None:
        with pytest.raises(ValidationError):
            parse_money(raw)
    else:
        assert parse_money(raw) == ok


def test_quantities():
    assert parse_qty("2") == D("2") and parse_qty("1.5") == D("1.5")
    for bad in ("0", "-2", "x", "1.234", "20000"):
        with pytest.raises(ValidationError):
            parse_qty(bad)


def test_default_schedule_loads_with_decimal_prices():
    fees = load_config(None).fees
    assert fees.markup == D("0.30") and fees.step == D("0.1") and fees.bundle_minutes == 30
    assert fees.require("toilet").price == D("50")
    assert fees.find("LED灯泡").kind is ItemKind.MATERIAL
    assert all(isinstance(i.price, Decimal) for i in fees.items)


def test_site_overrides_the_schedule(tmp_path):
    f = tmp_path / "site.toml"
    f.write_text('[fees]\nmaterial_markup = "0.2"\n[fees.items.toilet]\nprice = "60"\n'
                 '[fees.items.bulb]\nenabled = false\n'
                 '[fees.items.aircon]\nname = "清洗空调"\nunit = "台"\nprice = 80\n',
                 encoding="utf-8")
    fees = load_config(f).fees
    assert fees.require("toilet").price == D("60")
    assert fees.require("toilet").name == "疏通马桶"  # untouched keys of the item stay
    assert fees.find("bulb") is None
    assert fees.require("aircon").price == D("80")
    assert off_list_price(D("10"), fees) == D("12.0")


@pytest.mark.parametrize("table,key", [
    ({"items": {"x": {"name": "a", "unit": "个", "price": "abc"}}}, "fees.items.x.price"),
    ({"items": {"x": {"name": "a", "unit": "个", "price": "-3"}}}, "fees.items.x.price"),
    ({"items": {"x": {"unit": "个", "price": "3"}}}, "fees.items.x.name"),
    ({"items": {"x": {"name": "a", "unit": "个", "price": "3", "kind": "labour"}}},
     "fees.items.x.kind"),
    ({"bundle_minutes": "30"}, "fees.bundle_minutes"),
    ({"material_markup": True}, "fees.material_markup"),
])
def test_bad_schedule_names_the_key(table, key):
    with pytest.raises(ConfigError) as err:
        parse_schedule(table)
    assert key in str(err.value)
