"""The compact storage of a ticket event's data (issue 18, book size): a register step's full
intake is stored as a list in a fixed order and reads back as the dict it was; older books'
object form reads as before; the chain hash does not depend on the form."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from repairdesk.store import chain
from repairdesk.store.json_data import INTAKE_ORDER, dump_event_data, dump_json, load_json

AT = datetime(2026, 11, 28, 21, 5, tzinfo=timezone.utc)
INTAKE = {"appointment_at": None, "caller": "王先生", "category": "水", "channel": "phone",
          "content": "厨房水管漏水", "owner_parts": False, "phone": "13800138000",
          "received_at": AT, "room": "3-2-1501", "scope": "home", "service_type": "free",
          "urgency": "normal", "vacant": False, "verify_code": ""}


def test_a_full_intake_is_stored_as_a_list_and_reads_back_as_its_dict() -> None:
    data = {"intake": INTAKE, "repeat_of": "BX-20261120-0003"}
    text = dump_event_data(data)
    stored = json.loads(text)
    assert isinstance(stored["intake"], list) and len(stored["intake"]) == len(INTAKE_ORDER)
    assert '"caller"' not in text and ", " not in text
    assert load_json(text) == data
    assert len(text.encode()) < len(dump_json(data).encode()) - 150


def test_an_intake_with_other_keys_and_older_books_keep_the_object_form() -> None:
    older = {k: v for k, v in INTAKE.items() if k != "vacant"}  # before the vacant field
    text = dump_event_data({"intake": older})
    assert isinstance(json.loads(text)["intake"], dict)
    assert load_json(text) == {"intake": older}
    assert load_json(dump_json({"intake": INTAKE})) == {"intake": INTAKE}


def test_the_hash_is_the_same_whichever_form_is_read() -> None:
    row = {"seq": 1, "at": AT, "recorded_at": AT, "action": "register", "by": "李静",
           "note": "", "data": {"intake": INTAKE}}
    h = chain.event_hash(row, "BX-20261128-0001", chain.GENESIS)
    for stored in (dump_event_data(row["data"]), dump_json(row["data"])):
        assert chain.event_hash({**row, "data": stored}, "BX-20261128-0001", chain.GENESIS) == h
    changed = dump_event_data({"intake": {**INTAKE, "caller": "李先生"}})
    assert chain.event_hash({**row, "data": changed}, "BX-20261128-0001", chain.GENESIS) != h
