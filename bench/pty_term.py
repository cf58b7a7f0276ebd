"""A minimal terminal for timing a Textual app as a person sees it: the app runs under a
pseudo-terminal, keys are bytes written to it, and a frame is the bytes the app writes back.

Textual brackets every frame in "synchronized output" (ESC[?2026h … ESC[?2026l) once the
terminal says it supports that mode, so we answer its query (ESC[?2026$p) the way a modern
terminal does. A frame is then complete when its ESC[?2026l arrives: that instant is what
start-up and key-press figures are timed to. Clocks: time.perf_counter (CLOCK_MONOTONIC).
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"  # "supported, currently off"
FRAME_START = b"\x1b[?2026h"
FRAME_END = b"\x1b[?2026l"
KEYS = {"down": b"\x1b[B", "up": b"\x1b[A", "ctrl+q": b"\x11", "escape": b"\x1b",
        "enter": b"\r"}


def _controlling_tty() -> None:
    """In the child, after setsid: make its stdin (the pty) the session's controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@dataclass
class Frame:
    end: float  # perf_counter when the frame's last byte arrived
    data: bytes
    start: float = 0.0  # ... and when its first byte did


@dataclass
class Term:
    """One app under a pty of `cols` x `rows`; `frames` in arrival order."""

    argv: Sequence[str]
    cols: int = 160
    rows: int = 48
    env: dict[str, str] = field(default_factory=dict)
    cwd: str | None = None

    def __post_init__(self) -> None:
        self.frames: list[Frame] = []
        self._partial = b""
        self._partial_since = 0.0
        self.last_byte = 0.0
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", **self.env}
        env.pop("TEXTUAL", None)  # no devtools
        self.started = time.perf_counter()
        # the pty is the app's controlling terminal, as a real terminal's is: when this process
        # dies without closing it (a crashed probe), the app gets SIGHUP and ends, instead of
        # running on unread at 100 % CPU beside the next measurement (seen 2026-11-29)
        self.proc = subprocess.Popen(list(self.argv), stdin=slave, stdout=slave, stderr=slave,
                                     env=env, cwd=self.cwd, start_new_session=True,
                                     preexec_fn=_controlling_tty)
        os.close(slave)
        self.fd = master

    # ------------------------------------------------------------------ reading
    def pump(self, timeout: float) -> bool:
        """Read what has arrived within `timeout` seconds; True if anything did."""
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:  # the app has exited
            return False
        now = time.perf_counter()
        self.last_byte = now
        if SYNC_QUERY in data:
            os.write(self.fd, SYNC_REPLY)
        if not self._partial:
            self._partial_since = now
        buf = self._partial + data
        while True:
            cut = buf.find(FRAME_END)
            if cut < 0:
                break
            self.frames.append(Frame(now, buf[:cut], self._partial_since))
            buf = buf[cut + len(FRAME_END):]
            self._partial_since = now
        self._partial = buf
        return True

    def wait_frame(self, after: int, timeout: float, marker: bytes | None = None,
                   since: float = 0.0) -> Frame:
        """The first frame with index >= `after` (containing `marker`, if given; begun
        arriving at or after `since`, if given)."""
        deadline = time.perf_counter() + timeout
        index = after
        while True:
            while index < len(self.frames):
                frame = self.frames[index]
                index += 1
                if (marker is None or marker in frame.data) and frame.start >= since:
                    return frame
            left = deadline - time.perf_counter()
            if left <= 0 or self.proc.poll() is not None:
                raise TimeoutError(f"no frame{' with ' + repr(marker) if marker else ''} "
                                   f"within {timeout} s from {self.argv[-1]}")
            self.pump(min(left, 0.05))

    def quiesce(self, quiet: float, timeout: float = 5.0) -> None:
        """Read until nothing has arrived for `quiet` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if not self.pump(quiet):
                return

    def settle(self, window: float = 1.0, busy_ms: float = 50.0, timeout: float = 60.0) -> None:
        """Read until the app has used less than `busy_ms` of CPU over `window` seconds: done
        with what it does after start-up (the desk opens its book and reads the full board
        behind the first one), idle but for its clock."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            cpu0, end = self.cpu_seconds(), time.perf_counter() + window
            while time.perf_counter() < end:
                self.pump(end - time.perf_counter())
            if (self.cpu_seconds() - cpu0) * 1000 < busy_ms:
                return

    @property
    def mid_frame(self) -> bool:
        """A frame has begun arriving but not ended."""
        return FRAME_START in self._partial

    # ------------------------------------------------------------------ process
    def press(self, key: str) -> float:
        """Write one key's bytes; the perf_counter just after writing."""
        os.write(self.fd, KEYS[key])
        return time.perf_counter()

    def type(self, text: str) -> float:
        """Write text as typed (UTF-8: a Chinese character arrives as itself)."""
        os.write(self.fd, text.encode())
        return time.perf_counter()

    def proc_status(self) -> dict[str, int]:
        """VmRSS and VmHWM (peak RSS) in kB, from /proc."""
        out: dict[str, int] = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = int(value.split()[0])
        return out

    def cpu_seconds(self) -> float:
        """User + system CPU time of the app process so far."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.press("ctrl+q")
                self.proc.wait(timeout=3)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait()
        os.close(self.fd)
