"""A desk PC with no Chinese font at all (no Debian font package, no fontconfig match, not
Windows or macOS): the font that comes with the install prints the work orders, so the demo's
print queue is green and a PDF carries Noto Sans SC."""

from __future__ import annotations

from pathlib import Path

import pytest

from repairdesk.printing import fonts


@pytest.fixture
def no_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "KNOWN_FONTS", ())
    monkeypatch.setattr(fonts, "OTHER_OS_FONTS", ())
    monkeypatch.setattr(fonts, "_fontconfig", lambda: None)


def test_the_demo_prints_with_the_bundled_font(no_system_fonts, clock, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch):
    from pypdf import PdfReader

    from repairdesk.config import load_config
    from repairdesk.services import printing
    from repairdesk.services.demo import build_demo
    from repairdesk.services.desk import open_desk

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the folder printer's home
    result = build_demo(tmp_path / "demo.sqlite3", load_config(None), clock)
    desk = open_desk(str(result.path), clock=clock, config=load_config(None))
    try:
        jobs = printing.list_jobs(desk)
    finally:
        desk.close()
    assert jobs, "the demo prints work orders"
    assert {job.state for job in jobs} == {printing.JobState.DONE}, [j.error for j in jobs]
    pdfs = [Path(job.output) for job in jobs if getattr(job, "output", "")]
    files = pdfs or sorted((tmp_path / "data").rglob("*.pdf"))
    assert files, "the folder printer received the PDFs"
    embedded = {str(font.get("/BaseFont")) for page in PdfReader(files[0]).pages
                for font in (page["/Resources"]["/Font"].get_object().values())}
    assert any("NotoSansSC" in name for name in embedded), embedded
