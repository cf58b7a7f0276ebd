"""Issue 17: the repeat marker (重) was cut off in the room column; a long place gives way so
the markers stay whole."""

from __future__ import annotations

from rich.cells import cell_len

from repairdesk.i18n import _
from repairdesk.services import tickets as T

from .conftest import settle


async def test_the_repeat_marker_stays_whole_beside_a_long_place(desk_app, staffed, clock):
    place = "5栋2单元东侧楼道"
    for _i in range(2):
        r = T.register_ticket(staffed, T.IntakeForm(
            room=place, caller="保洁", content="楼道灯不亮", scope="public", category="电"),
            "李静")
        clock.advance(minutes=10)
    assert r.repeat_of
    app = desk_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        table = app.desk_screen.query_one("#tickets")
        cell = table.get_cell(r.ticket_no, "place")
        width = table.widths["place"]
        assert str(cell).endswith(_("(rpt)")), str(cell)
        assert cell_len(str(cell)) <= width, (str(cell), width)
        assert str(cell).startswith("5栋2单元")
