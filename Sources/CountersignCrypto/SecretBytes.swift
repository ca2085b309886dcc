import COpenSSL
import Foundation

/// Key bytes, in one heap allocation that this object owns and wipes with `OPENSSL_cleanse` when it goes away.
///
/// Every key the service holds (keyring material, an unwrapped petition key, a re-keying layer key) lives in
/// one of these. Value types hold a reference to it, so copying a ``KeyEntry`` or passing a key around copies
/// a pointer, never the bytes: when the last reference goes, the only copy is wiped. The bytes are written
/// straight into the allocation (by `RAND_bytes`, the hex decoder, or AES-GCM decryption), so no `[UInt8]`
/// holding them is left behind for the allocator to hand out unwiped.
///
/// What this does not cover is written down in `Docs/crypto.md`: OpenSSL's own copies inside a keyed context
/// (which OpenSSL wipes when it frees them), the keyring file's text while it is parsed, and swap (the
/// service should run with swap off or encrypted).
///
/// Immutable after `init`, hence `@unchecked Sendable`.
public final class SecretBytes: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer

    /// How many bytes the secret has; a length is public.
    public var count: Int { storage.count }

    /// A secret of `count` bytes that `initialize` writes in place.
    public init<E: Error>(count: Int, initializingWith initialize: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        storage = .allocate(byteCount: count, alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        // Every stored property is set, so if `initialize` throws, `deinit` runs and wipes what it wrote.
        try initialize(storage)
    }

    /// A copy of `bytes`. Meant for keys that are public anyway (test vectors) or that the caller wipes.
    public convenience init(copying bytes: some Collection<UInt8>) {
        self.init(count: bytes.count) { buffer in buffer.copyBytes(from: bytes) }
    }

    /// `count` bytes from OpenSSL's CSPRNG, drawn straight into the allocation.
    public static func random(count: Int) throws(CryptoError) -> SecretBytes {
        try SecretBytes(count: count) { (buffer) throws(CryptoError) in
            guard count > 0 else { return }
            guard RAND_bytes(buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(count)) == 1 else {
                throw .openSSL("RAND_bytes")
            }
        }
    }

    /// Decodes hex (either case) straight into the allocation.
    public static func hex(_ text: String) throws(CryptoError) -> SecretBytes {
        try SecretBytes(count: Hex.decodedLength(of: text)) { (buffer) throws(CryptoError) in try Hex.decode(text, into: buffer) }
    }

    deinit {
        Self.wipe(storage)
        storage.deallocate()
    }

    /// Lends the bytes to `body`, which must not keep the pointer.
    public func withUnsafeBytes<Result, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> Result) throws(E) -> Result {
        try body(UnsafeRawBufferPointer(storage))
    }

    /// The bytes in lowercase hex, for writing the keyring file.
    public var hexEncoded: String {
        withUnsafeBytes { Hex.encode($0) }
    }

    private static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        if let base = buffer.baseAddress { OPENSSL_cleanse(base, buffer.count) }
    }

    /// Wipes a buffer that held key text as read from a file (the keyring, a witness key), with `OPENSSL_cleanse`,
    /// which the compiler may not drop as a dead store.
    public static func wipe(_ data: inout Data) {
        data.withUnsafeMutableBytes { wipe($0) }
    }
}

extension SecretBytes: Equatable {
    /// Whether both hold the same bytes, compared in constant time (`CRYPTO_memcmp`).
    public static func == (lhs: SecretBytes, rhs: SecretBytes) -> Bool {
        lhs.withUnsafeBytes { l in rhs.withUnsafeBytes { r in ConstantTime.equals(l, r) } }
    }
}

extension SecretBytes: CustomStringConvertible, CustomReflectable {
    /// Never the bytes: a secret cannot reach a log by interpolation or `dump`.
    public var description: String { "SecretBytes(\(count) bytes)" }

    public var customMirror: Mirror { Mirror(self, children: ["count": count]) }
}
