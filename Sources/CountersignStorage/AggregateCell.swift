import CountersignCore

/// Where the database stores keep one aggregate cell of a ``CountDelta``: SQLite its table, key column and key;
/// PostgreSQL the column name as the `breakdown` of a `count_shard` row, and the key.
struct AggregateCell {
    let table: String
    let column: String
    let key: String

    init(_ cell: CountDelta.Cell) {
        switch cell {
        case .day(let day): (table, column, key) = ("day_count", "day", day)
        case .region(let region): (table, column, key) = ("region_count", "region", region)
        }
    }
}
