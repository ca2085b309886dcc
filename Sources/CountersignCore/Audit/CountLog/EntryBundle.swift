/// A C2SP tlog-tiles entry bundle: the entries behind one level-0 tile, each as a big-endian uint16 length and then
/// its bytes. A count-log leaf is at most 61 bytes, far below the 65,535 a length can say.
public enum EntryBundle {
    /// The bundle of `entries`.
    public static func encode(_ entries: some Sequence<[UInt8]>) throws(CountLogError) -> [UInt8] {
        var bytes: [UInt8] = []
        for entry in entries {
            guard entry.count <= Int(UInt16.max) else {
                throw CountLogError(.malformedTile, reason: "an entry of \(entry.count) bytes does not fit an entry bundle (65,535 at most)")
            }
            bytes += [UInt8(entry.count >> 8), UInt8(entry.count & 0xFF)] + entry
        }
        return bytes
    }

    /// The entries of a bundle; throws if it ends inside an entry.
    public static func decode(_ bytes: [UInt8]) throws(CountLogError) -> [[UInt8]] {
        var entries: [[UInt8]] = []
        var position = 0
        while position < bytes.count {
            guard position + 2 <= bytes.count else {
                throw CountLogError(.malformedTile, reason: "the entry bundle ends inside a length: fetch it again")
            }
            let length = Int(bytes[position]) << 8 | Int(bytes[position + 1])
            position += 2
            guard position + length <= bytes.count else {
                throw CountLogError(.malformedTile, reason: "the entry bundle ends inside an entry: fetch it again")
            }
            entries.append(Array(bytes[position..<(position + length)]))
            position += length
        }
        return entries
    }
}
