import CountersignCore

/// Where both database stores keep one aggregate cell of a ``CountDelta``: its table, its key column and its key.
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
