"""`repairdesk report month|day` and `ticket charge|assess|chase`, run as the clerk runs them:
the real entry point in a subprocess on a month worked out by hand (tests/reportdata.py)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from decimal import Decimal

import pytest

from repairdesk.i18n import _

import reportdata as data  # tests/reportdata.py


@pytest.fixture
def month(staffed, clock):
    nos = data.build(staffed, clock)
    data.chase(staffed, nos)
    return nos


def _rows(ws) -> list[tuple]:
    """The sheet's rows without the empty cells that pad them to the widest row."""
    out = []
    for row in ws.iter_rows(values_only=True):
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        out.append(tuple(cells))
    return out


def test_month_xlsx_reads_back(month, cli, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "m.xlsx"
    r = cli("report", "month", "2026-11", "--format", "xlsx", "--out", str(target))
    assert r.code == 0, r.stderr
    assert r.stdout.strip() == str(target)
    wb = load_workbook(target)
    assert wb.sheetnames == [_("Monthly table"), _("Ticket list")]
    table, tickets = wb[wb.sheetnames[0]], wb[wb.sheetnames[1]]
    rows = _rows(table)
    assert rows[0][0] == _("Monthly repair statistics")
    assert rows[1] == (_("Item"), _("Value"), _("Target"))
    values = {row[0]: row[1] for row in rows if len(row) > 1}
    assert values[_("Tickets in total")] == 6  # the voided one is listed apart
    assert values[_("First ticket number")] == "BX-20261101-0001"
    assert values[_("Missing numbers")] == "BX-20261110-0002"
    assert Decimal(str(values[_("Fees charged")])) == Decimal("209.30")
    assert values[_("Rework rate")] == pytest.approx(0.25)
    fee_row = next(i for i, row in enumerate(rows, start=1) if row[0] == _("Fees charged"))
    assert "¥" in table.cell(fee_row, 2).number_format
    assert table.column_dimensions["A"].width >= 28
    # the ticket list: Chinese content, one row per ticket, local times, fees as numbers
    head, *body = _rows(tickets)
    assert head[0] == _("Ticket number") and head[-1] == _("Content")
    assert [r[0] for r in body] == sorted(n for k, n in month.items() if k != "O")
    by_no = {r[0]: r for r in body}
    assert by_no[month["B"]][1] == datetime(2026, 11, 3, 9, 0)
    assert by_no[month["B"]][-1] == "卫生间灯不亮，马桶堵塞"
    assert Decimal(str(by_no[month["B"]][9])) == Decimal("96.30")
    assert by_no[month["A"]][9] is None
    assert tickets.column_dimensions["K"].width >= 50
    assert tickets.freeze_panes == "B2"


def test_month_pdf_text_and_charts(month, cli, tmp_path):
    from pdftext import pdf_text
    from pypdf import PdfReader

    target = tmp_path / "m.pdf"
    r = cli("report", "month", "2026-11", "-f", "pdf", "-o", str(target))
    assert r.code == 0, r.stderr
    text = pdf_text(target)
    for expected in ("幸福家园物业服务中心", "2026-11", "BX-20261101-0001", "BX-20261122-0002",
                     "BX-20261110-0002", "¥209.30", "重复登记", "张建国", "王师傅", "螺丝",
                     _("On-time rate per clock"), _("Tickets per day"),
                     _("On-time rate per day"), _("Top categories")):
        assert expected in text, expected
    pages = PdfReader(target).pages
    assert sum(len(page.images) for page in pages) == 3  # the three charts, as images


def test_month_csv_and_table(month, cli):
    r = cli("report", "month", "2026-11", "--format", "csv")
    assert r.code == 0, r.stderr
    assert r.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    values = {row[0]: row[1:] for row in rows if len(row) > 1}
    assert values[_("Tickets in total")][0] == "6"
    assert values[_("Fees charged")][0] == "209.30"
    assert values[_("Callback rate")][0] == "80.0%"
    assert values[_("Average minutes to complete")][0] == "67.5"
    r = cli("report", "month", "2026-11")
    assert r.code == 0, r.stderr
    for expected in ("BX-20261101-0001", "209.30", "25.0%", "80.0%", "水", "王师傅"):
        assert expected in r.stdout, expected


def test_day_report(month, cli):
    r = cli("report", "day", "2026-11-22")
    assert r.code == 0, r.stderr
    assert month["E"] in r.stdout and month["D"] in r.stdout
    assert "业主下午才在家" in r.stdout
    assert month["A"] not in r.stdout
    r = cli("report", "day", "2026-11-22", "-f", "csv")
    rows = list(csv.reader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert any(row[:1] == [month["E"]] and row[1] == "2026-11-22 09:30" for row in rows)


def test_bad_input_is_one_line(month, cli):
    for args in (("report", "month", "2026-13"), ("report", "month", "2026-11", "-f", "doc"),
                 ("report", "day", "yesterday-ish")):
        r = cli(*args)
        assert r.code == 1, args
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_charge_assess_and_chase_commands(month, cli, staffed):
    from repairdesk.services import fees, tickets as T

    no = month["D"]
    r = cli("ticket", "charge", no, "--material", "螺丝=2.5x4", "--by", data.CLERK)
    assert r.code == 1 and "--agreed" in r.stderr
    r = cli("ticket", "charge", no, "--material", "螺丝=2.5x4", "--quote")
    assert r.code == 0 and "¥93.20" in r.stdout
    r = cli("ticket", "charge", no, "--material", "螺丝=2.5x4", "--agreed", "--by", data.CLERK)
    assert r.code == 0, r.stderr
    assert "¥93.20" in r.stdout and "¥3.30" in r.stdout
    shown = json.loads(cli("ticket", "show", no, "--json").stdout)
    assert shown["charges"]["total"] == "93.20" and shown["charges"]["agreed"] is True
    assert shown["assessment"] == {"fee": "80.00", "leader": "周班长", "feasible": True}
    r = cli("ticket", "charge", month["B"], "--item", "toilet", "--agreed")
    assert r.code == 1 and len(r.stderr.strip().splitlines()) == 1  # closed: no new charge
    r = cli("ticket", "add", "--room", "6-1-0101", "--caller", "钱", "--content", "拆除隔墙",
            "--category", "土建", "--assess", "--by", data.CLERK)
    new = r.stdout.strip()
    r = cli("ticket", "assess", new, "--fee", "120", "--by", "周班长")
    assert r.code == 0, r.stderr
    r = cli("ticket", "chase", new, "--reason", "等待业主确认", "--expect", "2099-01-01 10:00",
            "--by", data.CLERK)
    assert r.code == 0, r.stderr
    record = T.get_ticket(staffed, new)
    assessment = fees.latest_assessment(record)
    assert assessment and assessment.fee == Decimal("120") and assessment.leader == "周班长"
    assert record.events[-1].data["chase_reason"] == "等待业主确认"
    r = cli("fees")
    assert r.code == 0 and "toilet" in r.stdout and "¥50.00" in r.stdout


def test_progress_bar_waits_a_second():
    from repairdesk.cli.report import _Bar

    bar = _Bar()
    bar("stage", 1, 10)
    assert bar.progress is None  # quick work shows nothing
    bar.started -= 2
    bar("stage", 2, 10)
    assert bar.progress is not None
    bar.close()


def test_pdf_draws_what_the_fonts_cannot_as_a_question_mark(tmp_path):
    from pdftext import pdf_text

    from repairdesk.printing.fonts import find_cjk_font, find_latin_font
    from repairdesk.reports.pdf import render_report
    from repairdesk.reports.sections import Money, Section

    font = find_cjk_font()
    section = Section("材料", ("名称", "金额"), (("水龙头\U0001fae0", Money(Decimal("12.5"))),))
    pdf = render_report("月报", "幸福家园", [section], data.TZ, font, latin=find_latin_font())
    target = tmp_path / "r.pdf"
    target.write_bytes(pdf)
    text = pdf_text(target)
    assert "水龙头?" in text and "¥12.50" in text


def test_month_json_for_scripts(month, cli):
    """Issue 14: `report month --json` carries the table's figures with machine keys."""
    r = cli("report", "month", "2026-11", "--json")
    assert r.code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["month"] == "2026-11"
    assert doc["totals"]["tickets"] == data.EXPECTED["total"]
    assert doc["totals"]["voided"] == 1 and len(doc["voided"]) == 1
    assert doc["voided"][0]["reason"] == "重复登记"
    assert doc["totals"]["completions"] == 5 and doc["totals"]["called_back"] == 4
    assert doc["callback_rate"] == {"hit": 4, "total": 5, "rate": 0.8}
    assert doc["rework_rate"]["rate"] == 0.25
    # the subprocess reads the real clock: D's and E's completion (due 11-22 24:00) may be
    # pending or missed by now; every other figure is decided already
    clocks = {k: (v["met"], v["missed"] + v["pending"]) for k, v in doc["clocks"].items()}
    want = {k: (m, x + data.EXPECTED["pending"][k])
            for k, (m, x) in data.EXPECTED["clocks"].items()}
    assert clocks == want
    assert doc["clocks"]["dispatch"]["rate"] == pytest.approx(4 / 6, abs=1e-6)
    assert doc["totals"]["fee_total"] == "209.30"
