import Foundation

/// The development transport: prints what kind of mail went out and its link, never the recipient, so that
/// a person running `make run` can confirm from the console.
public struct LogMailTransport: MailTransport {
    private let print: @Sendable (String) -> Void

    /// - Parameter print: where lines go; by default straight to stdout, unbuffered, so a link shows at once.
    public init(print: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }) {
        self.print = print
    }

    public func deliver(_ message: MailMessage, within deadline: Duration) async throws {
        print("mail (\(message.kindName)): \(message.link ?? "no link")")
    }
}
