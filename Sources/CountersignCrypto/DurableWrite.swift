import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a whole buffer to a file descriptor, retrying short writes and `EINTR`, then `fsync`s it: the one write
/// loop behind the keyring file and the witness's private files.
public enum DurableWrite {
    /// Whether every byte of `data` reached `descriptor` and was synced; `errno` says why not.
    public static func all(_ data: Data, to descriptor: Int32) -> Bool {
        let written = data.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < buffer.count {
                let count = write(descriptor, base + offset, buffer.count - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        return written && fsync(descriptor) == 0
    }
}
