import CountersignCore
import Foundation
import PostgresNIO

/// The statements of a signer's operations on PostgreSQL, prepared once per connection (PostgresNIO caches them by
/// name), so that the server parses and plans each once and not on every request. ``PostgresSignatureStore`` says how
/// the read and the write of each operation fit together.
enum SignerStatements {
    /// What ``PetitionAdmission`` decides from (the region list: the request's region is compared in Swift, so that a
    /// hostile one never reaches SQL), and whether a pseudonym (`NULL`: none asked) has signed, without a lock.
    struct ReadAdmission: PostgresPreparedStatement {
        static let name = "countersign_read_admission_v2"
        static let sql = """
            SELECT id, state, length(key_layers) / \(WrappedPetitionKey.length), regions,
                   EXISTS (SELECT 1 FROM signature s WHERE s.petition_id = petition.id AND s.pseudonym = $1)
            FROM petition WHERE slug = $2
            """
        static let bindingDataTypes: [PostgresDataType] = [.bytea, .text]
        typealias Row = (Int64, String, Int32, [String], Bool)

        var pseudonym: Data?
        var slug: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            try bindings.append(pseudonym)
            bindings.append(slug)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Upserts a pending row if the petition still has the state and layers read, under `FOR KEY SHARE`; returns one
    /// row when it wrote.
    struct StorePending: PostgresPreparedStatement {
        static let name = "countersign_store_pending_v1"
        static let sql = """
            WITH pe AS (
                SELECT id FROM petition
                WHERE id = $1 AND state = $2 AND length(key_layers) / \(WrappedPetitionKey.length) = $3
                FOR KEY SHARE
            )
            INSERT INTO pending (token_id, petition_id, pseudonym, purpose, region, expires_at, consumed)
            SELECT $4, id, $5, $6, $7, $8, false FROM pe
            ON CONFLICT (petition_id, pseudonym, purpose) DO UPDATE SET
                token_id = excluded.token_id, region = excluded.region, expires_at = excluded.expires_at, consumed = false
            RETURNING 1
            """
        static let bindingDataTypes: [PostgresDataType] = [.int8, .text, .int4, .bytea, .bytea, .int2, .text, .int8]
        typealias Row = Int32

        var petitionID: Int64
        var state: String
        var layers: Int32
        var tokenID: Data
        var pseudonym: Data
        var purpose: Int16
        var region: String?
        var expiresAt: Int64

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 8)
            bindings.append(petitionID)
            bindings.append(state)
            bindings.append(layers)
            try bindings.append(tokenID)
            try bindings.append(pseudonym)
            bindings.append(purpose)
            bindings.append(region)
            bindings.append(expiresAt)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// A token's pending row with its petition's state and layers, and the signature of its pseudonym, without a lock.
    struct ReadPending: PostgresPreparedStatement {
        static let name = "countersign_read_pending_v1"
        static let sql = """
            SELECT p.petition_id, pe.slug, pe.state, length(pe.key_layers) / \(WrappedPetitionKey.length),
                   p.pseudonym, p.region, p.expires_at, p.consumed, s.day, s.region
            FROM pending p JOIN petition pe ON pe.id = p.petition_id
            LEFT JOIN signature s ON s.petition_id = p.petition_id AND s.pseudonym = p.pseudonym
            WHERE p.token_id = $1 AND p.purpose = $2
            """
        static let bindingDataTypes: [PostgresDataType] = [.bytea, .int2]
        typealias Row = (Int64, String, String, Int32, Data?, String?, Int64, Bool, String?, String?)

        var tokenID: Data
        var purpose: Int16

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            try bindings.append(tokenID)
            bindings.append(purpose)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Uses a token if what ``ReadPending`` read still holds (the petition's state and layers under `FOR KEY SHARE`,
    /// the row unused with its pseudonym, the pseudonym's signature on the day read or absent): marks the row used
    /// and forgets its pseudonym, inserts (a confirmation, with its commitment) or deletes (a withdrawal) the
    /// signature, adds `delta` to the connection's shard of each cell named, and adds the count event (`confirm c`, or
    /// `withdraw c` for a signature that has a commitment) to the open count epoch, tagged with its number. Returns how many rows were used
    /// (0 or 1), how many signatures changed, and the open epoch's number.
    struct Consume: PostgresPreparedStatement {
        static let name = "countersign_consume_v3"
        static let sql = """
            WITH pe AS (
                SELECT id, count_epoch FROM petition
                WHERE id = $1 AND state = $2 AND length(key_layers) / \(WrappedPetitionKey.length) = $3
                FOR KEY SHARE
            ), used AS (
                UPDATE pending SET consumed = true, pseudonym = NULL, region = NULL
                WHERE token_id = $4 AND purpose = $5 AND NOT consumed AND pseudonym = $6
                  AND petition_id IN (SELECT id FROM pe)
                  AND (SELECT day FROM signature WHERE petition_id = $1 AND pseudonym = $6) IS NOT DISTINCT FROM $7
                RETURNING petition_id
            ), signed AS (
                INSERT INTO signature (petition_id, pseudonym, day, region, commitment)
                SELECT petition_id, $6, $9, $10, $14 FROM used WHERE $8
                ON CONFLICT DO NOTHING RETURNING petition_id
            ), unsigned AS (
                DELETE FROM signature WHERE NOT $8 AND petition_id IN (SELECT petition_id FROM used) AND pseudonym = $6
                RETURNING petition_id, commitment
            ), logged AS (
                INSERT INTO count_pending (petition_id, kind, commitment, hour, epoch)
                SELECT petition_id, 1, $14, $15, (SELECT count_epoch FROM pe) FROM signed
                UNION ALL SELECT petition_id, 2, commitment, $15, (SELECT count_epoch FROM pe) FROM unsigned WHERE commitment IS NOT NULL
            ), changed AS (
                SELECT petition_id FROM signed UNION ALL SELECT petition_id FROM unsigned
            ), counted AS (
                INSERT INTO count_shard (petition_id, breakdown, key, shard, count)
                SELECT petition_id, cell.breakdown, cell.key, (pg_backend_pid() % 64)::smallint, $11
                FROM changed CROSS JOIN unnest($12::text[], $13::text[]) AS cell (breakdown, key)
                ON CONFLICT (petition_id, breakdown, key, shard) DO UPDATE SET count = count_shard.count + excluded.count
            )
            SELECT (SELECT count(*) FROM used), (SELECT count(*) FROM changed), (SELECT count_epoch FROM pe)
            """
        static let bindingDataTypes: [PostgresDataType] = [
            .int8, .text, .int4, .bytea, .int2, .bytea, .text, .bool, .text, .text, .int8, .textArray, .textArray, .bytea, .int8,
        ]
        typealias Row = (Int64, Int64, Int32?)

        var petitionID: Int64
        var state: String
        var layers: Int32
        var tokenID: Data
        var purpose: Int16
        var pseudonym: Data
        /// The day of the pseudonym's signature as read, `nil` when it had none.
        var signatureDay: String?
        /// Whether this is a confirmation (insert the signature) rather than a withdrawal (delete it).
        var confirming: Bool
        var day: String
        var region: String?
        var delta: Int64
        var breakdowns: [String]
        var keys: [String]
        /// The commitment a confirmation keeps and logs; `nil` for a withdrawal, which logs the signature's.
        var commitment: Data?
        /// The UTC hour of the count event, in seconds.
        var hour: Int64

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 15)
            bindings.append(petitionID)
            bindings.append(state)
            bindings.append(layers)
            try bindings.append(tokenID)
            bindings.append(purpose)
            try bindings.append(pseudonym)
            bindings.append(signatureDay)
            bindings.append(confirming)
            bindings.append(day)
            bindings.append(region)
            bindings.append(delta)
            bindings.append(breakdowns)
            bindings.append(keys)
            try bindings.append(commitment)
            bindings.append(hour)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
