"""The two renderers on their own: PDF (fpdf2 + a system CJK font) and GB18030 text."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from needs import service_missing

from repairdesk.printing.fonts import FontMissing, find_cjk_font
from repairdesk.printing.settings import parse_printing
from repairdesk.printing.sheet import Sheet
from repairdesk.printing.text import (
    encode_for_printer, pad, render_text, text_width, wrap,
)

from .conftest import pdf_info, pdf_pages, pdf_text

NO = "BX-20261122-0007"


def sheet(**kw) -> Sheet:
    base = dict(
        heading="幸福家园物业服务中心", title="派工单", number_label="单号", number=NO,
        rows=(("来电时间", "2026-11-22 10:00"), ("房号/位置", "3-2-1501（入户）"),
              ("报修人", "王女士"), ("电话", "138****5678"), ("紧急程度", "紧急"),
              ("到场时限", "2026-11-22 10:15"), ("服务", "特约服务"), ("报价", "¥50.00"),
              ("业户自备配件", "否"), ("维修工", "张建国")),
        body_label="报修内容", body="厨房水槽下水管漏水，地面积水。\x1b[31m业主\x07下午在家",
        fill_in=("维修情况",), signatures=("接单人", "业主确认"), time_label="时间",
        mark="补打（第1次）", footer="打印于 2026-11-22 10:05，打印任务 7")
    base.update(kw)
    return Sheet(**base)


# ---------------------------------------------------------------- text


def test_text_columns_line_up_by_paper_width():
    text = render_text(sheet(), ("客服存根", "工程联"), 80)
    lines = [ln for ln in text.replace("\f", "").split("\n") if ln]
    assert max(text_width(ln) for ln in lines) == 80
    # the right-hand column of the two-per-line rows starts at the same column on paper
    starts = []
    for ln in lines:
        for label in ("房号/位置：", "电话：", "到场时限：", "报价：", "维修工："):
            if label in ln and not ln.startswith(label):
                starts.append(text_width(ln[:ln.index(label)]))
    assert len(starts) == 10 and set(starts) == {40}
    assert text_width(pad("派工单", 10)) == 10 and pad("派工单", 5) == "派工 "


def test_text_copies_form_feeds_and_gb18030():
    text = render_text(sheet(), ("客服存根", "工程联", "财务联"), 80)
    assert text.count("\f") == 3 and text.endswith("\f")
    pages = text.split("\f")[:-1]
    for page, name in zip(pages, ("客服存根", "工程联", "财务联")):
        assert f"【{name}】" in page.splitlines()[0] or f"【{name}】" in page.splitlines()[1]
        assert f"单号：{NO}" in page and "补打（第1次）" in page and "138****5678" in page
    data = encode_for_printer(text)
    assert data.decode("gb18030") == text.replace("\n", "\r\n")
    assert "派工单".encode("gb18030") not in data  # the title is spaced out: 派 工 单
    assert "派 工 单".encode("gb18030") in data
    assert "￥50.00".encode("gb18030") in data  # GBK's yen sign, which dot-matrix fonts have
    assert b"\x1b" not in data and b"\x07" not in data


@pytest.mark.parametrize("width", [40, 60, 132])
def test_text_width_is_configurable(width):
    text = render_text(sheet(body="长" * 300), ("客服存根",), width)
    assert max(text_width(ln) for ln in text.replace("\f", "").split("\n")) == width


def test_characters_a_dot_matrix_font_lacks_become_question_marks():
    text = render_text(sheet(body="水管漏了😀，急"), ("工程联",), 80)
    assert "水管漏了?，急" in text and "😀" not in text
    assert text.encode("gbk")  # every character is in GBK


def test_wrap_keeps_latin_words_and_splits_chinese_anywhere():
    assert wrap("水管 BX-20261122-0007 漏水", 12) == ["水管", "BX-20261122-", "0007 漏水"]
    assert wrap("一二三四五六", 4) == ["一二", "三四", "五六"]


# ---------------------------------------------------------------- PDF


@pytest.fixture(scope="module")
def font():
    return find_cjk_font()  # the system's, else the one that comes with the install


def render(font, s: Sheet, copies=("客服存根", "工程联", "财务联"), paper="A5") -> bytes:
    from repairdesk.printing.fonts import find_latin_font
    from repairdesk.printing.pdf import render_pdf

    return render_pdf(s, copies, parse_printing({"paper": paper}).paper, font,
                      created=datetime(2026, 11, 22, 2, 5, tzinfo=timezone.utc),
                      latin=find_latin_font())


def test_pdf_one_labelled_page_per_copy(font, tmp_path: Path):
    path = tmp_path / "wo.pdf"
    path.write_bytes(render(font, sheet()))
    info = pdf_info(path)
    assert info["Pages"] == "3"
    assert page_mm(info) == (148, 210)  # A5
    pages = pdf_pages(path)
    for page, name in zip(pages, ("客服存根", "工程联", "财务联")):
        for expected in (name, NO, "派工单", "3-2-1501", "王女士", "138****5678", "紧急",
                         "2026-11-22 10:15", "特约服务", "¥50.00", "张建国", "接单人", "业主确认",
                         "补打（第1次）", "厨房水槽下水管漏水"):
            assert expected in page, (name, expected)
    assert "13812345678" not in "".join(pages)


def test_pdf_strips_control_characters(font, tmp_path: Path):
    text = pdf_text(render(font, sheet(), ("工程联",)), tmp_path)
    assert "业主下午在家" in text.replace("\n", "")
    assert "\x1b" not in text and "[31m" not in text and "\x07" not in text


def page_mm(info: dict[str, str]) -> tuple[int, int]:
    w, h = (float(x) for x in info["Page size"].split(" pts")[0].split(" x "))
    return round(w / 72 * 25.4), round(h / 72 * 25.4)


def test_pdf_replaces_what_no_font_can_draw(font, tmp_path: Path, capfd):
    text = pdf_text(render(font, sheet(body="水管漏了\U0001FAE0，急"), ("工程联",)), tmp_path)
    assert "水管漏了?，急" in text.replace("\n", "")
    assert "missing" not in capfd.readouterr().err


@pytest.mark.parametrize("paper,mm", [("A4", (210, 297)), ("148x105", (148, 105))])
def test_pdf_paper_size_is_configurable(font, tmp_path: Path, paper, mm):
    path = tmp_path / "wo.pdf"
    path.write_bytes(render(font, sheet(), ("工程联",), paper=paper))
    info = pdf_info(path)
    assert page_mm(info) == mm and info["Pages"] == "1"
    assert "工程联" in pdf_pages(path)[0] and NO in pdf_pages(path)[0]


def test_pdf_long_content_still_one_page_per_copy(font, tmp_path: Path):
    path = tmp_path / "wo.pdf"
    path.write_bytes(render(font, sheet(body="墙面渗水发霉，" * 70), ("客服存根", "工程联")))
    assert pdf_info(path)["Pages"] == "2"
    assert "墙面渗水发霉" in pdf_pages(path)[1]


def test_pdf_qr_code_reads_back_as_the_ticket_number(font, tmp_path: Path):
    if shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None:
        service_missing("zbarimg/pdftoppm not installed (zbar-tools, poppler-utils)", "cups.sh")
    path = tmp_path / "wo.pdf"
    path.write_bytes(render(font, sheet(), ("工程联",)))
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(path), str(tmp_path / "page")],
                   check=True)
    out = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "page-1.png")],
                         capture_output=True, text=True, check=False).stdout
    assert out.strip() == NO


def test_a_machine_without_chinese_fonts_prints_with_the_bundled_one(tmp_path: Path):
    """No system font found: the Noto Sans SC that comes with the install sets the order."""
    from repairdesk.printing.fonts import bundled_font, has_chinese

    font = find_cjk_font(known=(), fontconfig=False)
    assert font == bundled_font()
    assert font.path.name == "NotoSansSC-Regular.otf" and has_chinese(str(font.path))


def test_configured_font_comes_first(tmp_path: Path):
    from repairdesk.printing.fonts import bundled_font

    own = bundled_font()
    assert own is not None
    copy = tmp_path / "site-font.otf"
    copy.write_bytes(own.path.read_bytes())
    assert find_cjk_font(str(copy)).path == copy


def test_missing_font_names_the_package_to_install(tmp_path: Path):
    with pytest.raises(FontMissing) as err:
        find_cjk_font(known=(), fontconfig=False, bundled=False)
    assert "fonts-noto-cjk" in str(err.value) and "fonts-wqy-zenhei" in str(err.value)
    with pytest.raises(FontMissing) as err:
        find_cjk_font(str(tmp_path / "nope.ttf"))
    assert "printing.font" in str(err.value)
    latin = next(Path("/usr/share/fonts").rglob("DejaVuSans.ttf"), None)
    if latin is not None:
        with pytest.raises(FontMissing):
            find_cjk_font(str(latin))


# ---------------------------------------------------------------- settings


@pytest.mark.parametrize("table,key", [
    ({"backend": "fax"}, "printing.backend"),
    ({"backend": "cups"}, "printing.printer"),
    ({"printer": "bad name!"}, "printing.printer"),
    ({"format": "docx"}, "printing.format"),
    ({"paper": "A9"}, "printing.paper"),
    ({"text_width": 20}, "printing.text_width"),
    ({"text_width": "80"}, "printing.text_width"),
    ({"copies_free": []}, "printing.copies_free"),
    ({"copies_paid": ["客服存根", "客服存根"]}, "printing.copies_paid"),
    ({"auto_on_dispatch": "yes"}, "printing.auto_on_dispatch"),
    ({"wait_seconds": 0}, "printing.wait_seconds"),
])
def test_bad_settings_name_the_key(table, key):
    from repairdesk.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        parse_printing(table)
    assert key in str(err.value)


def test_settings_defaults_and_auto_backend(tmp_path: Path):
    s = parse_printing({})
    assert s.backend.value == "folder" and s.format.value == "pdf"
    assert s.paper.name == "A5" and s.paper.cups_media == "A5" and s.text_width == 80
    assert s.copies_free == ("客服存根", "工程联")
    assert s.copies_paid == ("客服存根", "工程联", "财务联")
    assert s.auto_on_dispatch is True
    assert s.folder.parts[-2:] == ("repairdesk", "print")
    assert parse_printing({"printer": "front-desk"}).backend.value == "cups"
    assert parse_printing({"paper": "241x140"}).paper.cups_media == "Custom.241x140mm"


def test_a_bad_printing_key_stops_the_config_load(tmp_path: Path):
    from repairdesk.config import load_config
    from repairdesk.errors import ConfigError

    conf = tmp_path / "site.toml"
    conf.write_text('[printing]\nformat = "docx"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(conf)
    assert "printing.format" in str(err.value)


# ---------------------------------------------------------------- materials, evaluation (003)

EVAL = ("业主评价", "满意", "基本满意", "不满意", "业主签名")


def test_text_materials_lines_and_the_owners_evaluation():
    s = sheet(materials_label="维修材料（名称、规格型号、数量、单价）",
              materials=("角阀 DN15 x 2，每件 ¥18.00", "生料带 x 1，每件 ¥2.00"),
              materials_note="材料为业主(用户)提供", evaluation=EVAL)
    for width in (40, 80):
        text = render_text(s, ("工程联",), width)
        lines = text.replace("\f", "").split("\n")
        assert max(text_width(ln) for ln in lines) <= width
        assert any(ln.startswith("维修材料") for ln in lines)
        assert "  角阀 DN15 x 2，每件 ￥18.00" in lines and "  材料为业主(用户)提供" in lines
        assert any("□满意" in ln and "□基本满意" in ln and "□不满意" in ln for ln in lines)
        assert any(ln.startswith("业主签名：__") or "业主签名：__" in ln for ln in lines)
    # nothing recorded yet: two ruled lines for the technician
    text = render_text(sheet(materials_label="维修材料", evaluation=EVAL), ("工程联",), 80)
    lines = text.split("\n")
    at = lines.index("维修材料：")
    assert lines[at + 1] == lines[at + 2] == "  " + "_" * 76
    text.encode("gbk")  # □ is a GBK character: the dot-matrix font has it


def test_pdf_has_materials_and_the_evaluation_line(font, tmp_path: Path):
    s = sheet(materials_label="维修材料", materials=("角阀 DN15 x 2，每件 ¥18.00",),
              evaluation=EVAL, body="长" * 400)
    path = tmp_path / "wo.pdf"
    path.write_bytes(render(font, s, ("客服存根", "工程联")))
    assert pdf_info(path)["Pages"] == "2"  # still one page per copy, with a long content
    for page in pdf_pages(path):
        flat = page.replace(" ", "")
        for expected in ("维修材料", "角阀DN15x2", "业主评价", "满意", "基本满意", "不满意",
                         "业主签名", "接单人"):
            assert expected in flat, expected


def test_work_order_sheet_processing_time_vacant_and_parts():
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from repairdesk import fmt
    from repairdesk.domain.enums import Action
    from repairdesk.domain.ticket import Event, Intake, TicketRecord, fold
    from repairdesk.i18n import _
    from repairdesk.printing.work_order import work_order_sheet

    tz = ZoneInfo("Asia/Shanghai")
    t0 = datetime(2026, 11, 22, 2, 0, tzinfo=timezone.utc)

    def ev(action, minutes, **data):
        return Event(at=t0 + timedelta(minutes=minutes), action=action, by="李静", data=data)

    events = [ev(Action.REGISTER, 0, intake={"vacant": True}),
              ev(Action.DISPATCH, 2, technician="张建国"), ev(Action.ARRIVE, 15)]
    intake = Intake(received_at=t0, room="5-1-0802", caller="王先生", content="水管滴水",
                    owner_parts=True)

    def sheet_of(evs):
        r = TicketRecord("BX-1", intake, fold(evs), tuple(evs), t0, "李静")
        return work_order_sheet(r, site_name="幸福家园", tz=tz, arrive_by=None, fee=None,
                                reprint=0, printed_at=t0, job_id=None)

    s = sheet_of(events)
    rows = dict(s.rows)
    assert rows[_("Processing time")] == _("{start} to {end}").format(start="____", end="____")
    assert _("(vacant unit: verified before closing)") in rows[_("Room/place")]
    assert s.materials == () and s.materials_note == _("Materials supplied by the owner")
    assert s.evaluation[-1] == _("Owner's signature")
    done = events + [ev(Action.COMPLETE, 80, result="换阀门"),
                     ev(Action.MATERIALS, 81, materials=[
                         {"name": "角阀", "qty": "2", "purchase_price": "18.00"}])]
    s = sheet_of(done)
    assert dict(s.rows)[_("Processing time")] == _("{start} to {end} ({took})").format(
        start="11-22 10:15", end="11:20", took=fmt.countdown(65 * 60))
    assert s.materials == (_("{name} x {qty}, {price} each").format(
        name="角阀", qty="2", price=fmt.money("18.00")),)
