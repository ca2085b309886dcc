/// The PostgreSQL schema as versioned, hand-written migrations. `schema_migrations` records what was
/// applied; a database with a version above ``latest`` was written by a newer Countersign and is refused.
enum PostgresSchema {
    /// Each migration is a list of statements (the extended query protocol runs one statement a query).
    static let migrations: [(version: Int, statements: [String])] = [
        (1, [
            """
            CREATE TABLE petition (
                id BIGSERIAL PRIMARY KEY,
                slug TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,64}$'),
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                regions TEXT[] NOT NULL,
                salt BYTEA NOT NULL CHECK (length(salt) = 16),
                wrapped_key BYTEA CHECK (wrapped_key IS NULL OR length(wrapped_key) = 64),
                state TEXT NOT NULL CHECK (state IN ('open', 'paused', 'closed')),
                created_at BIGINT NOT NULL,
                closed_at BIGINT,
                key_shredded_at BIGINT,
                total BIGINT NOT NULL DEFAULT 0 CHECK (total >= 0)
            )
            """,
            """
            CREATE TABLE signature (
                petition_id BIGINT NOT NULL REFERENCES petition (id),
                pseudonym BYTEA NOT NULL CHECK (length(pseudonym) = 32),
                key_version INTEGER NOT NULL DEFAULT 1,
                day TEXT NOT NULL CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
                region TEXT,
                PRIMARY KEY (petition_id, pseudonym)
            )
            """,
            """
            CREATE TABLE pending (
                token_id BYTEA PRIMARY KEY CHECK (length(token_id) = 16),
                petition_id BIGINT NOT NULL REFERENCES petition (id),
                pseudonym BYTEA NOT NULL CHECK (length(pseudonym) = 32),
                purpose SMALLINT NOT NULL CHECK (purpose IN (1, 2)),
                region TEXT,
                expires_at BIGINT NOT NULL,
                consumed BOOLEAN NOT NULL DEFAULT false,
                UNIQUE (petition_id, pseudonym, purpose)
            )
            """,
            "CREATE INDEX pending_expiry ON pending (expires_at)",
            """
            CREATE TABLE day_count (
                petition_id BIGINT NOT NULL REFERENCES petition (id),
                day TEXT NOT NULL,
                count BIGINT NOT NULL CHECK (count > 0),
                PRIMARY KEY (petition_id, day)
            )
            """,
            """
            CREATE TABLE region_count (
                petition_id BIGINT NOT NULL REFERENCES petition (id),
                region TEXT NOT NULL,
                count BIGINT NOT NULL CHECK (count > 0),
                PRIMARY KEY (petition_id, region)
            )
            """,
            """
            CREATE TABLE audit_entry (
                seq BIGINT PRIMARY KEY CHECK (seq >= 0),
                entry TEXT NOT NULL
            )
            """,
        ]),
        (2, [
            "ALTER TABLE petition ADD COLUMN key_layers BYTEA NOT NULL DEFAULT '' CHECK (length(key_layers) % 64 = 0)",
            """
            CREATE TABLE access_token (
                hash BYTEA PRIMARY KEY CHECK (length(hash) = 32),
                id TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('organizer', 'auditor')),
                petition_slug TEXT,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT
            )
            """,
            "CREATE INDEX access_token_id ON access_token (id)",
            """
            CREATE TABLE release (
                petition_id BIGINT NOT NULL REFERENCES petition (id),
                seq INTEGER NOT NULL,
                breakdown TEXT NOT NULL CHECK (breakdown IN ('day', 'region')),
                epsilon_micros BIGINT CHECK (epsilon_micros IS NULL OR epsilon_micros > 0),
                released_at BIGINT NOT NULL,
                hidden TEXT[] NOT NULL DEFAULT '{}',
                completed TEXT NOT NULL DEFAULT '{}',
                PRIMARY KEY (petition_id, seq)
            )
            """,
        ]),
        // The key version of a signature was never read or written: the petition's key layers say how a pseudonym was made.
        (3, ["ALTER TABLE signature DROP COLUMN key_version"]),
        // No time beside a pseudonym finer than an hour, and a used pending row keeps only its token id.
        (4, [
            "ALTER TABLE pending ALTER COLUMN pseudonym DROP NOT NULL",
            "UPDATE pending SET pseudonym = NULL, region = NULL WHERE consumed",
            "UPDATE pending SET expires_at = (expires_at + 3599) / 3600 * 3600",
            "ALTER TABLE pending ADD CONSTRAINT pending_expiry_hour CHECK (expires_at % 3600 = 0)",
            "ALTER TABLE pending ADD CONSTRAINT pending_used_forgets CHECK (CASE WHEN consumed THEN pseudonym IS NULL AND region IS NULL ELSE pseudonym IS NOT NULL END)",
        ]),
        // Counts without hot rows: each aggregate cell (the total, a day, a region) is split into shards, one per
        // database connection (`pg_backend_pid() % 64`), so concurrent confirmations on one petition do not queue for
        // one row lock. A cell's value is the sum of its shards; a shard may go below zero (a withdrawal counted on
        // another connection than its confirmation), a cell never does.
        (5, [
            """
            CREATE TABLE count_shard (
                petition_id BIGINT NOT NULL REFERENCES petition (id),
                breakdown TEXT NOT NULL CHECK (breakdown IN ('total', 'day', 'region')),
                key TEXT NOT NULL CHECK ((breakdown = 'total') = (key = '')),
                shard SMALLINT NOT NULL CHECK (shard >= 0 AND shard < 64),
                count BIGINT NOT NULL,
                PRIMARY KEY (petition_id, breakdown, key, shard)
            )
            """,
            "INSERT INTO count_shard SELECT id, 'total', '', 0, total FROM petition WHERE total <> 0",
            "INSERT INTO count_shard SELECT petition_id, 'day', day, 0, count FROM day_count",
            "INSERT INTO count_shard SELECT petition_id, 'region', region, 0, count FROM region_count",
            "DROP TABLE day_count",
            "DROP TABLE region_count",
            "ALTER TABLE petition DROP COLUMN total",
        ]),
        // The count log (`Audit/CountLog/`): the commitment beside each signature confirmed from now on, the events
        // of each petition's open epoch, the closed epochs' entries, and how many epochs closed.
        (6, [
            "ALTER TABLE signature ADD COLUMN commitment BYTEA CHECK (commitment IS NULL OR length(commitment) = 32)",
            "ALTER TABLE petition ADD COLUMN count_epoch INTEGER NOT NULL DEFAULT 0 CHECK (count_epoch >= 0)",
            """
            CREATE TABLE count_pending (
                petition_id BIGINT NOT NULL REFERENCES petition (id),
                kind SMALLINT NOT NULL CHECK (kind IN (1, 2, 3)),
                commitment BYTEA CHECK ((kind = 3) = (commitment IS NULL) AND (commitment IS NULL OR length(commitment) = 32)),
                hour BIGINT NOT NULL CHECK (hour % 3600 = 0)
            )
            """,
            "CREATE INDEX count_pending_petition ON count_pending (petition_id)",
            """
            CREATE TABLE count_entry (
                petition_id BIGINT NOT NULL REFERENCES petition (id),
                seq BIGINT NOT NULL CHECK (seq >= 0),
                entry BYTEA NOT NULL,
                PRIMARY KEY (petition_id, seq)
            )
            """,
        ]),
        // Spent proof-of-work challenges, until they expire, so that instances sharing the database refuse a replay.
        (7, [
            """
            CREATE TABLE spent_challenge (
                digest BYTEA PRIMARY KEY CHECK (length(digest) = 32),
                expires_at BIGINT NOT NULL
            )
            """,
        ]),
        // Deciding whether a count epoch closes reads its oldest hour and whether a shred waits from indexes, so that it
        // costs the same with a surge's million events pending as with ten. The shreds' index is partial: a
        // confirmation does not write to it.
        (8, [
            "DROP INDEX count_pending_petition",
            "CREATE INDEX count_pending_petition ON count_pending (petition_id, hour)",
            "CREATE INDEX count_pending_shred ON count_pending (petition_id) WHERE kind = 3",
        ]),
        // A count epoch closes in bounded steps (`Docs/storage.md`, "Closing a count epoch"): each pending event names
        // its epoch, so that the next one fills while the last is appended; and the log's published size is kept, so
        // that a half-appended epoch is never shown. Every event pending now is in the open epoch, and every entry is
        // published.
        (9, [
            "ALTER TABLE petition ADD COLUMN count_log_size BIGINT NOT NULL DEFAULT 0 CHECK (count_log_size >= 0)",
            "UPDATE petition SET count_log_size = (SELECT coalesce(max(seq) + 1, 0) FROM count_entry WHERE petition_id = petition.id)",
            "ALTER TABLE count_pending ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0 CHECK (epoch >= 0)",
            "UPDATE count_pending SET epoch = petition.count_epoch FROM petition WHERE petition.id = count_pending.petition_id",
            // An older instance still running, which does not name the epoch, then fails its confirmations loudly
            // instead of logging events in epoch 0 (`Docs/storage.md`: stop older instances before upgrading).
            "ALTER TABLE count_pending ALTER COLUMN epoch DROP DEFAULT",
            "DROP INDEX count_pending_petition",
            "DROP INDEX count_pending_shred",
            "CREATE INDEX count_pending_epoch ON count_pending (petition_id, epoch, hour)",
            "CREATE INDEX count_pending_shred ON count_pending (petition_id, epoch) WHERE kind = 3",
        ]),
    ]

    static var latest: Int { migrations.last?.version ?? 0 }
}
