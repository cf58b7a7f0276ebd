"""The scenario book (issue 14): each tests/scenarios/*.toml is a short story of steps at local
times (Asia/Shanghai) with the result of every clock and the month's figures worked out by hand
from the seeds (shared/seeds 000-004) and domain.md. Played through the real services with a
fixed clock, on SQLite and (when the server answers) PostgreSQL.

A scenario file:
    title = "..."            # one line
    source = "..."           # where the rule comes from (seed section, domain.md heading)
    [[step]]
    at = "2026-11-10 10:00"  # local; "HH:MM" = the same day as the step before
    do = "register"          # register dispatch accept arrive complete return callback close
                             # void pause resume reschedule follow_up convert note amend print
                             # notify check month alerts handover shift follow_ups
                             # assess decide charge chase report (paid work, chases)
    t = "A"                  # which ticket (default "A"); register names it
    entered = "08:40"        # optional: typed in later from paper (the step keeps `at`)
    ...                      # the step's own fields (see STEP below)
A `callback` step may say `outcome = "no_answer"` (with `retry = "HH:MM"`) or "refused".
A step with `refused = "<field>"` must be refused with a ValidationError naming that field.
A `check` step lists clocks as name = "met" | "missed" | "pending" | "none" (not started or
not applying), and may name the ticket's `status`; a `month` step lists the month's
figures; `alerts` lists the clocks that must (`shown`) or must not (`hidden`) be in the alert
strip for the ticket; `handover` checks the checklist's deadlines and blocked tickets,
`shift` whether the handover is overdue (the desk is held by 李静 from 2026-11-22 10:00, the
day shift).
"""

from __future__ import annotations

import tomllib
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from repairdesk.errors import ValidationError
from repairdesk.services import reports, sla, tickets as T
from repairdesk.services.print_run import run_pending

HERE = Path(__file__).parent
FILES = sorted(HERE.glob("*.toml"))
TZ = ZoneInfo("Asia/Shanghai")
CLERK = "李静"
TECH = "张建国"
LEADER = "周班长"  # the team leader who assesses fees (added when a scenario needs him)
PAID_STEPS = ("assess", "decide", "charge", "chase", "report")


def _when(raw: str, last: datetime | None) -> datetime:
    """'YYYY-MM-DD HH:MM[:SS]', or 'HH:MM[:SS]' on the day of the step before (local)."""
    raw = raw.strip()
    if " " not in raw:
        assert last is not None, "the first step needs a full date"
        raw = f"{last.astimezone(TZ).date().isoformat()} {raw}"
    fmt = "%Y-%m-%d %H:%M:%S" if raw.count(":") == 2 else "%Y-%m-%d %H:%M"
    return datetime.strptime(raw, fmt).replace(tzinfo=TZ).astimezone(timezone.utc)


class Play:
    def __init__(self, desk, clock) -> None:
        self.desk, self.clock = desk, clock
        self.nos: dict[str, str] = {}

    def no(self, step: dict) -> str:
        return self.nos[step.get("t", "A")]

    def run(self, step: dict, at: datetime) -> None:
        d, do = self.desk, step["do"]
        kw: dict = {}
        if "entered" in step:  # entered from paper later: the step keeps its own time
            self.clock.set(_when(step["entered"], at))
            kw = {"at": at}
        else:
            self.clock.set(at)
        if do == "register":
            form = T.IntakeForm(
                room=step.get("room", "3-2-1501"), caller=step.get("caller", "王先生"),
                content=step.get("content", "卫生间漏水"), scope=step.get("scope", "home"),
                category=step.get("category", "综合"), urgency=step.get("urgency", "normal"),
                appointment=step.get("appointment", ""),
                service_type=step.get("service_type", "free"),
                vacant=step.get("vacant", False),
                received_at=at.astimezone(TZ).strftime("%Y-%m-%d %H:%M") if kw else "")
            self.nos[step.get("t", "A")] = T.register_ticket(d, form, CLERK).ticket_no
        elif do == "dispatch":
            T.dispatch_ticket(d, self.no(step), step.get("technician", TECH), CLERK, **kw)
        elif do == "print":  # the print queue runs (auto_on_dispatch queued the order)
            run_pending(d)
        elif do == "accept":
            T.accept_ticket(d, self.no(step), TECH, **kw)
        elif do == "arrive":
            T.arrive_ticket(d, self.no(step), TECH, **kw)
        elif do == "complete":
            T.complete_ticket(d, self.no(step), step.get("result", "修好"), TECH, **kw)
        elif do == "return":
            T.return_ticket(d, self.no(step), CLERK, **kw)
        elif do == "callback":  # outcome = "no_answer" (with retry = "HH:MM") or "refused"
            from repairdesk.domain.enums import CallbackOutcome

            how = (CallbackOutcome(step["outcome"]) if "outcome" in step
                   else step.get("satisfied", True))
            retry = _when(step["retry"], at) if "retry" in step else None
            T.callback_ticket(d, self.no(step), how, CLERK, retry=retry, **kw)
        elif do == "close":
            T.close_ticket(d, self.no(step), CLERK, verified=step.get("verified", True), **kw)
        elif do == "notify":  # the technician was told to collect the order (000 三)
            from repairdesk.services.desk_steps import notify_ticket

            notify_ticket(d, self.no(step), CLERK, **kw)
        elif do == "follow_ups":
            self.follow_ups(step)
        elif do == "void":
            T.void_ticket(d, self.no(step), step.get("reason", "重复登记"), CLERK, **kw)
        elif do == "pause":
            T.pause_ticket(d, self.no(step), step.get("reason", "待料"), CLERK, **kw)
        elif do == "resume":
            T.resume_ticket(d, self.no(step), CLERK, **kw)
        elif do == "reschedule":
            T.reschedule_ticket(d, self.no(step), _when(step["to"], at),
                                step.get("reason", "业主要求改约"), CLERK, **kw)
        elif do == "convert":  # the clerk turns the late job into a follow-up (协调单)
            sla.convert_to_follow_up(d, self.no(step), CLERK, step.get("note", ""))
        elif do == "follow_up":
            T.follow_up_ticket(d, self.no(step), step.get("note", "等配件"), CLERK)
        elif do == "note":
            T.add_note(d, self.no(step), step.get("note", "维修工电话反馈"), CLERK)
        elif do == "amend":
            form = {k: v for k, v in step.items()
                    if k in ("urgency", "scope", "category", "service_type", "room", "content")}
            T.amend_ticket(d, self.no(step), form, CLERK, note="补录",
                           vacant=step.get("vacant"))
        elif do in PAID_STEPS:
            self.paid_work(step, do, kw, at)
        elif do == "check":
            self.check(step)
        elif do == "month":
            self.month(step)
        elif do == "alerts":
            self.alerts(step)
        elif do == "handover":
            self.handover(step)
        elif do == "shift":
            self.shift(step)
        else:
            raise AssertionError(f"unknown step {do!r}")

    def paid_work(self, step: dict, do: str, kw: dict, at: datetime) -> None:
        """The fee assessment, the owner's answer, charges, chases and technician reports."""
        from repairdesk.domain.enums import Role
        from repairdesk.services import chases, fees
        from repairdesk.services.staff import add_staff_unchecked, list_staff

        d, no = self.desk, self.no(step)
        if do == "assess":  # the team leader's fee assessment (000 十A)
            if LEADER not in {m.name for m in list_staff(d)}:
                add_staff_unchecked(d, LEADER, Role.TEAM_LEADER, "13700000021")
            fees.assess_ticket(d, no, step.get("fee", "80"), LEADER, CLERK,
                               feasible=step.get("feasible", True), **kw)
        elif do == "decide":  # the owner's answer: agree or decline (the job ends)
            fees.decide_ticket(d, no, step["agreed"], CLERK, reason=step.get("reason", ""),
                               fee=step.get("fee"), **kw)
        elif do == "charge":  # paid items and parts, the owner agreeing to the quote
            items = [fees.parse_item(d, t, at) for t in step.get("items", [])]
            parts = [fees.parse_material(t) for t in step.get("materials", [])]
            fees.charge_ticket(d, no, items, parts, True, CLERK, **kw)
        elif do == "chase":  # the desk chased the technician: stops no clock
            chases.chase_ticket(d, no, step.get("note", "电话催促"), CLERK,
                                whom=step.get("whom", ""), **kw)
        elif do == "report":  # the technician's report, taken by the desk
            chases.report_ticket(d, no, step.get("note", "维修工电话反馈进度"), CLERK, **kw)

    def check(self, step: dict) -> None:
        record = T.get_ticket(self.desk, self.no(step))
        got = {c.name.value: c.result or "none" for c in sla.clocks_of(self.desk, record)}
        for name, want in step.items():
            if name in ("do", "at", "t", "why"):
                continue
            if name == "status":
                got_status = record.status.value
                assert got_status == want, f"{self.no(step)} is {got_status}"
                continue
            assert got.get(name, "none") == want, (
                f"{self.no(step)} {name}: {got.get(name, 'none')} != {want} ({step.get('why')})")

    def month(self, step: dict) -> None:
        table = reports.month_table(self.desk, step["month"])
        rates = {c.clock: [c.met, c.missed, c.pending] for c in table.clocks}
        for key, want in step.items():
            if key in ("do", "at", "month", "why"):
                continue
            if key in rates:
                assert rates[key] == want, f"month {key}: {rates[key]} != {want}"
            elif key == "voided_list":
                assert [v.ticket_no for v in table.voided] == [self.nos[k] for k in want]
            elif key in ("by_category", "by_building"):
                assert [list(r) for r in getattr(table, key)] == want, key
            else:
                value = getattr(table, key)
                if hasattr(value, "value"):  # a Ratio: [hit, total]
                    value = [value.hit, value.total]
                assert value == want, f"month {key}: {value} != {want}"

    def follow_ups(self, step: dict) -> None:
        """`due` / `not_due`: the follow-ups whose weekly entry is (not) owed now (004)."""
        from repairdesk.services.desk_steps import follow_ups_due

        due = {d.ticket_no for d in follow_ups_due(self.desk)}
        for t in step.get("due", []):
            assert self.nos[t] in due, f"{t}: weekly follow-up entry not due ({step.get('why')})"
        for t in step.get("not_due", []):
            assert self.nos[t] not in due, f"{t}: weekly entry due too early ({step.get('why')})"

    def alerts(self, step: dict) -> None:
        no = self.no(step)
        shown = {a.clock.name.value for a in sla.alerts(self.desk) if a.ticket_no == no}
        for name in step.get("shown", []):
            assert name in shown, f"{name} missing from the alert strip: {shown}"
        for name in step.get("hidden", []):
            assert name not in shown, f"{name} in the alert strip: {shown}"

    def handover(self, step: dict) -> None:
        """The handover checklist now: `deadline` (local HH:MM or full) and `clock` per ticket
        ({A = "17:10"}), `blocked` the tickets that block signing until explained."""
        from repairdesk.domain.handover import blockers
        from repairdesk.services.handover import build_checklist

        c = build_checklist(self.desk)
        items = {i.ticket_no: i for i in c.open_items}
        last = self.clock.now()
        for t, want in step.get("deadline", {}).items():
            got = items[self.nos[t]].deadline
            assert got == _when(want, last), f"{t} deadline {got} != {want}"
        for t, want in step.get("clock", {}).items():
            assert items[self.nos[t]].clock == want, f"{t} clock {items[self.nos[t]].clock}"
        if "blocked" in step:
            got = sorted(b.ticket_no for b in blockers(c.open_items, {}))
            assert got == sorted(self.nos[t] for t in step["blocked"]), f"blocked {got}"

    def shift(self, step: dict) -> None:
        """`overdue`: is the handover overdue now; `logged`: how many "handover overdue"
        entries this pass writes to the duty log (0 when already written)."""
        from repairdesk.services import shifts

        if "overdue" in step:
            assert bool(shifts.overdue_shifts(self.desk)) is step["overdue"]
        if "logged" in step:
            assert shifts.note_overdue(self.desk) == step["logged"]


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario(path: Path, any_desk, clock) -> None:
    story = tomllib.loads(path.read_text(encoding="utf-8"))
    assert story.get("title") and story.get("source"), "every scenario says what and why"
    play = Play(any_desk, clock)
    last: datetime | None = None
    for step in story["step"]:
        at = _when(step["at"], last)
        if "refused" in step:  # the desk must refuse this step, naming the field
            with pytest.raises(ValidationError) as refused:
                play.run(step, at)
            assert refused.value.field == step["refused"], str(refused.value)
        else:
            play.run(step, at)
        last = at


def test_the_book_has_its_scenarios() -> None:
    assert len(FILES) >= 40
