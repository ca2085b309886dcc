import GRDB

/// The SQLite schema, as versioned migrations. Identifiers are `v1`, `v2`, …; a database that has applied
/// an identifier this build does not know was written by a newer Countersign and is refused.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE petition (
                    id INTEGER PRIMARY KEY,
                    slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 64 AND slug NOT GLOB '*[^a-z0-9-]*'),
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    regions TEXT NOT NULL CHECK (json_valid(regions)),
                    salt BLOB NOT NULL CHECK (length(salt) = 16),
                    wrapped_key BLOB CHECK (wrapped_key IS NULL OR length(wrapped_key) = 64),
                    state TEXT NOT NULL CHECK (state IN ('open', 'paused', 'closed')),
                    created_at INTEGER NOT NULL,
                    closed_at INTEGER,
                    key_shredded_at INTEGER,
                    total INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0)
                );
                CREATE TABLE signature (
                    petition_id INTEGER NOT NULL REFERENCES petition (id),
                    pseudonym BLOB NOT NULL CHECK (length(pseudonym) = 32),
                    key_version INTEGER NOT NULL DEFAULT 1,
                    day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
                    region TEXT,
                    PRIMARY KEY (petition_id, pseudonym)
                ) WITHOUT ROWID;
                CREATE TABLE pending (
                    token_id BLOB PRIMARY KEY CHECK (length(token_id) = 16),
                    petition_id INTEGER NOT NULL REFERENCES petition (id),
                    pseudonym BLOB NOT NULL CHECK (length(pseudonym) = 32),
                    purpose INTEGER NOT NULL CHECK (purpose IN (1, 2)),
                    region TEXT,
                    expires_at INTEGER NOT NULL,
                    consumed INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (petition_id, pseudonym, purpose)
                ) WITHOUT ROWID;
                CREATE INDEX pending_expiry ON pending (expires_at);
                CREATE TABLE day_count (
                    petition_id INTEGER NOT NULL REFERENCES petition (id),
                    day TEXT NOT NULL,
                    count INTEGER NOT NULL CHECK (count > 0),
                    PRIMARY KEY (petition_id, day)
                ) WITHOUT ROWID;
                CREATE TABLE region_count (
                    petition_id INTEGER NOT NULL REFERENCES petition (id),
                    region TEXT NOT NULL,
                    count INTEGER NOT NULL CHECK (count > 0),
                    PRIMARY KEY (petition_id, region)
                ) WITHOUT ROWID;
                CREATE TABLE audit_entry (
                    seq INTEGER PRIMARY KEY CHECK (seq >= 0),
                    entry TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                ALTER TABLE petition ADD COLUMN key_layers BLOB NOT NULL DEFAULT x'' CHECK (length(key_layers) % 64 = 0);
                CREATE TABLE access_token (
                    hash BLOB PRIMARY KEY CHECK (length(hash) = 32),
                    id TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('organizer', 'auditor')),
                    petition_slug TEXT,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                ) WITHOUT ROWID;
                CREATE INDEX access_token_id ON access_token (id);
                CREATE TABLE release (
                    petition_id INTEGER NOT NULL REFERENCES petition (id),
                    seq INTEGER NOT NULL,
                    breakdown TEXT NOT NULL CHECK (breakdown IN ('day', 'region')),
                    epsilon_micros INTEGER CHECK (epsilon_micros IS NULL OR epsilon_micros > 0),
                    released_at INTEGER NOT NULL,
                    hidden TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(hidden)),
                    completed TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(completed)),
                    PRIMARY KEY (petition_id, seq)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v3") { db in
            // The key version of a signature was never read or written: the petition's key layers say how a pseudonym
            // was made.
            try db.execute(sql: "ALTER TABLE signature DROP COLUMN key_version")
        }
        migrator.registerMigration("v4") { db in
            // No time beside a pseudonym finer than an hour, and a used pending row keeps only its token id. SQLite
            // cannot relax NOT NULL in place, so the table is rebuilt.
            try db.execute(sql: """
                CREATE TABLE pending_v4 (
                    token_id BLOB PRIMARY KEY CHECK (length(token_id) = 16),
                    petition_id INTEGER NOT NULL REFERENCES petition (id),
                    pseudonym BLOB CHECK (pseudonym IS NULL OR length(pseudonym) = 32),
                    purpose INTEGER NOT NULL CHECK (purpose IN (1, 2)),
                    region TEXT,
                    expires_at INTEGER NOT NULL CHECK (expires_at % 3600 = 0),
                    consumed INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (petition_id, pseudonym, purpose),
                    CHECK (consumed = 1 OR pseudonym IS NOT NULL),
                    CHECK (consumed = 0 OR (pseudonym IS NULL AND region IS NULL))
                ) WITHOUT ROWID;
                INSERT INTO pending_v4
                    SELECT token_id, petition_id, CASE WHEN consumed = 1 THEN NULL ELSE pseudonym END, purpose,
                           CASE WHEN consumed = 1 THEN NULL ELSE region END, (expires_at + 3599) / 3600 * 3600, consumed
                    FROM pending;
                DROP TABLE pending;
                ALTER TABLE pending_v4 RENAME TO pending;
                CREATE INDEX pending_expiry ON pending (expires_at);
                """)
        }
        migrator.registerMigration("v5") { db in
            // The count log (`Audit/CountLog/`): the commitment beside each signature confirmed from now on, the
            // events of each petition's open epoch, the closed epochs' entries, and how many epochs closed.
            try db.execute(sql: """
                ALTER TABLE signature ADD COLUMN commitment BLOB CHECK (commitment IS NULL OR length(commitment) = 32);
                ALTER TABLE petition ADD COLUMN count_epoch INTEGER NOT NULL DEFAULT 0 CHECK (count_epoch >= 0);
                CREATE TABLE count_pending (
                    petition_id INTEGER NOT NULL REFERENCES petition (id),
                    kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
                    commitment BLOB CHECK ((kind = 3) = (commitment IS NULL) AND (commitment IS NULL OR length(commitment) = 32)),
                    hour INTEGER NOT NULL CHECK (hour % 3600 = 0)
                );
                CREATE INDEX count_pending_petition ON count_pending (petition_id);
                CREATE TABLE count_entry (
                    petition_id INTEGER NOT NULL REFERENCES petition (id),
                    seq INTEGER NOT NULL CHECK (seq >= 0),
                    entry BLOB NOT NULL,
                    PRIMARY KEY (petition_id, seq)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v6") { db in
            // Deciding whether a count epoch closes reads its oldest hour and whether a shred waits from indexes, so that
            // it costs the same with a surge's million events pending as with ten (issue 12). The shreds' index is
            // partial: a confirmation does not write to it.
            try db.execute(sql: """
                DROP INDEX count_pending_petition;
                CREATE INDEX count_pending_petition ON count_pending (petition_id, hour);
                CREATE INDEX count_pending_shred ON count_pending (petition_id) WHERE kind = 3;
                """)
        }
        migrator.registerMigration("v7") { db in
            // A count epoch closes in bounded steps (`Docs/storage.md`, "Closing a count epoch"): each pending event
            // names its epoch, so that the next one fills while the last is appended; and the log's published size is
            // kept, so that a half-appended epoch is never shown. Every event pending now is in the open epoch, and
            // every entry is published.
            try db.execute(sql: """
                ALTER TABLE petition ADD COLUMN count_log_size INTEGER NOT NULL DEFAULT 0 CHECK (count_log_size >= 0);
                UPDATE petition SET count_log_size = (SELECT coalesce(max(seq) + 1, 0) FROM count_entry WHERE petition_id = petition.id);
                ALTER TABLE count_pending ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0 CHECK (epoch >= 0);
                UPDATE count_pending SET epoch = (SELECT count_epoch FROM petition WHERE id = count_pending.petition_id);
                DROP INDEX count_pending_petition;
                DROP INDEX count_pending_shred;
                CREATE INDEX count_pending_epoch ON count_pending (petition_id, epoch, hour);
                CREATE INDEX count_pending_shred ON count_pending (petition_id, epoch) WHERE kind = 3;
                """)
        }
        return migrator
    }
}
