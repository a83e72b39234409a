"""The vault on a real PostgreSQL: the database holds only sealed bytes (its rows, its table file
and the write-ahead log), erasure leaves nothing to open, another master key opens nothing, and a
rotated master key wraps every data key again."""

from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import UUID, uuid4

import asyncpg
import pytest
import pytest_asyncio

from tvers_runtime.db.migrations import apply_migrations
from tvers_runtime.db.pool import create_pool
from tvers_runtime.domain import NotFound
from tvers_volunteers.adapters.vault import (
    MIGRATIONS,
    CannotOpen,
    Keeping,
    MasterKey,
    MasterKeys,
    PostgresVault,
    UnknownMasterKey,
    new_master_key,
)
from tvers_volunteers.domain.person import Erased, PersonalData

pytestmark = pytest.mark.servers
KEY = new_master_key()
PERSON = PersonalData(
    name="Synnøve Kvalsvik-Ålesund",
    email="synnove.kvalsvik@example.no",
    phone="+47 415 26 378",
    birth_year=1987,
)
#: What must never be found in the database's bytes, in any form it could take there.
CLEAR = ("Synnøve", "Kvalsvik", "synnove.kvalsvik", "415 26 378")


@pytest_asyncio.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    created = await create_pool(database_url, application_name="tests-vault", max_size=4)
    async with created.acquire() as connection:
        await apply_migrations(connection, [MIGRATIONS])
    yield created
    await created.close()


def vault_with(pool: asyncpg.Pool, *written: str) -> PostgresVault:
    return PostgresVault(pool, MasterKeys.parse("\n".join(written)))


async def kept(pool: asyncpg.Pool, *, request: str | None = None) -> tuple[PostgresVault, UUID]:
    vault, volunteer_id = vault_with(pool, KEY), uuid4()
    assert await vault.keep(volunteer_id, PERSON, request=request) is Keeping.NEW
    await vault.confirm(volunteer_id)
    return vault, volunteer_id


@pytest_asyncio.fixture
async def wal_start(pool: asyncpg.Pool) -> str:
    """Where the write-ahead log stood when the test began."""
    lsn: str = await pool.fetchval("SELECT pg_current_wal_lsn()::text")
    return lsn


async def database_bytes(pool: asyncpg.Pool, wal_start: str) -> dict[str, bytes]:
    """The vault's rows, its table file on disk and the write-ahead log written since
    ``wal_start``, as PostgreSQL itself reads them (the tests' role is a superuser)."""
    async with pool.acquire() as connection:
        # The log first: a checkpoint may recycle a segment it has gone past.
        segments = await connection.fetch(
            """
            SELECT pg_read_binary_file('pg_wal/' || name) AS wal FROM pg_ls_waldir()
            WHERE name ~ '^[0-9A-F]{24}$'
                AND name BETWEEN pg_walfile_name($1::text::pg_lsn)
                    AND pg_walfile_name(pg_current_wal_lsn())
            ORDER BY name
            """,
            wal_start,
        )
        await connection.execute("CHECKPOINT")
        rows = await connection.fetch("SELECT * FROM volunteer_vault")
        table = await connection.fetchval(
            "SELECT pg_read_binary_file(pg_relation_filepath('volunteer_vault'))"
        )
    cells = [value for row in rows for value in row.values()]
    return {
        "rows": b"|".join(c if isinstance(c, bytes) else str(c).encode() for c in cells),
        "table file": table,
        "write-ahead log": b"".join(segment["wal"] for segment in segments),
    }


def assert_nothing_in_clear(found: dict[str, bytes]) -> None:
    for where, data in found.items():
        for text in CLEAR:
            for encoded in {text.encode(), text.encode("utf-16-le"), text.encode("latin-1")}:
                assert encoded not in data, f"{text!r} found in the vault's {where}"


async def test_the_database_holds_nothing_of_the_person_in_clear(
    pool: asyncpg.Pool, wal_start: str
) -> None:
    vault, volunteer_id = await kept(pool)
    found = await database_bytes(pool, wal_start)
    assert_nothing_in_clear(found)
    # The search looks where the data is: the sealed bytes are in each place searched.
    sealed = await pool.fetchval(
        "SELECT ciphertext FROM volunteer_vault WHERE volunteer_id = $1", volunteer_id
    )
    assert all(sealed in data for data in found.values())
    assert await vault.read(volunteer_id) == PERSON


async def test_erasure_leaves_nothing_to_open_and_the_id_is_never_filled_again(
    pool: asyncpg.Pool, wal_start: str
) -> None:
    vault, volunteer_id = await kept(pool)
    await vault.erase(volunteer_id)
    with pytest.raises(Erased):
        await vault.read(volunteer_id)
    row = await pool.fetchrow("SELECT * FROM volunteer_vault WHERE volunteer_id = $1", volunteer_id)
    assert row is not None
    assert (row["wrapped_key"], row["ciphertext"], row["master_key_id"]) == (None, None, None)
    await vault.erase(volunteer_id)  # again: nothing changes, nothing fails
    assert await vault.keep(volunteer_id, PERSON, request=None) is Keeping.KEPT
    with pytest.raises(Erased):
        await vault.read(volunteer_id)
    assert_nothing_in_clear(await database_bytes(pool, wal_start))


async def test_another_master_key_opens_nothing(pool: asyncpg.Pool) -> None:
    _, volunteer_id = await kept(pool)
    with pytest.raises(UnknownMasterKey):
        await vault_with(pool, new_master_key()).read(volunteer_id)
    ours = MasterKeys.parse(KEY).current
    impostor = MasterKey(ours.key_id, MasterKeys.parse(new_master_key()).current.secret)
    with pytest.raises(CannotOpen):
        await PostgresVault(pool, MasterKeys(impostor)).read(volunteer_id)


async def test_a_row_copied_onto_another_volunteer_does_not_open(pool: asyncpg.Pool) -> None:
    vault, ola = await kept(pool)
    _, kari = await kept(pool)
    await pool.execute(
        """
        UPDATE volunteer_vault AS kari SET wrapped_key = ola.wrapped_key,
            ciphertext = ola.ciphertext
        FROM volunteer_vault AS ola WHERE kari.volunteer_id = $1 AND ola.volunteer_id = $2
        """,
        kari,
        ola,
    )
    with pytest.raises(CannotOpen):
        await vault.read(kari)


async def test_a_rotated_master_key_wraps_every_data_key_again(pool: asyncpg.Pool) -> None:
    old_vault, volunteer_id = await kept(pool)
    new_key = new_master_key()
    rotated = vault_with(pool, new_key, KEY)
    before = await pool.fetchval(
        "SELECT ciphertext FROM volunteer_vault WHERE volunteer_id = $1", volunteer_id
    )
    assert await rotated.rewrap(batch=1) == 1
    assert await rotated.rewrap() == 0
    new_id = MasterKeys.parse(new_key).current.key_id
    assert await rotated.master_key_ids() == {new_id: 1}
    # The retired key can go: the new one alone opens it, and the ciphertext was not touched.
    assert await vault_with(pool, new_key).read(volunteer_id) == PERSON
    with pytest.raises(UnknownMasterKey):
        await old_vault.read(volunteer_id)
    assert before == await pool.fetchval(
        "SELECT ciphertext FROM volunteer_vault WHERE volunteer_id = $1", volunteer_id
    )


async def test_a_repeat_of_the_same_request_finds_its_row_and_another_request_finds_it_taken(
    pool: asyncpg.Pool,
) -> None:
    vault, volunteer_id = vault_with(pool, KEY), uuid4()
    assert await vault.keep(volunteer_id, PERSON, request="first") is Keeping.NEW
    assert await vault.keep(volunteer_id, PERSON, request="first") is Keeping.KEPT
    other = PersonalData("Ola Nordmann", "ola@example.no", None, 1990)
    assert await vault.keep(volunteer_id, other, request="second") is Keeping.TAKEN
    assert await vault.keep(volunteer_id, other, request=None) is Keeping.TAKEN
    assert await vault.read(volunteer_id) == PERSON
    await vault.confirm(volunteer_id)  # registered: the request is forgotten with it
    assert await pool.fetchval("SELECT request_fingerprint FROM volunteer_vault") is None
    assert await vault.keep(volunteer_id, other, request="second") is Keeping.KEPT
    assert await vault.read(volunteer_id) == PERSON


async def test_unregistered_rows_are_listed_until_confirmed_or_forgotten(
    pool: asyncpg.Pool,
) -> None:
    vault = vault_with(pool, KEY)
    registered, abandoned = uuid4(), uuid4()
    for volunteer_id in (registered, abandoned):
        await vault.keep(volunteer_id, PERSON, request=None)
    assert await vault.unregistered(older_than=timedelta(hours=1)) == []
    assert set(await vault.unregistered(older_than=timedelta(0))) == {registered, abandoned}
    await vault.confirm(registered)
    await vault.forget(registered)  # a registered row is never forgotten
    await vault.forget(abandoned)
    assert await vault.unregistered(older_than=timedelta(0)) == []
    assert await vault.read(registered) == PERSON
    with pytest.raises(NotFound):
        await vault.read(abandoned)
