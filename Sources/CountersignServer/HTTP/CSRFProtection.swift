import CountersignCrypto
import Foundation

/// Stateless CSRF tokens for the HTML forms: nothing about the signer (or anyone) is stored.
///
/// A token is `HOUR.TAG`, where `HOUR` is the Unix hour it was made in and `TAG` the first 16 bytes, base64url,
/// of `HMAC-SHA256(K_csrf, "countersign/csrf/v1" ‖ 0x00 ‖ form action ‖ 0x00 ‖ HOUR)`. `K_csrf` is derived with
/// HKDF-SHA256 from the primary token key (info `countersign/csrf/v1`), so it rotates with it. A token is
/// valid for the form it was made for during ``lifetimeHours`` hours.
struct CSRFProtection: Sendable {
    static let lifetimeHours: Int64 = 2
    private static let label = Array("countersign/csrf/v1".utf8)
    private let mac: HMACSHA256

    init(keyring: Keyring) throws {
        guard let material = try keyring.primary(.token).material else {
            throw ServerError("the primary token key has no material; rotate the token key")
        }
        mac = try HMACSHA256(key: HKDF.sha256(inputKeyMaterial: material, info: Self.label, length: 32))
    }

    /// A token for the form that posts to `action`.
    func token(for action: String, at date: Date = Date()) throws -> String {
        let hour = Int64(date.timeIntervalSince1970 / 3600)
        return "\(hour)." + Base64URL.encode(try tag(action, hour))
    }

    /// Whether `token` was made for `action` within the last ``lifetimeHours`` hours.
    func verify(_ token: String?, for action: String, at date: Date = Date()) -> Bool {
        guard let token, let dot = token.firstIndex(of: "."), let hour = Int64(token[..<dot]),
            let presented = try? Base64URL.decode(String(token[token.index(after: dot)...]))
        else { return false }
        let now = Int64(date.timeIntervalSince1970 / 3600)
        guard (now - Self.lifetimeHours...now).contains(hour), let expected = try? tag(action, hour) else { return false }
        return ConstantTime.equals(expected, presented)
    }

    private func tag(_ action: String, _ hour: Int64) throws -> [UInt8] {
        Array(try mac.authenticate(Self.label + [0], Array(action.utf8) + [0], Array(String(hour).utf8)).prefix(16))
    }
}
