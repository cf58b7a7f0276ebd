"""`repairdesk print …` through the real entry point, in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import arrived, pdf_info, pdf_pages


def setup(cli, **kw) -> str:
    from holding import hold_book

    assert cli("staff", "add", "张建国", "--role", "technician").code == 0
    hold_book(cli.db_path)  # 李静 holds the desk, as if signed on
    args = ["ticket", "add", "--room", "3-2-1501", "--caller", "王女士", "--content", "卫生间漏水",
            "--category", "水", "--phone", "13812345678", "--by", "李静"]
    if kw.get("paid"):
        args.append("--paid")
    r = cli(*args)
    assert r.code == 0, r.stderr
    return r.stdout.strip()


def test_print_to_a_folder_and_list_the_queue(cli, tmp_path: Path):
    no = setup(cli, paid=True)
    out = tmp_path / "orders"
    r = cli("print", no, "--out", str(out), "--by", "李静")
    assert r.code == 0, r.stderr
    job_id, subject, _state, where = r.stdout.strip().split("\t")
    assert subject == no and Path(where) == out / f"{no}-job{job_id}.pdf"
    assert pdf_info(Path(where))["Pages"] == "3"
    r = cli("print", "--copies", "1", "--format", "text", no, "--out", str(out), "--by", "李静")
    assert r.code == 0, r.stderr
    text_file = Path(r.stdout.strip().split("\t")[3])
    assert text_file.suffix == ".txt"
    text = text_file.read_bytes().decode("gb18030")
    assert text.count("\f") == 1 and no in text and "138****5678" in text
    jobs = json.loads(cli("print", "queue", "--json").stdout)
    assert [(j["subject"], j["state"], j["reprint"], len(j["copies"])) for j in jobs] == [
        (no, "done", 1, 1), (no, "done", 0, 3)]
    assert jobs[0]["requested_at"].endswith("+08:00") and jobs[0]["format"] == "text"
    listed = cli("print", "queue").stdout.strip().splitlines()
    assert len(listed) == 2 and listed[0].startswith(f"{jobs[0]['id']}\t{no}\t")
    shown = json.loads(cli("ticket", "show", no, "--json").stdout)
    assert sum(1 for e in shown["events"] if e["action"] == "note") == 2


def test_a_failed_print_exits_1_and_retry_prints_it(cli, tmp_path: Path):
    no = setup(cli)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    r = cli("print", no, "--out", str(blocker), "--by", "李静")
    assert r.code == 1 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "print retry" in r.stderr
    [job] = json.loads(cli("print", "queue", "--json").stdout)
    assert job["state"] == "failed" and str(blocker) in job["error"] and job["attempts"] == 1
    blocker.unlink()
    r = cli("print", "retry", str(job["id"]), "--by", "李静")
    assert r.code == 0, r.stderr
    assert Path(r.stdout.strip().split("\t")[3]).is_file()
    [again] = json.loads(cli("print", "queue", "--json").stdout)
    assert again["state"] == "done" and again["attempts"] == 2 and again["error"] == ""
    r = cli("print", "cancel", str(job["id"]), "--by", "李静")
    assert r.code == 1 and len(r.stderr.strip().splitlines()) == 1
    assert cli("print", "retry", "999", "--by", "李静").code == 1


def test_dispatch_prints_the_work_order_to_the_default_folder(cli):
    no = setup(cli)
    r = cli("ticket", "dispatch", no, "--to", "张建国", "--by", "李静")
    assert r.code == 0, r.stderr
    assert r.stdout.strip().split("\t")[0] == no  # the dispatch line, as before
    [job] = json.loads(cli("print", "queue", "--json").stdout)
    assert job["state"] == "done" and job["backend"] == "folder"
    pages = pdf_pages(Path(job["output"]))
    assert len(pages) == 2 and "张建国" in pages[1] and "工程联" in pages[1]
    st = cli("print", "status")
    assert st.code == 0 and job["printer"] in st.stdout


def test_cancel_preview_and_bad_input(cli, tmp_path: Path):
    no = setup(cli)
    site = tmp_path / "site.toml"
    site.write_text('[printing]\nauto_on_dispatch = false\nformat = "text"\n', encoding="utf-8")
    r = cli("--config", str(site), "ticket", "dispatch", no, "--to", "张建国", "--by", "李静")
    assert r.code == 0 and json.loads(cli("print", "queue", "--json").stdout) == []
    preview = cli("--config", str(site), "print", "preview", no)
    assert preview.code == 0 and no in preview.stdout and "\f" not in preview.stdout
    assert "张建国" in preview.stdout
    assert cli("print", no, "--format", "docx", "--by", "李静").code == 1
    assert cli("print", "BX-20991231-0001", "--by", "李静").code == 1
    bad = tmp_path / "bad.toml"
    bad.write_text('[printing]\npaper = "A9"\n', encoding="utf-8")
    r = cli("--config", str(bad), "print", "queue")
    assert r.code == 1 and "printing.paper" in r.stderr


def test_print_through_cups_from_the_command_line(cli, cups_printer: str):
    no = setup(cli)
    r = cli("print", no, "--printer", cups_printer, "--by", "李静")
    assert r.code == 0, r.stderr
    request = r.stdout.strip().split("\t")[3]
    pdf = arrived(request)
    pages = pdf_pages(pdf)
    assert len(pages) == 2 and all(no in p for p in pages)
    assert "客服存根" in pages[0] and "工程联" in pages[1]


def test_print_by_must_name_an_active_staff_member(cli, tmp_path: Path):
    """Issue 15: `--by` is checked against the roster like a ticket step's; nothing printed."""
    no = setup(cli)
    out = tmp_path / "orders"
    for by, said in (("Nobody At All", "No staff member named Nobody At All"),
                     ("张建国", "may not do this")):
        r = cli("print", no, "--out", str(out), "--by", by, lang="en")
        assert r.code == 1 and said in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    assert json.loads(cli("print", "queue", "--json").stdout) == []
    assert not out.exists() or not any(out.iterdir())
