"""Schema migrations: the first released schema upgrades to the current one, nothing lost."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel, select

from repairdesk.config import load_config
from repairdesk.errors import StoreError
from repairdesk.services import dutylog
from repairdesk.services.desk import open_desk
from repairdesk.services.tickets import IntakeForm, get_ticket, register_ticket
from repairdesk.store import db as dbmod
from repairdesk.store import migrate
from repairdesk.store.tables import SCHEMA_VERSION
from older_book import book_at


def _engine_url(db_url: str) -> str:
    return db_url if "://" in db_url else f"sqlite:///{db_url}"


def _first_release(db_url: str) -> None:
    """A book exactly as the first release made it: the baseline migration, nothing else."""
    from alembic import command

    engine = create_engine(_engine_url(db_url))
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0001")
    engine.dispose()


def _versions() -> list:
    mods = []
    for path in sorted((migrate.HERE / "versions").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"mig_{path.stem}", path)
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mods.append(mod)
    return mods


def test_newest_migration_matches_schema_version() -> None:
    by_rev = {m.revision: m for m in _versions()}
    assert by_rev[migrate.head_revision()].schema_version == SCHEMA_VERSION
    assert "0001" in by_rev and by_rev["0001"].down_revision is None


def test_first_release_book_opens_upgraded(db_url: str, clock) -> None:
    _first_release(db_url)
    desk = open_desk(db_url, clock=clock, config=load_config(None))
    try:
        from holding import hold_desk

        hold_desk(desk)
        rec = register_ticket(desk, IntakeForm(room="3-2-1501", caller="王先生",
                                               content="厨房水管漏水"), "李静")
        assert get_ticket(desk, rec.ticket_no).ticket_no.endswith("-0001")
        with desk.store.read() as session:
            conn = session.connection()
            assert migrate.current_revision(conn) == migrate.head_revision()
            # the triggers came with the baseline: history stays append-only
        with pytest.raises(StoreError):
            with desk.store.write() as session:
                session.connection().execute(text("DELETE FROM ticket_event"))
        # 0002 brought the SLA notices, append-only too
        with desk.store.write() as session:
            session.connection().execute(text(
                "INSERT INTO sla_notice (site, ticket_no, clock, level, anchor, due_at, "
                "reached_at, at, call_role, call_name, call_phone) VALUES ('XF', :no, "
                "'dispatch', 'breach', :t, :t, :t, :t, '', '', '')"),
                {"no": rec.ticket_no, "t": desk.now()})
        with pytest.raises(StoreError):
            with desk.store.write() as session:
                session.connection().execute(text("UPDATE sla_notice SET level = 'x'"))
    finally:
        desk.close()


def test_baseline_creates_what_the_tables_define(db_url: str) -> None:
    """A book built by the migrations and one built from tables.py have the same tables and
    columns (a table changed without a migration shows up here)."""
    _first_release(db_url)
    from alembic import command

    engine = create_engine(_engine_url(db_url))
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "head")
    insp = inspect(engine)
    built = {t: {c["name"] for c in insp.get_columns(t)} for t in insp.get_table_names()}
    built_ix = {t: {i["name"] for i in insp.get_indexes(t)} for t in insp.get_table_names()}
    engine.dispose()
    for t in dbmod._all_tables():
        table = t.__table__
        if table.name in built_ix:
            wanted_ix = {i.name for i in table.indexes}
            assert wanted_ix <= built_ix[table.name], f"{table.name}: index without a migration"
    wanted = {t.__table__.name: {c.name for c in t.__table__.columns} for t in dbmod._all_tables()}
    for table, cols in wanted.items():
        if table in built:
            assert cols == built[table], f"{table}: columns differ from the migrations"
    missing = set(wanted) - set(built)
    # open_store's additive safety net would create such a table, but every table deserves
    # its migration
    assert missing == set(), f"tables without a migration: {sorted(missing)}"


def test_an_upgrade_runs_on_a_book_with_data(db_url: str, clock, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A second release adds a column: the first release's book is upgraded in place, its
    tickets and duty-log chain intact."""
    desk = open_desk(db_url, clock=clock, config=load_config(None))
    from holding import hold_desk

    hold_desk(desk)
    nos = [register_ticket(desk, IntakeForm(room=f"3-2-150{i}", caller="王先生",
                                            content="厨房水管漏水"), "李静").ticket_no
           for i in range(3)]
    with desk.store.write() as session:
        dutylog.append(session, site="XF", at=desk.now(), kind="clerk", author="李静",
                       text="交接正常")
    desk.close()
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.HERE, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    head, probe_version = migrate.head_revision(), SCHEMA_VERSION + 1
    (scripts / "versions" / "9999_probe.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f"revision = 'probe'\ndown_revision = '{head}'\nbranch_labels = None\n"
        f"depends_on = None\nschema_version = {probe_version}\n\n\n"
        "def upgrade():\n"
        "    with op.batch_alter_table('staff') as b:\n"
        "        b.add_column(sa.Column('nickname', sa.String(), nullable=True))\n\n\n"
        "def downgrade():\n    pass\n", encoding="utf-8")
    monkeypatch.setattr(migrate, "HERE", scripts)
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", probe_version)
    desk = open_desk(db_url, clock=clock, config=load_config(None))
    try:
        assert [get_ticket(desk, n).ticket_no for n in nos] == nos
        with desk.store.read() as session:
            conn = session.connection()
            assert migrate.current_revision(conn) == "probe"
            assert "nickname" in {c["name"] for c in inspect(conn).get_columns("staff")}
            assert conn.execute(text(
                "SELECT value FROM meta WHERE key = 'schema_version'")).scalar() == str(probe_version)
            assert dutylog.verify_chain(session)[1] is None
    finally:
        desk.close()


def test_unknown_revision_is_refused(db_url: str) -> None:
    dbmod.open_store(db_url).dispose()
    engine = create_engine(_engine_url(db_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
        conn.execute(text("UPDATE meta SET value = '0' WHERE key = 'schema_version'"))
    engine.dispose()
    with pytest.raises(StoreError) as err:
        dbmod.open_store(db_url)
    assert "f00dfeed" in str(err.value)


def test_metadata_knows_every_table() -> None:
    names = {t.__table__.name for t in dbmod._all_tables()}
    assert names <= set(SQLModel.metadata.tables)


def test_0004_gives_existing_staff_empty_skills(db_url: str, clock) -> None:
    """A book at 0003 with a roster: the upgrade adds staff.skills, empty for everyone, and
    the roster keeps working (a technician's categories can be set afterwards)."""
    from alembic import command

    from repairdesk.domain.enums import Role
    from repairdesk.services.staff import add_staff_unchecked, list_staff

    engine = create_engine(_engine_url(db_url))
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0003")
        # as the release with schema 3 leaves it (open_store writes the version)
        conn.execute(text("UPDATE meta SET value = '3' WHERE key = 'schema_version'"))
        conn.execute(text(
            "INSERT INTO staff (name, role, phone, active, created_at) VALUES "
            "('张建国', 'technician', '13900000011', :t, '2026-11-22 02:00:00.000000')"),
            {"t": True})
        assert "skills" not in {c["name"] for c in inspect(conn).get_columns("staff")}
    engine.dispose()
    desk = open_desk(db_url, clock=clock, config=load_config(None))
    try:
        with desk.store.read() as session:
            conn = session.connection()
            assert migrate.current_revision(conn) == migrate.head_revision()
            assert conn.execute(text("SELECT skills FROM staff")).scalar() == ""
            assert conn.execute(text(
                "SELECT value FROM meta WHERE key = 'schema_version'")
            ).scalar() == str(SCHEMA_VERSION)
        add_staff_unchecked(desk, "王师傅", Role.TECHNICIAN, skills=("水", "电"))
        assert {m.name: m.skills for m in list_staff(desk)} == {"张建国": (), "王师傅": ("水", "电")}
    finally:
        desk.close()


def test_0006_chains_the_events_and_print_jobs_a_book_holds(db_url: str, clock,
                                                           english) -> None:
    """A book at 0005 with a ticket (two steps) and a print job: the upgrade chains them as they
    stand, counts them, and installs the guarding triggers; new rows continue the chains and the
    book verifies; an old event changed afterwards is named."""
    from alembic import command
    from sqlalchemy import bindparam

    from holding import hold_desk
    from repairdesk.errors import StoreError as Refused
    from repairdesk.services.integrity import verify_book
    from repairdesk.store.types import UTCDateTime

    t = clock.now()
    intake = ('{"intake": {"appointment_at": null, "caller": "王先生", "category": "水", '
              '"channel": "phone", "content": "漏水", "owner_parts": false, "phone": "", '
              '"received_at": "2026-11-22T02:00:00+00:00", "room": "3-2-1501", '
              '"scope": "home", "service_type": "free", "urgency": "normal", '
              '"verify_code": ""}}')
    engine = create_engine(_engine_url(db_url))
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0005")
        conn.execute(text("UPDATE meta SET value = '5' WHERE key = 'schema_version'"))
        when = {"t": t}
        typed = [bindparam("t", type_=UTCDateTime())]
        conn.execute(text(
            "INSERT INTO ticket (ticket_no, site, received_at, registered_at, registered_by, "
            "channel, room, building, caller, phone, content, scope, category, urgency, "
            "service_type, owner_parts, verify_code, status, technician, follow_up, "
            "rework_count, last_event_at) VALUES ('BX-20261122-0001', 'XF', :t, :t, '李静', "
            "'phone', '3-2-1501', '3', '王先生', '', '漏水', 'home', '水', 'normal', 'free', "
            ":f, '', 'dispatched', '张建国', :f, 0, :t)").bindparams(*typed),
            {**when, "f": False})
        for seq, action, data in ((1, "register", intake),
                                  (2, "dispatch", '{"technician": "张建国"}')):
            conn.execute(text(
                "INSERT INTO ticket_event (ticket_id, seq, at, recorded_at, action, by, note, "
                "data) VALUES (1, :s, :t, :t, :a, '李静', '', :d)").bindparams(*typed),
                {**when, "s": seq, "a": action, "d": data})
        conn.execute(text(
            "INSERT INTO counter (name, last) VALUES ('BX-20261122-#', 1)"))
        conn.execute(text(
            "INSERT INTO print_job (site, kind, subject, fmt, backend, printer, reprint, state, "
            "error, attempts, output, requested_by, requested_at, updated_at, detail) VALUES "
            "('XF', 'work_order', 'BX-20261122-0001', 'pdf', 'folder', '/tmp', 0, 'cancelled', "
            "'', 0, '', '李静', :t, :t, '{\"copies\": [\"存根\"]}')").bindparams(*typed), when)
    engine.dispose()
    desk = open_desk(db_url, clock=clock, config=load_config(None))
    try:
        with desk.store.read() as session:
            conn = session.connection()
            # 0009 kept each event's seal and the newest full hash on the counter
            from repairdesk.store import chain

            seals = conn.execute(text("SELECT seal FROM ticket_event ORDER BY id")).scalars()
            head = conn.execute(text("SELECT head FROM counter WHERE name = '#ticket_event'"))
            from repairdesk.store.tables import TicketEvent

            first = session.exec(select(TicketEvent).where(TicketEvent.seq == 1)).one()
            h1 = chain.event_hash(first, "BX-20261122-0001", chain.GENESIS)
            dialect = desk.store.dialect
            assert list(seals) == [chain.seal_of(h1, dialect),
                                   chain.seal_of(head.scalar(), dialect)]
            if desk.store.dialect == "sqlite":  # 0011: the text times became microseconds
                assert first.at == t and conn.execute(text(
                    "SELECT DISTINCT typeof(at) || typeof(recorded_at) FROM ticket_event")
                ).scalars().all() == ["integerinteger"]
            counted = dict(conn.execute(text("SELECT name, last FROM counter")).all())
            assert counted["#ticket_event"] == 2 and counted["#print_job"] == 1
        assert verify_book(desk).problem is None
        hold_desk(desk)
        register_ticket(desk, IntakeForm(room="3-2-1502", caller="李女士", content="灯不亮"),
                        "李静")
        assert verify_book(desk).problem is None
        with pytest.raises(Refused):  # the guarding triggers came with the upgrade
            with desk.store.write() as session:
                session.connection().execute(text("DELETE FROM print_job"))
        if desk.store.dialect == "sqlite":
            with desk.store.write() as session:
                c = session.connection()
                c.execute(text("DROP TRIGGER ticket_event_no_update"))
                c.execute(text("UPDATE ticket_event SET note = 'x' WHERE id = 1"))
            problem = verify_book(desk).problem or ""
            assert "ticket event 1 (BX-20261122-0001" in problem
    finally:
        desk.close()


def test_0012_stores_ticket_times_as_integers_and_indexes_open_tickets_only(
        db_url: str, clock) -> None:
    """A book at 0011 (ticket times as DATETIME text on SQLite, every ticket in the status
    index) with an open and a closed ticket: the upgrade keeps every time to the microsecond,
    the partial index holds the open ticket only and answers the desk's open-work query, the
    board and the search see the same tickets, and the book verifies."""
    from holding import hold_desk
    from repairdesk.services.integrity import verify_book
    from repairdesk.services.tickets import search_tickets, void_ticket, working_set
    from repairdesk.store.tables import OPEN_WHERE

    desk = open_desk(db_url, clock=clock, config=load_config(None))
    hold_desk(desk)
    open_no = register_ticket(desk, IntakeForm(room="3-2-1501", caller="王先生",
                                               content="厨房水管漏水"), "李静").ticket_no
    clock.advance(minutes=7, seconds=0.123456)
    gone = register_ticket(desk, IntakeForm(room="3-2-1502", caller="李女士",
                                            content="厨房水管漏水"), "李静").ticket_no
    void_ticket(desk, gone, "重复来电", "李静")
    before = {r.ticket_no: (r.intake.received_at, r.registered_at) for r in working_set(desk)}
    desk.close()
    with book_at(db_url, "0011") as conn:  # back to the book 0011 left
        names = {i["name"] for i in inspect(conn).get_indexes("ticket")}
        assert "ix_ticket_status_received" in names and "ix_ticket_open" not in names
        if conn.dialect.name == "sqlite":
            assert conn.execute(text("SELECT DISTINCT typeof(received_at) || typeof("
                                     "last_event_at) FROM ticket")).scalars().all() == ["texttext"]
    desk = open_desk(db_url, clock=clock, config=load_config(None))
    try:
        after = {r.ticket_no: (r.intake.received_at, r.registered_at) for r in working_set(desk)}
        assert after == before and after[gone][0].microsecond == 123456
        assert {r.ticket_no for r in search_tickets(desk, "漏水")[0]} == {open_no, gone}
        with desk.store.read() as session:
            conn = session.connection()
            names = {i["name"] for i in inspect(conn).get_indexes("ticket")}
            assert "ix_ticket_open" in names and "ix_ticket_status_received" not in names
            if conn.dialect.name == "sqlite":
                assert conn.execute(text(
                    "SELECT DISTINCT typeof(received_at) || typeof(registered_at) || "
                    "typeof(last_event_at) FROM ticket")).scalars().all() == [
                        "integerintegerinteger"]
                plan = " ".join(str(r[-1]) for r in conn.execute(text(
                    f"EXPLAIN QUERY PLAN SELECT id FROM ticket WHERE {OPEN_WHERE} "
                    "ORDER BY received_at")))
                assert "ix_ticket_open" in plan, plan
            assert conn.execute(text(
                f"SELECT ticket_no FROM ticket WHERE {OPEN_WHERE}")).scalars().all() == [open_no]
        assert verify_book(desk).problem is None
    finally:
        desk.close()


def test_0013_stores_events_compactly_and_their_seals_still_verify(db_url: str, clock,
                                                                 english) -> None:
    """A book at 0012 (on SQLite each event's action by name, recorded_at as a time, no data as
    '{}') whose events were sealed then: the upgrade stores the action's code, recorded_at's lag
    after `at` and no data as '', keeps every value and id, makes the side-step index over the
    codes and the append-only triggers again, and every seal still verifies against the
    counter's head (what a handover's stored heads and printed anchors hold); a changed event
    is still named."""
    from datetime import timedelta

    from holding import hold_desk
    from repairdesk.services.integrity import verify_book
    from repairdesk.domain.enums import Role
    from repairdesk.services.staff import add_staff_unchecked
    from repairdesk.services.tickets import arrive_ticket, dispatch_ticket, void_ticket
    from repairdesk.store.schema_check import schema_differences
    from repairdesk.store.tables import TicketEvent

    desk = open_desk(db_url, clock=clock, config=load_config(None))
    add_staff_unchecked(desk, "张建国", Role.TECHNICIAN, "13900000011")
    hold_desk(desk)
    no = register_ticket(desk, IntakeForm(room="3-2-1501", caller="王先生",
                                          content="厨房水管漏水"), "李静").ticket_no
    clock.advance(minutes=3)
    dispatch_ticket(desk, no, "张建国", "李静")
    clock.advance(minutes=40)
    arrive_ticket(desk, no, "张建国", at=clock.now() - timedelta(minutes=10, microseconds=7))
    gone = register_ticket(desk, IntakeForm(room="3-2-1502", caller="李女士",
                                            content="灯不亮"), "李静").ticket_no
    void_ticket(desk, gone, "重复来电", "李静")

    def events() -> tuple[list[tuple], dict]:
        from repairdesk.store.chain import heads

        with desk.store.read() as session:
            return [(e.id, e.ticket_id, e.seq, e.at, e.recorded_at, e.action, e.by, e.note,
                     e.data, e.seal) for e in session.exec(select(TicketEvent))], heads(
                session.connection())

    before = events()
    desk.close()
    with book_at(db_url, "0012") as conn:  # back to the book 0012 left
        if conn.dialect.name == "sqlite":
            stored = conn.execute(text(
                "SELECT action, recorded_at - at, data FROM ticket_event ORDER BY id")).all()
            assert [r[0] for r in stored] == ["register", "dispatch", "arrive", "register",
                                              "void"]
            assert [r[1] for r in stored] == [0, 0, 600_000_007, 0, 0]
            assert stored[2][2] == "{}"
    desk = open_desk(db_url, clock=clock, config=load_config(None))
    try:
        assert events() == before
        with desk.store.read() as session:
            conn = session.connection()
            if conn.dialect.name == "sqlite":
                assert schema_differences(conn) == []
                stored = conn.execute(text(
                    "SELECT typeof(action), action, recorded_at, data FROM ticket_event "
                    "ORDER BY id")).all()
                assert [tuple(r[:3]) for r in stored] == [
                    ("integer", 0, 0), ("integer", 1, 0), ("integer", 2, 600_000_007),
                    ("integer", 0, 0), ("integer", 14, 0)]
                assert stored[2][3] == ""
                plan = " ".join(str(r[-1]) for r in conn.execute(text(
                    "EXPLAIN QUERY PLAN SELECT ticket_id FROM ticket_event "
                    "WHERE action IN (14, 18, 21)")))
                assert "ix_ticket_event_side" in plan, plan
        assert verify_book(desk).problem is None
        register_ticket(desk, IntakeForm(room="3-2-1503", caller="王先生", content="漏水"),
                        "李静")
        assert verify_book(desk).problem is None
        with pytest.raises(StoreError):  # the triggers came back
            with desk.store.write() as session:
                session.connection().execute(text("UPDATE ticket_event SET note = 'x'"))
        if desk.store.dialect == "sqlite":
            with desk.store.write() as session:
                c = session.connection()
                c.execute(text("DROP TRIGGER ticket_event_no_update"))
                c.execute(text("UPDATE ticket_event SET recorded_at = 1 WHERE id = 2"))
            assert f"ticket event 2 ({no} step 2)" in (verify_book(desk).problem or "")
    finally:
        desk.close()


def test_0014_narrows_a_sqlite_books_seals_and_the_place_index(db_url: str, clock) -> None:
    """A book at 0013 holds 8-byte seals (the first 8 bytes of each event's hash) and the
    (room, category, received_at) index: the upgrade keeps the first 4 bytes on SQLite (8 on
    PostgreSQL, whose BIGINT takes 8 anyway), swaps the index for (room, received_at), and the
    book verifies, finds a repeat call, and names an event changed afterwards."""
    from holding import hold_desk
    from repairdesk.services.integrity import verify_book
    from repairdesk.store import chain

    desk = open_desk(db_url, clock=clock, config=load_config(None))
    hold_desk(desk)
    first = register_ticket(desk, IntakeForm(room="3-2-1501", caller="王先生", category="水",
                                             content="厨房水管漏水"), "李静").ticket_no
    desk.close()
    with book_at(db_url, "0013") as conn:
        head = conn.execute(text(
            "SELECT head FROM counter WHERE name = '#ticket_event'")).scalar()
        seal = conn.execute(text("SELECT seal FROM ticket_event ORDER BY id DESC")).scalar()
        assert seal == int.from_bytes(bytes.fromhex(head[:16]), "big", signed=True)
        names = {i["name"] for i in inspect(conn).get_indexes("ticket")}
        assert "ix_ticket_place_category" in names and "ix_ticket_place" not in names
    desk = open_desk(db_url, clock=clock, config=load_config(None))
    try:
        dialect = desk.store.dialect
        with desk.store.read() as session:
            conn = session.connection()
            seal = conn.execute(text("SELECT seal FROM ticket_event ORDER BY id DESC")).scalar()
            width = 4 if dialect == "sqlite" else 8
            assert seal == int.from_bytes(bytes.fromhex(head[:2 * width]), "big", signed=True)
            assert seal == chain.seal_of(head, dialect)
            names = {i["name"] for i in inspect(conn).get_indexes("ticket")}
            assert "ix_ticket_place" in names and "ix_ticket_place_category" not in names
        assert verify_book(desk).problem is None
        clock.advance(minutes=30)
        again = register_ticket(desk, IntakeForm(room="3-2-1501", caller="王先生", category="水",
                                                 content="又漏水了"), "李静")
        assert again.repeat_of == first  # the repeat check reads the new index
        assert verify_book(desk).problem is None
        if dialect == "sqlite":
            with desk.store.write() as session:
                c = session.connection()
                c.execute(text("DROP TRIGGER ticket_event_no_update"))
                c.execute(text("UPDATE ticket_event SET note = 'x' WHERE id = 1"))
            assert "工单事件 1（" in (verify_book(desk).problem or "")
    finally:
        desk.close()
