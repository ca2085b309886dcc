import Foundation

/// A log a witness cosigns (`countersign witness serve --log ORIGIN=VERIFIER`): its origin and the log keys it trusts
/// for it. Two keys for one origin are the old and the new after a log-key rotation; either one's signature counts.
///
/// The log also covers every origin that begins `ORIGIN/` (a service's per-petition logs), under the same keys: such a
/// checkpoint may be signed under the configured key's name or under its own origin, the name a Countersign log signs
/// with. Each such origin is a log of its own to the witness, with its own last cosigned size.
public struct WitnessedLog: Sendable, Equatable {
    public let origin: String
    public let verifiers: [SignedNote.Verifier]

    public init(origin: String, verifiers: [SignedNote.Verifier]) {
        self.origin = origin
        self.verifiers = verifiers
    }

    /// Whether `origin` is this log or one below it.
    public func covers(_ origin: String) -> Bool {
        origin == self.origin || origin.hasPrefix(self.origin + "/")
    }

    /// The keys whose signature counts on a checkpoint of `origin`: each configured key under its own name and under
    /// the checkpoint's origin.
    public func verifiers(for origin: String) -> [SignedNote.Verifier] {
        var keys: [SignedNote.Verifier] = []
        for verifier in verifiers {
            for key in [verifier, SignedNote.Verifier(name: origin, publicKey: verifier.publicKey)] where !keys.contains(key) {
                keys.append(key)
            }
        }
        return keys
    }

    /// The logs from `ORIGIN=VERIFIER` options, the verifiers of a repeated origin gathered under it.
    public static func parse(_ options: [String]) throws(AuditError) -> [WitnessedLog] {
        var logs: [WitnessedLog] = []
        for option in options {
            guard let equals = option.firstIndex(of: "="), equals != option.startIndex else {
                throw AuditError(.malformedVerifierKey, reason: "--log takes ORIGIN=VERIFIER, such as petitions.example.org/audit=petitions.example.org/audit+1a2b3c4d+AXk…")
            }
            let origin = String(option[..<equals])
            let verifier = try SignedNote.Verifier(encoded: String(option[option.index(after: equals)...]))
            if let index = logs.firstIndex(where: { $0.origin == origin }) {
                if !logs[index].verifiers.contains(verifier) { logs[index] = WitnessedLog(origin: origin, verifiers: logs[index].verifiers + [verifier]) }
            } else {
                logs.append(WitnessedLog(origin: origin, verifiers: [verifier]))
            }
        }
        return logs
    }
}
