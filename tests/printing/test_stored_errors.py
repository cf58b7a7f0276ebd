"""A print job's error is kept in the book as a message id with its parameters and shown in
the language of whoever reads it (issue 17); errors written before, as plain text, are shown
as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from repairdesk import i18n
from repairdesk.services import printing as P
from repairdesk.store.tables import PrintJob
from repairdesk.stored_text import StoredMessage, load, render

from .conftest import CLERK, add_roster, register


@pytest.fixture
def desk_folder(make_desk, tmp_path: Path):
    folder = tmp_path / "out"
    desk = make_desk(f'[printing]\nfolder = "{folder}"\n')
    add_roster(desk)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("in the way")  # the folder backend cannot write there
    return desk, folder


def _stored_error(desk, job_id: int) -> str:
    with desk.store.read() as session:
        return session.exec(select(PrintJob).where(PrintJob.id == job_id)).one().error


def test_an_error_written_in_english_reads_in_chinese(desk_folder):
    desk, folder = desk_folder
    no = register(desk)
    i18n.set_language("en")
    try:
        failed = P.run_job(desk, P.queue_work_order(desk, no, CLERK).id)
        assert failed.error.startswith("Cannot write the work order to")
    finally:
        i18n.set_language("zh_CN")
    stored = load(_stored_error(desk, failed.id))
    assert stored is not None and stored.msgid == "Cannot write the work order to {path}: {error}"
    assert stored.params["path"].startswith(str(folder))
    # the next reader, in Chinese: the same job, in their language
    (job,) = [j for j in P.list_jobs(desk) if j.id == failed.id]
    assert job.error == i18n._("Cannot write the work order to {path}: {error}").format(
        **stored.params)
    assert job.error != failed.error


def test_an_interrupted_job_is_kept_as_a_message_too(desk_folder):
    desk, _folder = desk_folder
    stored = load(_stored_error_after_interrupt(desk))
    assert stored is not None
    assert stored.msgid == "Interrupted while printing; check the printer, then retry."


def _stored_error_after_interrupt(desk) -> str:
    from datetime import timedelta

    no = register(desk)
    job = P.queue_work_order(desk, no, CLERK)
    with desk.store.write() as session:
        row = session.exec(select(PrintJob).where(PrintJob.id == job.id)).one()
        row.state = "printing"
        row.updated_at = desk.now() - timedelta(hours=1)
        session.add(row)
    P.recover_interrupted(desk)
    return _stored_error(desk, job.id)


def test_old_rows_with_plain_text_read_as_written(desk_folder):
    desk, _folder = desk_folder
    no = register(desk)
    job = P.queue_work_order(desk, no, CLERK)
    with desk.store.write() as session:  # as a desk before this change wrote it
        row = session.exec(select(PrintJob).where(PrintJob.id == job.id)).one()
        row.state, row.error = "failed", "打印机 repairdesk-test 已停用：缺纸"
        session.add(row)
    (view,) = [j for j in P.list_jobs(desk) if j.id == job.id]
    assert view.error == "打印机 repairdesk-test 已停用：缺纸"


def test_render_keeps_text_that_only_looks_like_a_message():
    assert render("plain words") == "plain words"
    assert render('{"msgid": broken') == '{"msgid": broken'
    kept = StoredMessage("No print job {id}.", {"id": "7"})
    assert load(kept.dump()) == kept
    assert render(kept.dump()) == i18n._("No print job {id}.").format(id="7")
