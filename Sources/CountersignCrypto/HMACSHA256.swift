import COpenSSL
import Synchronization

/// An HMAC-SHA256 key, ready to authenticate messages through OpenSSL's `EVP_MAC`.
///
/// The key is set once, on a template `EVP_MAC_CTX`. Each message takes a keyed context from a small pool
/// (duplicating the template when the pool is empty), resets it with `EVP_MAC_init(ctx, NULL, 0, NULL)`,
/// which keeps the key schedule, and returns it afterwards. So the hot path neither re-fetches the algorithm
/// nor re-keys nor allocates a context, which is also how `openssl speed -hmac` measures.
///
/// This is a final class around OpenSSL pointers, hence `@unchecked Sendable`: the template is only read
/// (by `EVP_MAC_CTX_dup`, which takes it as `const`), and a pooled context is used by one caller at a time,
/// handed over under the pool's mutex.
public final class HMACSHA256: @unchecked Sendable {
    /// The length of an HMAC-SHA256 output, in bytes.
    public static let outputLength = 32
    /// Contexts kept for reuse; more concurrent callers than this allocate and free their own.
    private static let poolLimit = 16

    private let template: OpaquePointer
    private let pool = Mutex<[Context]>([])

    /// Owns one keyed `EVP_MAC_CTX` duplicated from the template; used by one caller at a time.
    private final class Context: @unchecked Sendable {
        let pointer: OpaquePointer

        init(duplicating template: OpaquePointer) throws(CryptoError) {
            guard let pointer = EVP_MAC_CTX_dup(template) else { throw .openSSL("EVP_MAC_CTX_dup") }
            self.pointer = pointer
        }

        deinit { EVP_MAC_CTX_free(pointer) }
    }

    /// Keys a new HMAC-SHA256 context. The key must not be empty.
    ///
    /// OpenSSL keeps its own copy of the key schedule in the context and wipes it when the context is freed.
    public init(key: SecretBytes) throws(CryptoError) {
        guard key.count > 0 else { throw CryptoError(.invalidKeyLength, reason: "an HMAC key must not be empty") }
        guard let context = EVP_MAC_CTX_new(try FetchedAlgorithm.hmac.handle()) else { throw .openSSL("EVP_MAC_CTX_new") }
        let keyed = key.withUnsafeBytes { bytes in
            countersign_hmac_sha256_init(context, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count)
        }
        guard keyed == 1 else {
            EVP_MAC_CTX_free(context)
            throw .openSSL("EVP_MAC_init")
        }
        self.template = context
    }

    deinit { EVP_MAC_CTX_free(template) }

    /// The message being authenticated, fed in pieces by the closure given to ``HMACSHA256/authenticate(_:)-(Message)``.
    public struct Message: ~Copyable {
        fileprivate let context: OpaquePointer
        fileprivate var succeeded = true

        /// Appends `bytes` to the message.
        public mutating func update(_ bytes: [UInt8]) {
            guard succeeded, !bytes.isEmpty else { return }
            succeeded = EVP_MAC_update(context, bytes, bytes.count) == 1
        }

        /// Appends the UTF-8 bytes of `text` to the message, without copying them into an array.
        public mutating func update(utf8 text: String) {
            var text = text
            text.withUTF8 { buffer in
                guard succeeded, let base = buffer.baseAddress else { return }
                succeeded = EVP_MAC_update(context, base, buffer.count) == 1
            }
        }
    }

    /// HMAC-SHA256 of the message that `feed` writes, piece by piece.
    public func authenticate(_ feed: (inout Message) -> Void) throws(CryptoError) -> [UInt8] {
        let context = if let pooled = pool.withLock({ $0.popLast() }) { pooled } else { try Context(duplicating: template) }
        var message = Message(context: context.pointer, succeeded: EVP_MAC_init(context.pointer, nil, 0, nil) == 1)
        feed(&message)
        var output = [UInt8](repeating: 0, count: Self.outputLength)
        var written = 0
        // A context that failed mid-way is dropped rather than pooled.
        guard message.succeeded, EVP_MAC_final(context.pointer, &output, &written, output.count) == 1, written == Self.outputLength else {
            throw .openSSL("HMAC-SHA256")
        }
        pool.withLock { contexts in
            if contexts.count < Self.poolLimit { contexts.append(context) }
        }
        return output
    }

    /// HMAC-SHA256 of the concatenation of `parts`, without building the concatenation.
    public func authenticate(_ parts: [UInt8]...) throws(CryptoError) -> [UInt8] {
        try authenticate { message in
            for part in parts { message.update(part) }
        }
    }
}
