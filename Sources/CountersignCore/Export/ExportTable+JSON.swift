import Foundation

extension ExportTable {
    /// The table as one JSON object with sorted keys, in the layout that ``ExportTable`` documents.
    public func json() throws(ExportError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(Document(table: self)), as: UTF8.self)
        } catch {
            throw .encodingFailed(String(describing: error))
        }
    }

    /// The JSON object; written by hand so that `noise` and a suppressed count encode as an explicit `null`.
    private struct Document: Encodable {
        let table: ExportTable

        private enum Keys: String, CodingKey {
            case petition, by, k, total, generated, noise, cells
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(table.petition.value, forKey: .petition)
            try container.encode(table.breakdown.rawValue, forKey: .by)
            try container.encode(table.k, forKey: .k)
            try container.encode(table.total, forKey: .total)
            try container.encode(table.generated, forKey: .generated)
            if let epsilon = table.epsilon {
                try container.encode(["mechanism": "discrete-laplace", "epsilon": epsilon.description], forKey: .noise)
            } else {
                try container.encodeNil(forKey: .noise)
            }
            var cells = container.nestedUnkeyedContainer(forKey: .cells)
            for cell in table.cells {
                try cells.encode(Cell(keyName: table.breakdown.rawValue, cell: cell))
            }
        }
    }

    /// One cell, keyed `day` or `region` after the breakdown.
    private struct Cell: Encodable {
        let keyName: String
        let cell: ExportCell

        private struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(_ name: String) { stringValue = name }
            init?(stringValue: String) { self.init(stringValue) }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(cell.key, forKey: Key(keyName))
            if let count = cell.count {
                try container.encode(count, forKey: Key("signatures"))
            } else {
                try container.encodeNil(forKey: Key("signatures"))
            }
            try container.encode(cell.suppressed, forKey: Key("suppressed"))
        }
    }
}
