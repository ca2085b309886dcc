import CountersignCore
import CountersignCrypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A witness's key file (`countersign witness init --key FILE --name NAME`), readable by its owner only:
///
///     countersign-witness-key/v1
///     name NAME
///     seed HEX(32-byte Ed25519 seed)
///
/// The seed is decoded straight into ``SecretBytes``; the bytes read are wiped once parsed (the hex line's own string
/// copy is not: see `Docs/crypto.md` on the keyring, which has the same limit).
public struct WitnessKeyFile: Sendable {
    public let path: String

    static let header = "countersign-witness-key/v1"

    public init(path: String) {
        self.path = path
    }

    /// Makes a new witness key named `name` and writes it, mode 0600; refuses to replace an existing file.
    public func create(name: String) throws -> WitnessSigner {
        let signer = try WitnessSigner(name: name, key: Ed25519PrivateKey.generate())
        var text = Data("\(Self.header)\nname \(name)\nseed ".utf8)
        signer.key.seed.withUnsafeBytes { text.append(contentsOf: Array(Hex.encode($0).utf8)) }
        text.append(UInt8(ascii: "\n"))
        defer { SecretBytes.wipe(&text) }
        try PrivateFile.write(text, to: path, exclusive: true)
        return signer
    }

    /// Reads the key; refuses a file the group or others can read.
    public func load() throws -> WitnessSigner {
        try PrivateFile.checkPermissions(path, what: "the witness key")
        guard var data = FileManager.default.contents(atPath: path) else { throw ServerError("cannot read the witness key \(path)") }
        defer { SecretBytes.wipe(&data) }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3, lines[0] == Self.header, lines[1].hasPrefix("name "), lines[2].hasPrefix("seed "),
            let seed = try? SecretBytes.hex(String(lines[2].dropFirst(5))), seed.count == Ed25519PrivateKey.seedLength
        else {
            throw ServerError("\(path) is not a witness key (\(Self.header), `name NAME`, `seed HEX`); make one with `countersign witness init`")
        }
        return try WitnessSigner(name: String(lines[1].dropFirst(5)), key: Ed25519PrivateKey(seed: seed))
    }
}
