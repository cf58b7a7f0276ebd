"""报表 screen: the monthly statistics table (特约服务/维修月统计表), its charts, a month picker
and exports.

Keys: [ ] earlier/later month, t this month, tab switches table and charts, x exports XLSX,
p PDF, v CSV (into `export_dir`, default the working directory), esc closes.

The figures are worked out in a thread worker: first what the database adds up (quick), then
the on-time rates (every ticket through the SLA engine; seconds for a very busy month, then
cached), each posted back as a message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from ...errors import RepairdeskError
from ...i18n import _
from ..keys import REPORTS_KEYS, bindings


COLUMNS = 5


def _whole_ticks(top: int) -> list[int]:
    """About five whole-number ticks from 0 to at least `top`."""
    step = max(1, -(-top // 4))
    return list(range(0, top + step + 1, step))


def text_bars(chart: Any, width: int) -> Any:
    """A horizontal bar chart as rich Text, padded by display width (CJK labels)."""
    from rich.text import Text
    from wcwidth import wcswidth

    out = Text(chart.title + "\n", style="bold")
    labels = [str(label) for label in chart.labels]
    label_w = max((wcswidth(lb) for lb in labels), default=0)
    top = max((v or 0 for v in chart.values), default=0) or 1
    for label, value in zip(labels, chart.values):
        bar = round((width - label_w - 10) * (value or 0) / top)
        out.append(label + " " * (label_w - wcswidth(label)) + " ")
        out.append("\u2588" * bar, style="bold blue")
        out.append(f" {value or 0:g}\n")
    return out


class ReportsScreen(Screen[None]):
    """The month's statistics for `desk`, starting at `month` (YYYY-MM; default this month)."""

    CSS_PATH = "reports.tcss"
    KEYS = REPORTS_KEYS
    BINDINGS = bindings(KEYS)

    class TableLoaded(Message):
        """The month's figures arrived; `final` once the on-time rates are in."""

        def __init__(self, table: Any, final: bool) -> None:
            super().__init__()
            self.table = table
            self.final = final

    class LoadFailed(Message):
        def __init__(self, month: str, error: str) -> None:
            super().__init__()
            self.month = month
            self.error = error

    class Exported(Message):
        def __init__(self, path: Path | None, error: str = "") -> None:
            super().__init__()
            self.path = path
            self.error = error

    def __init__(self, desk: Any, month: str | None = None,
                 export_dir: Path | None = None) -> None:
        super().__init__()
        from ...services.reports import current_month, month_key, parse_month

        self.desk = desk
        self.month = month_key(*parse_month(month)) if month else current_month(desk)
        self.export_dir = export_dir or Path.cwd()
        self.table: Any = None
        self.loading = False
        self.last_export: Path | None = None

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        yield Static("", id="title", classes="report-title", markup=False)
        yield Static("", id="status", classes="report-status", markup=False)
        with TabbedContent(id="views"):
            with TabPane(_("Table"), id="table-pane"):
                yield DataTable(id="month-table", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Charts"), id="charts-pane"):
                with Vertical(id="charts"):
                    yield PlotextPlot(id="chart-days", classes="chart")
                    yield PlotextPlot(id="chart-ontime", classes="chart")
                    # CJK labels are two cells wide and plotext counts one: plain text bars
                    yield Static("", id="chart-categories", classes="chart", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#month-table", DataTable)
        # each section brings its own header row; the widest (by technician) has five columns
        table.add_columns(*[str(i) for i in range(COLUMNS)])
        table.show_header = False
        self.load()

    # ------------------------------------------------------------ loading

    def load(self) -> None:
        from ...reports.export import month_title

        self.loading = True
        self.query_one("#title", Static).update(
            f"{self.desk.config.site_name}  {month_title(self.month)}")
        self._status(_("Adding up {month}").format(month=self.month))
        self._work(self.month)

    @work(thread=True, exclusive=True, group="reports")
    def _work(self, month: str) -> None:
        from ...services.reports import month_table, with_clock_rates

        worker = get_current_worker()
        try:
            table = month_table(self.desk, month, clocks=False)
            if worker.is_cancelled:
                return
            self.post_message(self.TableLoaded(table, final=False))
            table = with_clock_rates(self.desk, table)
        except RepairdeskError as exc:
            self.post_message(self.LoadFailed(month, str(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(self.TableLoaded(table, final=True))

    @on(TableLoaded)
    def _loaded(self, message: TableLoaded) -> None:
        if message.table.month != self.month:
            return  # an answer for a month the clerk has already left
        self.table = message.table
        self._fill(message.table)
        self._plot(message.table)
        if message.final:
            self.loading = False
            self._status(_("{n} tickets").format(n=message.table.total), ok=True)
        else:
            self._status(_("Working out on-time rates"))

    @on(LoadFailed)
    def _failed(self, message: LoadFailed) -> None:
        if message.month == self.month:
            self.loading = False
            self._status(message.error)

    def _status(self, text: str, ok: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(text)
        status.set_class(ok, "ok")

    # ------------------------------------------------------------ showing

    def _fill(self, month_table: Any) -> None:
        from rich.text import Text

        from ...reports.sections import cell_text, month_sections

        tz = self.desk.config.tz
        table = self.query_one("#month-table", DataTable)
        table.clear()
        for section in month_sections(month_table):
            table.add_row(Text(section.title, style="bold"), *[""] * (COLUMNS - 1))
            if section.note:
                table.add_row(Text(section.note), *[""] * (COLUMNS - 1))
            heads = [Text(h, style="italic") for h in section.headers[:COLUMNS]]
            table.add_row(*heads, *[""] * (COLUMNS - len(heads)))
            for row in section.rows:
                cells = [Text(cell_text(c, tz)) for c in row[:COLUMNS]]
                table.add_row(*cells, *[""] * (COLUMNS - len(cells)))

    def _plot(self, month_table: Any) -> None:
        from textual_plotext import PlotextPlot

        from ...reports.charts import Kind, month_charts

        charts = {c.kind: c for c in month_charts(month_table)}
        days = charts[Kind.BARS]
        widget = self.query_one("#chart-days", PlotextPlot)
        plt = widget.plt
        plt.clear_figure()
        plt.title(days.title)
        plt.bar([int(d) for d in days.labels], list(days.values))
        top = int(max(days.values, default=0))
        plt.yticks(_whole_ticks(top))
        plt.xticks([int(d) for d in days.labels if int(d) % 5 == 0 or d == "1"])
        widget.refresh()
        widget = self.query_one("#chart-ontime", PlotextPlot)
        plt = widget.plt
        plt.clear_figure()
        ontime = charts.get(Kind.LINE)
        if ontime is None:
            plt.title(_("The SLA engine is not installed: no on-time rates."))
        else:
            plt.title(ontime.title + " (%)")
            xs = [int(d) for d, v in zip(ontime.labels, ontime.values) if v is not None]
            ys = [round(v * 100, 1) for v in ontime.values if v is not None]
            if xs:
                plt.plot(xs, ys, marker="hd")
                plt.scatter(xs, ys, marker="o")
            plt.xlim(1, len(ontime.labels))
            plt.ylim(0, 100)
            plt.xticks([int(d) for d in ontime.labels if int(d) % 5 == 0 or d == "1"])
            plt.yticks([0, 25, 50, 75, 100])
        widget.refresh()
        self.query_one("#chart-categories", Static).update(
            text_bars(charts[Kind.HBARS], max(20, self.size.width - 30)))

    # ------------------------------------------------------------ actions

    def action_month(self, step: int) -> None:
        from ...services.reports import shift_month

        self.month = shift_month(self.month, step)
        self.load()

    def action_this_month(self) -> None:
        from ...services.reports import current_month

        self.month = current_month(self.desk)
        self.load()

    def action_switch_view(self) -> None:
        views = self.query_one("#views", TabbedContent)
        views.active = "charts-pane" if views.active == "table-pane" else "table-pane"

    def action_export(self, kind: str) -> None:
        self._status(_("Exporting {month} as {format}").format(month=self.month,
                                                                format=kind.upper()))
        self._export(self.month, kind)

    @work(thread=True, group="export")
    def _export(self, month: str, kind: str) -> None:
        from ...files import private_dir, write_private
        from ...reports.export import Format, export_month

        path = self.export_dir / f"repairdesk-month-{month}.{kind}"
        try:
            # the month's export replaces the last one of the same month (no --force on a
            # key); owner-only like the CLI's: it carries rooms and owners' names
            data = export_month(self.desk, month, Format(kind))
            write_private(private_dir(self.export_dir) / path.name, data, replace=True)
        except RepairdeskError as exc:
            self.post_message(self.Exported(None, str(exc)))
            return
        except OSError as exc:
            self.post_message(self.Exported(None, _("Cannot write {path}: {error}").format(
                path=path, error=exc.strerror)))
            return
        self.post_message(self.Exported(path))

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        if message.path is None:
            self._status(message.error)
            return
        self.last_export = message.path
        self._status(_("Saved {path}").format(path=message.path), ok=True)

    def action_close(self) -> None:
        self.workers.cancel_group(self, "reports")
        self.dismiss(None)
