"""The SQLite schema as an ordered list of migrations, tracked in `PRAGMA user_version`.

Each assistant is one row: its full canonical form as a msgspec-encoded JSON document (`doc`) plus
the columns that filtering and sorting need. Metadata containment search goes through
`metadata_leaves`, one row per scalar leaf, so a filter is a few index probes, never a scan.
Never edit a released migration; append a new one.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: assistants, their history, and the metadata leaf index.
    """
    CREATE TABLE assistants (
        pk INTEGER PRIMARY KEY,
        tenant TEXT NOT NULL,
        assistant_id TEXT NOT NULL,
        owner TEXT NOT NULL,
        name_folded TEXT NOT NULL,
        description_folded TEXT,
        graph_id TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        doc BLOB NOT NULL
    );
    CREATE UNIQUE INDEX assistants_by_id ON assistants (tenant, assistant_id);
    CREATE INDEX assistants_by_created ON assistants (tenant, created_at, pk);
    CREATE INDEX assistants_by_updated ON assistants (tenant, updated_at, pk);
    CREATE INDEX assistants_by_graph ON assistants (tenant, graph_id);

    CREATE TABLE assistant_versions (
        pk INTEGER NOT NULL REFERENCES assistants (pk) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        doc BLOB NOT NULL,
        PRIMARY KEY (pk, version)
    ) WITHOUT ROWID;

    CREATE TABLE assistant_metadata (
        path TEXT NOT NULL,
        value TEXT NOT NULL,
        pk INTEGER NOT NULL REFERENCES assistants (pk) ON DELETE CASCADE,
        PRIMARY KEY (path, value, pk)
    ) WITHOUT ROWID;
    CREATE INDEX assistant_metadata_by_pk ON assistant_metadata (pk);
    """,
    # 2: uploaded attachments: the record as a document, the bytes beside it.
    """
    CREATE TABLE attachments (
        pk INTEGER PRIMARY KEY,
        tenant TEXT NOT NULL,
        attachment_id TEXT NOT NULL,
        doc BLOB NOT NULL,
        content BLOB NOT NULL
    );
    CREATE UNIQUE INDEX attachments_by_id ON attachments (tenant, attachment_id);
    """,
    # 3: the metadata index keyed by tenant and ordered by creation time within each leaf, so that a
    # filter never walks another tenant's rows, a count is one covering range, and the newest-first
    # page of a filter is read off the index (created_at never changes, so updates do not move it).
    # No index on pk and no foreign key: the store deletes an assistant's rows by their full keys,
    # computed from its stored metadata, which spares every create one index entry per leaf.
    """
    CREATE TABLE metadata_leaves (
        tenant TEXT NOT NULL,
        path TEXT NOT NULL,
        value TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        pk INTEGER NOT NULL,
        PRIMARY KEY (tenant, path, value, created_at, pk)
    ) WITHOUT ROWID;
    INSERT INTO metadata_leaves (tenant, path, value, created_at, pk)
        SELECT a.tenant, m.path, m.value, a.created_at, m.pk
        FROM assistant_metadata m JOIN assistants a ON a.pk = m.pk;
    DROP TABLE assistant_metadata;
    """,
    # 4: lookup keys that dialects derive from an assistant (e.g. Aegra's one assistant per owner,
    # graph and config), so that a rule across assistants is one index probe, not a scan. Which
    # function made a kind's keys is recorded: a kind whose function changed is rebuilt at start-up.
    """
    CREATE TABLE lookup_keys (
        tenant TEXT NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        pk INTEGER NOT NULL,
        PRIMARY KEY (tenant, kind, key, created_at, pk)
    ) WITHOUT ROWID;
    CREATE TABLE lookup_kinds (kind TEXT PRIMARY KEY, signature TEXT NOT NULL);
    """,
    # 5: versions in write order (a rowid table: a new version lands on the table's last page) found
    # through a compact (pk, version) index. Clustered by (pk, version), a PATCH put a ~700-byte
    # snapshot on a random full page, splitting it: eleven pages written per PATCH, now four.
    """
    CREATE TABLE assistant_versions_v5 (
        seq INTEGER PRIMARY KEY,
        pk INTEGER NOT NULL REFERENCES assistants (pk) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        doc BLOB NOT NULL
    );
    INSERT INTO assistant_versions_v5 (pk, version, created_at, doc)
        SELECT pk, version, created_at, doc FROM assistant_versions ORDER BY pk, version;
    DROP TABLE assistant_versions;
    ALTER TABLE assistant_versions_v5 RENAME TO assistant_versions;
    CREATE UNIQUE INDEX assistant_versions_by_pk ON assistant_versions (pk, version);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database up to `SCHEMA_VERSION`, one transaction per migration; returns the old version.

    A database written by a newer gateway is refused rather than misread.
    """
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise RuntimeError(
            f"database schema version {current} is newer than this gateway understands ({SCHEMA_VERSION})"
        )
    for number in range(current + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return current


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
