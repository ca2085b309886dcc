import Foundation

/// Progress of a long operator command on standard error: a redrawn bar in a terminal, plain lines otherwise
/// (a log file or CI keeps one line per step instead of a screen of carriage returns).
struct ProgressBar: Sendable {
    let label: String
    private let terminal: Bool

    /// A bar for `label`; `terminal` defaults to whether standard error is a terminal.
    init(label: String, terminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.terminal = terminal
    }

    /// The text for `done` of `total`: `label [#####-----] 50% 5000/10000` in a terminal, `label: 5000/10000 (50%)` otherwise.
    func render(done: Int, total: Int) -> String {
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let percent = Int((fraction * 100).rounded(.down))
        guard terminal else { return "\(label): \(done)/\(total) (\(percent)%)\n" }
        let width = 30, filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        return "\r\(label) [\(bar)] \(percent)% \(done)/\(total)" + (done >= total ? "\n" : "")
    }

    /// Writes ``render(done:total:)`` to standard error.
    func show(done: Int, total: Int) {
        FileHandle.standardError.write(Data(render(done: done, total: total).utf8))
    }
}
