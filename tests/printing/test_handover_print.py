"""A signed handover record goes through the same print queue: PDF to the folder (text read
back), GB18030 text for a dot-matrix printer, a second print marked, and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from repairdesk.domain.handover import ReadBack, lines
from repairdesk.services import handover, printing, shifts, signing
from repairdesk.services import tickets as T

from .conftest import pdf_text

OUT, IN = "李静", "陈晓雯"


pytestmark = pytest.mark.usefixtures("fast_pins")


@pytest.fixture
def signed(make_desk, tmp_path: Path, clock):
    from repairdesk.domain.enums import Role
    from repairdesk.services.staff import add_staff_unchecked

    desk = make_desk(f'[printing]\nfolder = "{tmp_path / "out"}"\n')
    for name in (OUT, IN):
        add_staff_unchecked(desk, name, Role.CLERK, "13800000001")
    for name, pin in ((OUT, "11111111"), (IN, "22222222")):
        signing.set_pin_unchecked(desk, name, pin)
    shifts.sign_on(desk, OUT, "11111111")
    T.register_ticket(desk, T.IntakeForm(room="3-2-1501", caller="王先生",
                                         content="厨房水龙头滴水", category="水"), OUT)
    clock.advance(hours=7)
    # 7 h on, the call was never dispatched: a breach the outgoing clerk must explain
    c = handover.build_checklist(desk, abnormal="3号楼停水一小时",
                                 explanations={c.ticket_no: "业主改约明早"
                                               for c in handover.build_checklist(desk).open_items})
    answers = {ln.key: ReadBack(ln.key, True) for ln in lines(c)}
    rec = handover.complete_handover(desk, c, answers, OUT, "11111111", IN, "22222222")
    return desk, rec.id


def test_handover_prints_as_pdf_to_the_folder(signed, tmp_path: Path):
    desk, hid = signed
    job = printing.run_job(desk, printing.queue_handover(desk, hid, IN).id)
    assert job.state == "done", job.error
    text = pdf_text(Path(job.output), tmp_path)
    assert "BX-20261122-0001" in text and "3号楼停水一小时" in text
    assert OUT in text and IN in text
    again = printing.run_job(desk, printing.queue_handover(desk, hid, IN).id)
    assert again.reprint == 1


def test_handover_prints_as_gb18030_text(signed):
    desk, hid = signed
    job = printing.run_job(desk, printing.queue_handover(desk, hid, IN, fmt="text").id)
    assert job.state == "done", job.error
    data = Path(job.output).read_bytes()
    text = data.decode("gb18030")
    assert "BX-20261122-0001" in text and text.endswith("\f")
    assert "\x1b" not in text


def test_unknown_handover_is_refused(signed):
    from repairdesk.errors import NotFound

    desk, hid = signed
    with pytest.raises(NotFound):
        printing.queue_handover(desk, hid + 5, IN)
