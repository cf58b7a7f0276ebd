"""The desk's tables hold compact cells (issue 18: tui/text.Cell and StyledCell, not a rich
Text each): what the clerk typed is still shown as typed, never read as markup, in the
ticket table and in the alert strip, and the styled cells still carry their style."""

from __future__ import annotations

from rich.style import Style

from repairdesk.domain.enums import Urgency
from repairdesk.services import tickets as T
from repairdesk.tui.live import STYLE_BREACHED, STYLE_URGENT
from repairdesk.tui.text import Cell, StyledCell, cells, plain

from .conftest import settle, type_text

CONTENT = '[/b]=HYPERLINK("x")'
PLACE = "楼道[/]"  # fits the strip's place column (12 cells)


def _screen_lines(widget) -> list[str]:
    """The widget's lines as drawn (the text of the segments), header included."""
    return ["".join(seg.text for seg in widget.render_line(y))
            for y in range(widget.size.height)]


def _segments(widget, text: str):
    """The drawn segments holding `text`."""
    return [seg for y in range(widget.size.height) for seg in widget.render_line(y)
            if text in seg.text]


async def test_typed_markup_shows_as_typed_in_the_table_and_the_alert_strip(
        desk_app, staffed, clock):
    app = desk_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        for text in (PLACE, "王先生", "13812345678", CONTENT):  # a public place
            await type_text(pilot, text)
            await pilot.press("enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.desk_screen, type(app.screen).__name__
        (r,) = T.list_tickets(staffed)
        assert (r.intake.room, r.intake.content) == (PLACE, CONTENT)

        table = app.desk_screen.query_one("#tickets")
        assert isinstance(table.get_cell(r.ticket_no, "content"), Cell)
        assert str(table.get_cell(r.ticket_no, "content")) == CONTENT
        assert str(table.get_cell(r.ticket_no, "place")) == PLACE
        row = next(line for line in _screen_lines(table) if r.ticket_no in line)
        assert CONTENT in row and PLACE in row, row

        clock.advance(hours=1)  # the dispatch clock is long overdue: an alert
        app.tick()
        await settle(pilot)
        alerts = app.desk_screen.query_one("#alerts")
        assert alerts.row_count >= 1
        assert [str(alerts.get_cell(key, "place")) for key in alerts.keys] == (
            [PLACE] * alerts.row_count)
        drawn = [line for line in _screen_lines(alerts) if r.ticket_no in line]
        assert len(drawn) == alerts.row_count and all(PLACE in line for line in drawn), drawn
        # the countdown keeps its style, in the cell and on screen
        left = alerts.get_cell(alerts.keys[0], "left")
        assert isinstance(left, StyledCell) and left.style == STYLE_BREACHED
        drawn = _segments(alerts, left.plain.strip())
        assert drawn and all(s.style.bgcolor == Style.parse(STYLE_BREACHED).bgcolor
                             for s in drawn), drawn


async def test_styled_cells_keep_their_style(desk_app, staffed):
    r = T.register_ticket(staffed, T.IntakeForm(room="3-2-1501", caller="王先生",
                                                content="[bold]卫生间漏水[/bold]",
                                                category="水", urgency=Urgency.URGENT), "李静")
    T.register_ticket(staffed, T.IntakeForm(room="3-2-1502", caller="李女士", content="灯不亮",
                                            category="电"), "李静")
    app = desk_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = app.desk_screen.query_one("#tickets")
        assert table.selected_no() == r.ticket_no  # the urgent one first
        await pilot.press("down")  # the cursor's own colours off its row
        await settle(pilot)
        assert table.selected_no() != r.ticket_no
        urgency = table.get_cell(r.ticket_no, "urgency")
        assert isinstance(urgency, StyledCell)
        assert (urgency.plain, urgency.style) == (Urgency.URGENT.label, STYLE_URGENT)
        want = Style.parse(STYLE_URGENT)
        drawn = _segments(table, Urgency.URGENT.label)
        assert drawn and all(s.style.bold and s.style.color == want.color for s in drawn), drawn
        # the content is not markup: its brackets are drawn, not bold
        (content,) = _segments(table, "[bold]卫生间漏水[/bold]")
        assert not content.style.bold


def test_plain_cells_are_literal_and_small():
    cell = plain("[/b]")
    assert isinstance(cell, Cell) and str(cell) == cell.plain == "[/b]"
    assert not hasattr(cell, "__dict__")  # slots: a string's reference and no more
    styled = StyledCell("12m", "bold")
    assert plain(styled) is styled and cells(None, styled)[0] is None
    text = styled.__rich__()
    assert (text.plain, text.style) == ("12m", "bold")
