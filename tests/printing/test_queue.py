"""The print queue on a real SQLite file with the folder backend: copies, reprints, failures
and retries, cancelling, restarts, dispatch queueing the work order."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from repairdesk.errors import IllegalTransition, NotFound, ValidationError
from repairdesk.services import print_run
from repairdesk.services import printing as P
from repairdesk.services.tickets import dispatch_ticket, get_ticket, void_ticket

from .conftest import CLERK, add_roster, pdf_info, pdf_pages, register


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "out"


@pytest.fixture
def desk_folder(make_desk, folder: Path):
    desk = make_desk(f'[printing]\nfolder = "{folder}"\n')
    add_roster(desk)
    return desk


def history_notes(desk, no: str) -> list[str]:
    return [e.note for e in get_ticket(desk, no).events if e.data.get("print_job")]


def test_free_job_prints_two_labelled_copies_to_the_folder(desk_folder, folder: Path):
    no = register(desk_folder)
    job = P.queue_work_order(desk_folder, no, CLERK)
    assert job.state is P.JobState.QUEUED and job.copies == ("客服存根", "工程联")
    assert job.backend == "folder" and job.printer == str(folder) and job.reprint == 0
    done = P.run_job(desk_folder, job.id)
    assert done.state is P.JobState.DONE and done.attempts == 1 and done.error == ""
    path = Path(done.output)
    assert path.parent == folder and path.name == f"{no}-job{job.id}.pdf"
    assert pdf_info(path)["Pages"] == "2"
    pages = pdf_pages(path)
    assert "客服存根" in pages[0] and "工程联" in pages[1]
    assert all(no in p and "138****5678" in p for p in pages)
    assert "补打" not in "".join(pages)


def test_paid_job_gets_the_finance_copy(desk_folder):
    no = register(desk_folder, service_type="paid")
    job = P.run_job(desk_folder, P.queue_work_order(desk_folder, no, CLERK).id)
    assert job.copies == ("客服存根", "工程联", "财务联")
    assert pdf_info(Path(job.output))["Pages"] == "3"


def test_copies_are_configurable(make_desk, folder: Path):
    desk = make_desk(f'[printing]\nfolder = "{folder}"\ncopies_free = ["存根", "工程联", "业主联"]\n')
    no = register(desk)
    assert P.queue_work_order(desk, no, CLERK).copies == ("存根", "工程联", "业主联")
    assert P.queue_work_order(desk, no, CLERK, copies=1).copies == ("存根",)
    four = P.queue_work_order(desk, no, CLERK, copies=4).copies
    assert four[:3] == ("存根", "工程联", "业主联") and len(set(four)) == 4
    with pytest.raises(ValidationError):
        P.queue_work_order(desk, no, CLERK, copies=0)


def test_second_print_is_a_reprint_on_paper_and_in_the_history(desk_folder):
    no = register(desk_folder)
    first = P.run_job(desk_folder, P.queue_work_order(desk_folder, no, CLERK).id)
    second = P.run_job(desk_folder, P.queue_work_order(desk_folder, no, CLERK, fmt="text").id)
    third = P.run_job(desk_folder, P.queue_work_order(desk_folder, no, CLERK, fmt="text").id)
    assert (first.reprint, second.reprint, third.reprint) == (0, 1, 2)
    text = Path(third.output).read_bytes().decode("gb18030")
    from repairdesk.printing.work_order import reprint_mark

    assert reprint_mark(2) in text and reprint_mark(1) not in text
    assert reprint_mark(1) in Path(second.output).read_bytes().decode("gb18030")
    notes = history_notes(desk_folder, no)
    assert len(notes) == 3
    assert [e.data["reprint"] for e in get_ticket(desk_folder, no).events
            if e.data.get("print_job")] == [0, 1, 2]


def test_a_failed_first_print_does_not_make_the_next_a_reprint(desk_folder, folder: Path):
    no = register(desk_folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("not a folder")  # the backend cannot write there
    failed = P.run_job(desk_folder, P.queue_work_order(desk_folder, no, CLERK).id)
    assert failed.state is P.JobState.FAILED and str(folder) in failed.error
    P.cancel_job(desk_folder, failed.id, CLERK)
    folder.unlink()
    job = P.run_job(desk_folder, P.queue_work_order(desk_folder, no, CLERK).id)
    assert job.state is P.JobState.DONE and job.reprint == 0


def test_failure_keeps_the_job_with_its_error_and_retry_prints_it(desk_folder, folder: Path,
                                                                   make_desk):
    no = register(desk_folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("in the way")
    job = P.queue_work_order(desk_folder, no, CLERK)
    failed = P.run_job(desk_folder, job.id)  # never raises for a printer failure
    assert failed.state is P.JobState.FAILED and failed.error and failed.attempts == 1
    assert history_notes(desk_folder, no) == []
    # a restart loses nothing: a new desk on the same book sees the failed job
    again = make_desk(f'[printing]\nfolder = "{folder}"\n')
    listed = P.list_jobs(again)
    assert [(j.id, j.state, j.error) for j in listed] == [(job.id, P.JobState.FAILED,
                                                           failed.error)]
    folder.unlink()
    queued = P.retry_job(again, job.id, CLERK)
    assert queued.state is P.JobState.QUEUED and queued.error == ""
    done = P.run_job(again, job.id)
    assert done.state is P.JobState.DONE and done.attempts == 2
    assert Path(done.output).is_file() and len(history_notes(again, no)) == 1


def test_run_job_leaves_a_job_that_is_not_queued_alone(desk_folder):
    no = register(desk_folder)
    job = P.run_job(desk_folder, P.queue_work_order(desk_folder, no, CLERK).id)
    again = P.run_job(desk_folder, job.id)
    assert again.attempts == 1 and len(history_notes(desk_folder, no)) == 1


def test_cancel_keeps_the_job_and_run_pending_skips_it(desk_folder):
    no = register(desk_folder)
    a = P.queue_work_order(desk_folder, no, CLERK)
    b = P.queue_work_order(desk_folder, no, CLERK)
    from repairdesk.domain.enums import Role
    from repairdesk.services.staff import add_staff_unchecked

    add_staff_unchecked(desk_folder, "陈晓雯", Role.CLERK)  # `by` names someone on the roster
    cancelled = P.cancel_job(desk_folder, a.id, "陈晓雯")
    assert cancelled.state is P.JobState.CANCELLED
    ran = P.run_pending(desk_folder)
    assert [j.id for j in ran] == [b.id] and ran[0].state is P.JobState.DONE
    assert ran[0].reprint == 0  # the cancelled one never printed
    assert [j.id for j in P.list_jobs(desk_folder)] == [b.id, a.id]  # newest first
    with pytest.raises(IllegalTransition):
        P.cancel_job(desk_folder, b.id, CLERK)  # printed: nothing to cancel
    with pytest.raises(IllegalTransition):
        P.retry_job(desk_folder, b.id, CLERK)
    with pytest.raises(NotFound):
        P.cancel_job(desk_folder, 999, CLERK)
    with pytest.raises(ValidationError):
        P.cancel_job(desk_folder, a.id, " ")


def test_a_job_cut_off_while_printing_fails_after_a_while(desk_folder, clock):
    no = register(desk_folder)
    job = P.queue_work_order(desk_folder, no, CLERK)
    assert print_run._claim(desk_folder, job.id) is not None  # the desk stopped right here
    assert P.run_pending(desk_folder) == []
    assert P.get_job(desk_folder, job.id).state is P.JobState.PRINTING
    clock.advance(minutes=11)
    assert P.run_pending(desk_folder) == []
    stale = P.get_job(desk_folder, job.id)
    assert stale.state is P.JobState.FAILED and stale.error
    assert P.run_job(desk_folder, P.retry_job(desk_folder, job.id, CLERK).id).state \
        is P.JobState.DONE


def test_dispatch_queues_the_work_order(desk_folder, make_desk, folder: Path):
    no = register(desk_folder)
    dispatch_ticket(desk_folder, no, "张建国", CLERK)
    jobs = P.list_jobs(desk_folder)
    assert [(j.subject, j.state, j.requested_by) for j in jobs] == [
        (no, P.JobState.QUEUED, CLERK)]
    [done] = P.run_pending(desk_folder)
    assert "张建国" in "".join(pdf_pages(Path(done.output)))
    off = make_desk(f'[printing]\nfolder = "{folder}"\nauto_on_dispatch = false\n')
    other = register(off)
    dispatch_ticket(off, other, "张建国", CLERK)
    assert [j.subject for j in P.list_jobs(off)] == [no]


def test_voided_tickets_and_bad_options_are_refused(desk_folder):
    no = register(desk_folder)
    with pytest.raises(ValidationError):
        P.queue_work_order(desk_folder, no, CLERK, fmt="docx")
    with pytest.raises(ValidationError):
        P.queue_work_order(desk_folder, no, CLERK, printer="x", folder="/tmp")
    with pytest.raises(NotFound):
        P.queue_work_order(desk_folder, "BX-20991231-0001", CLERK)
    void_ticket(desk_folder, no, "重复登记", CLERK)
    with pytest.raises(IllegalTransition):
        P.queue_work_order(desk_folder, no, CLERK)
    assert P.list_jobs(desk_folder) == []


def test_preview_is_the_text_rendering(desk_folder):
    no = register(desk_folder, service_type="paid", content="阳台\x1b]0;x\x07漏水")
    text = P.preview_text(desk_folder, no)
    assert text.count("\f") == 3 and no in text and "138****5678" in text
    assert "\x1b" not in text and "阳台漏水" in text
    job = P.run_job(desk_folder, P.queue_work_order(desk_folder, no, CLERK, copies=1).id)
    from repairdesk.printing.work_order import reprint_mark

    assert reprint_mark(1) in P.preview_text(desk_folder, no)  # the next print is a reprint
    assert P.preview_text(desk_folder, no, job.id).count("\f") == 1


def test_status_and_change_marker(desk_folder, folder: Path):
    st = P.printer_status(desk_folder)
    assert st.ok and st.backend == "folder" and st.name == str(folder)
    before = P.change_marker(desk_folder)
    job = P.queue_work_order(desk_folder, register(desk_folder), CLERK)
    middle = P.change_marker(desk_folder)
    P.run_job(desk_folder, job.id)
    assert len({before, middle, P.change_marker(desk_folder)}) == 3


def test_status_of_an_unwritable_folder(make_desk, tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    desk = make_desk(f'[printing]\nfolder = "{blocker}/print"\n')
    assert not P.printer_status(desk).ok


def test_the_arrival_deadline_is_printed(desk_folder):
    no = register(desk_folder, urgency="normal", category="门窗")
    text = P.preview_text(desk_folder, no)
    from repairdesk.services.work_orders import arrive_by

    due = arrive_by(desk_folder, get_ticket(desk_folder, no))
    assert due is not None and due > get_ticket(desk_folder, no).intake.received_at
    assert due.astimezone(desk_folder.config.tz).strftime("%Y-%m-%d %H:%M") in text
    assert due - get_ticket(desk_folder, no).intake.received_at <= timedelta(hours=1)
