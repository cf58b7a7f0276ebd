"""Printing through a real CUPS scheduler: the CUPS-PDF queue `repairdesk-test` writes what
it printed to /var/spool/cups-pdf-repairdesk (.ci/setup.d/cups.sh sets it up), and a raw
queue sends a dot-matrix job to a socket on 127.0.0.1 the test listens on (AppSocket, as a
network printer on port 9100 would)."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
import pytest
from needs import service_missing

from repairdesk.services import printing as P
from repairdesk.services.tickets import dispatch_ticket, get_ticket

from .conftest import CLERK, add_roster, arrived, pdf_info, pdf_pages, register

RAW_PRINTER = "repairdesk-test-raw"


@pytest.fixture
def cups_desk(make_desk, cups_printer: str):
    desk = make_desk(f'[printing]\nprinter = "{cups_printer}"\nwait_seconds = 60\n')
    add_roster(desk)
    return desk


def cups(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=30, check=False)


def pending(printer: str) -> str:
    return cups("lpstat", "-W", "not-completed", "-o", printer).stdout


def test_dispatch_prints_labelled_copies_through_cups(cups_desk, cups_printer: str):
    no = register(cups_desk, service_type="paid")
    dispatch_ticket(cups_desk, no, "张建国", CLERK)
    [job] = P.run_pending(cups_desk)
    assert job.state is P.JobState.DONE, job.error
    assert job.backend == "cups" and job.output.startswith(f"{cups_printer}-")
    pdf = arrived(job.output)
    info = pdf_info(pdf)
    assert info["Pages"] == "3"
    assert "(A5)" in info["Page size"]  # -o media=A5, as the printer's PPD knows it
    pages = pdf_pages(pdf)
    for page, name in zip(pages, ("客服存根", "工程联", "财务联")):
        assert name in page and no in page and "张建国" in page and "138****5678" in page
    assert "13812345678" not in "".join(pages)
    assert any(e.data.get("print_job") == job.id for e in get_ticket(cups_desk, no).events)


def test_stopped_printer_fails_the_job_and_retry_prints_it(cups_desk, cups_printer: str,
                                                           make_desk):
    no = register(cups_desk)
    cups("cupsdisable", "-r", "缺纸 out of paper", cups_printer)
    status = P.printer_status(cups_desk)
    assert not status.ok and "out of paper" in status.text
    job = P.queue_work_order(cups_desk, no, CLERK)
    failed = P.run_job(cups_desk, job.id)
    assert failed.state is P.JobState.FAILED
    assert cups_printer in failed.error and "out of paper" in failed.error
    assert pending(cups_printer) == ""  # nothing left behind in CUPS to print twice later
    # still in our queue, with its error, after a restart
    again = make_desk(f'[printing]\nprinter = "{cups_printer}"\nwait_seconds = 60\n')
    [kept] = P.list_jobs(again)
    assert (kept.id, kept.state, kept.error) == (job.id, P.JobState.FAILED, failed.error)
    cups("cupsenable", cups_printer)
    assert P.printer_status(again).ok
    P.retry_job(again, job.id, CLERK)
    done = P.run_job(again, job.id)
    assert done.state is P.JobState.DONE and done.attempts == 2 and done.error == ""
    pages = pdf_pages(arrived(done.output))
    assert len(pages) == 2 and no in pages[0] and "客服存根" in pages[0] and "工程联" in pages[1]


def test_rejecting_and_unknown_printers_fail_with_the_reason(cups_desk, cups_printer: str):
    no = register(cups_desk)
    cups("cupsreject", "-r", "maintenance", cups_printer)
    try:
        failed = P.run_job(cups_desk, P.queue_work_order(cups_desk, no, CLERK).id)
    finally:
        cups("cupsaccept", cups_printer)
    assert failed.state is P.JobState.FAILED and "maintenance" in failed.error
    other = P.run_job(cups_desk, P.queue_work_order(cups_desk, no, CLERK,
                                                    printer="no-such-printer").id)
    assert other.state is P.JobState.FAILED and "no-such-printer" in other.error
    assert P.printer_status(cups_desk).ok  # the configured one takes jobs again


class Listener:
    """A one-job AppSocket 'printer' on 127.0.0.1: it keeps what it is sent."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(60)
        self.port = self.sock.getsockname()[1]
        self.data = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _addr = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(30)
            chunks = []
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            self.data = b"".join(chunks)

    def close(self) -> None:
        self.sock.close()
        self.thread.join(timeout=30)


@pytest.fixture
def raw_printer(cups_session: str):
    listener = Listener()
    made = cups("lpadmin", "-p", RAW_PRINTER, "-E", "-v", f"socket://127.0.0.1:{listener.port}")
    if made.returncode != 0:
        listener.close()
        service_missing(f"cannot add a raw CUPS queue here: {made.stderr.strip()}", "cups.sh")
    try:
        yield listener
    finally:
        cups("cancel", "-a", RAW_PRINTER)
        cups("lpadmin", "-x", RAW_PRINTER)
        listener.close()


def test_text_format_goes_raw_in_gb18030(make_desk, raw_printer: Listener):
    desk = make_desk(f'[printing]\nprinter = "{RAW_PRINTER}"\nformat = "text"\n'
                     'text_width = 96\nwait_seconds = 60\n')
    no = register(desk, service_type="paid")
    job = P.run_job(desk, P.queue_work_order(desk, no, CLERK).id)
    assert job.state is P.JobState.DONE, job.error
    raw_printer.thread.join(timeout=30)
    text = raw_printer.data.decode("gb18030")
    assert text.count("\f") == 3 and "\r\n" in text
    pages = text.split("\f")[:-1]
    for page, name in zip(pages, ("客服存根", "工程联", "财务联")):
        assert f"【{name}】" in page and no in page and "138****5678" in page
        assert max(len(ln.encode("gb18030")) for ln in page.split("\r\n")) == 96
    assert text.replace("\r\n", "\n") == P.preview_text(desk, no, job.id)


def test_printer_stopping_while_the_job_waits_withdraws_it(make_desk, cups_session: str):
    """A printer CUPS cannot reach keeps the job pending; if it is stopped meanwhile, the
    job is withdrawn from CUPS and fails, so that a retry prints it once."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: CUPS keeps trying to connect
    made = cups("lpadmin", "-p", RAW_PRINTER, "-E", "-v", f"socket://127.0.0.1:{port}")
    if made.returncode != 0:
        service_missing(f"cannot add a raw CUPS queue here: {made.stderr.strip()}", "cups.sh")
    try:
        desk = make_desk(f'[printing]\nprinter = "{RAW_PRINTER}"\nformat = "text"\n'
                         'wait_seconds = 60\n')
        no = register(desk)
        job = P.queue_work_order(desk, no, CLERK)
        result: list[P.JobView] = []
        worker = threading.Thread(target=lambda: result.append(P.run_job(desk, job.id)))
        worker.start()
        deadline = time.monotonic() + 30
        while RAW_PRINTER not in pending(RAW_PRINTER) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert RAW_PRINTER in pending(RAW_PRINTER)
        cups("cupsdisable", "-r", "jammed", RAW_PRINTER)
        worker.join(timeout=60)
        assert result and result[0].state is P.JobState.FAILED
        # the reason is CUPS's printer-state-message, which the socket backend may overwrite
        assert RAW_PRINTER in result[0].error
        assert pending(RAW_PRINTER) == ""
    finally:
        cups("cancel", "-a", RAW_PRINTER)
        cups("lpadmin", "-x", RAW_PRINTER)


