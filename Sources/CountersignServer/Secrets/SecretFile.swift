import Foundation

/// A secret read from a file of its own (`--mail-password-file`), so that it need not appear on a command line, where
/// every user of the machine can read it in `ps`. The file must be readable by its owner only, as ssh requires of a key.
public enum SecretFile {
    /// The file's content without its final line break; refuses a file the group or others can read.
    public static func read(_ path: String) throws -> String {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw ServerError("cannot read the secret file \(path): it does not exist or cannot be reached")
        }
        let mode = (attributes[.posixPermissions] as? Int) ?? 0o777
        guard mode & 0o077 == 0 else {
            throw ServerError(String(format: "the secret file %@ has mode %04o: the group or others can read it. Run `chmod 600 %@`", path, mode, path))
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ServerError("cannot read the secret file \(path) as UTF-8 text")
        }
        return text.hasSuffix("\r\n") ? String(text.dropLast(2)) : text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
