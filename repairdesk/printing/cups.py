"""The CUPS backend: `lp` to print, `lpstat` for the printer's state, `cancel` to withdraw.

A job is done when CUPS has finished it. If the printer is stopped (out of paper, jammed,
disabled by the administrator) before or while we wait, the job is withdrawn from CUPS and
fails with the printer's reason, so a retry prints it once, not twice. A job CUPS still holds
when the wait ends, on a printer that is not stopped, is left to CUPS (it prints when the
printer is reachable again) and counts as done.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass

from ..domain.text import clean_text
from ..i18n import N_, _
from .base import Document, PrinterStatus, PrintError

POLL_S = 0.25
TIMEOUT_S = 15


@dataclass(frozen=True)
class QueueState:
    exists: bool
    enabled: bool = False
    accepting: bool = False
    printing: bool = False
    reason: str = ""
    jobs: tuple[str, ...] = ()
    error: str = ""


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def _first_line(text: str) -> str:
    """The first non-empty line, cleaned: CUPS text goes on the screen and into the book."""
    return next((clean_text(ln) for ln in text.splitlines() if clean_text(ln)), "")


class CupsBackend:
    def __init__(self, printer: str, wait_seconds: float = 30.0) -> None:
        self.printer = printer
        self.name = printer
        self.wait_seconds = wait_seconds

    # ------------------------------------------------------------ commands

    def _run(self, args: list[str], data: bytes | None = None) -> Ran:
        # C locale: we read lpstat's words; CUPS's own error text is shown as it comes
        env = dict(os.environ, LC_ALL="C", LANG="C")
        try:
            proc = subprocess.run(args, input=data if data is not None else b"",
                                  capture_output=True, env=env, timeout=TIMEOUT_S, check=False)
        except FileNotFoundError:
            raise PrintError.kept(N_("The {command} command is missing: install the CUPS "
                                     "client (apt-get install cups-client cups-bsd)."),
                                  command=args[0]) from None
        except subprocess.TimeoutExpired:
            raise PrintError.kept(N_("CUPS did not answer within {s} s ({command})."),
                                  s=TIMEOUT_S, command=args[0]) from None
        return Ran(proc.returncode, proc.stdout.decode("utf-8", "replace"),
                   proc.stderr.decode("utf-8", "replace"))

    def queue_state(self) -> QueueState:
        """One lpstat call: the printer line, the accepting line and the jobs waiting."""
        p = self.printer
        proc = self._run(["lpstat", "-p", p, "-a", p, "-o", p])
        if proc.returncode != 0 and not proc.stdout.strip():
            return QueueState(False, error=_first_line(proc.stderr) or _("no answer from CUPS"))
        enabled = accepting = printing = False
        reason, jobs = "", []
        last = ""
        for line in proc.stdout.splitlines():
            if line.startswith("\t") or line.startswith(" "):
                if last in ("printer", "accept") and clean_text(line) and not reason:
                    reason = clean_text(line)
                continue
            if line.startswith(f"printer {p} "):
                last = "printer"
                enabled = " disabled " not in line
                printing = " now printing " in line
            elif line.startswith(f"{p} accepting") or line.startswith(f"{p} not accepting"):
                last = "accept"
                accepting = line.startswith(f"{p} accepting")
            elif re.match(rf"{re.escape(p)}-\d+\s", line):
                last = "job"
                jobs.append(line.split()[0])
        return QueueState(True, enabled, accepting, printing, reason, tuple(jobs))

    # ------------------------------------------------------------ backend

    def _refuse(self, state: QueueState) -> None:
        if not state.exists:
            raise PrintError.kept(N_("Printer {name} is not available: {error}"),
                                  name=self.printer, error=state.error)
        # kept in the book (stored_text.py): the reason is CUPS's own words, or none
        if not state.enabled and state.reason:
            raise PrintError.kept(N_("Printer {name} is stopped: {reason}"),
                                  name=self.printer, reason=state.reason)
        if not state.enabled:
            raise PrintError.kept(N_("Printer {name} is stopped (no reason given)."),
                                  name=self.printer)
        if not state.accepting and state.reason:
            raise PrintError.kept(N_("Printer {name} is not accepting jobs: {reason}"),
                                  name=self.printer, reason=state.reason)
        if not state.accepting:
            raise PrintError.kept(N_("Printer {name} is not accepting jobs (no reason given)."),
                                  name=self.printer)

    def send(self, doc: Document) -> str:
        self._refuse(self.queue_state())
        args = ["lp", "-d", self.printer, "-t", doc.name]
        if doc.raw:
            args += ["-o", "raw"]
        elif doc.media:
            args += ["-o", f"media={doc.media}"]
        proc = self._run(args + ["--", "-"], doc.data)
        found = re.search(r"request id is (\S+)", proc.stdout)
        if proc.returncode != 0 or not found:
            raise PrintError.kept(N_("Printer {name} refused the job: {error}"),
                                  name=self.printer,
                                  error=_first_line(proc.stderr) or _first_line(proc.stdout))
        request = found.group(1)
        return self._wait(request)

    def _wait(self, request: str) -> str:
        """Poll lpstat (bounded) until CUPS has finished `request` or the printer stops."""
        deadline = time.monotonic() + self.wait_seconds
        while True:
            state = self.queue_state()
            if state.exists and request not in state.jobs:
                return request
            if not state.exists or not state.enabled:
                self._run(["cancel", request])
                self._refuse(state)
            if time.monotonic() >= deadline:
                return _("{request} (still queued in CUPS)").format(request=request)
            time.sleep(POLL_S)

    def status(self) -> PrinterStatus:
        try:
            state = self.queue_state()
        except PrintError as exc:
            return PrinterStatus(self.printer, False, str(exc), "cups")
        if not state.exists:
            return PrinterStatus(self.printer, False, _("not available: {error}").format(
                error=state.error), "cups")
        if not state.enabled:
            text = _("stopped: {reason}").format(reason=state.reason or _("no reason given"))
        elif not state.accepting:
            text = _("not accepting jobs: {reason}").format(
                reason=state.reason or _("no reason given"))
        elif state.printing:
            text = _("printing")
        else:
            text = _("ready")
        if state.jobs:
            text += _(", {n} waiting").format(n=len(state.jobs))
        return PrinterStatus(self.printer, state.enabled and state.accepting, text, "cups")
