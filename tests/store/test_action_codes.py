"""A ticket event's action as a SQLite book stores it (issue 18, book size; migration 0013):
a fixed code for each action, never renumbered or reused."""

from __future__ import annotations

import pytest

from repairdesk.domain.enums import Action
from repairdesk.store import action_codes


def test_the_action_codes_are_fixed_and_cover_every_action() -> None:
    # never renumbered, never reused: a new action is appended here and in ACTIONS
    assert action_codes.ACTIONS == (
        "register", "dispatch", "arrive", "complete", "return", "callback", "close", "accept",
        "amend", "rework", "reschedule", "pause", "resume", "follow_up", "void", "note",
        "assess", "owner_decision", "charge", "notify", "follow_up_check", "materials",
        "callback_no_answer")
    assert {a.value for a in Action} == set(action_codes.ACTIONS)
    assert action_codes.sql_actions("sqlite", ["void", "charge"]) == "14, 18"
    assert action_codes.sql_actions("postgresql", ["void", "charge"]) == "'void', 'charge'"
    assert action_codes.name_of(3) == "complete" and action_codes.name_of("3") == "complete"
    assert action_codes.name_of("close") == "close"  # a name written by hand stays itself
    with pytest.raises(ValueError):
        action_codes.code_of("teleport")
