import CProcess
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Delivers mail by handing it to the local MTA's `sendmail` program (`sendmail -i -f SENDER -- RECIPIENT`,
/// message on standard input). The recipient is an argument, never passed through a shell. A program still running at
/// the queue's deadline is killed and the delivery fails.
public struct SendmailMailTransport: MailTransport {
    public let program: String
    public let sender: String

    public init(program: String = "/usr/sbin/sendmail", sender: String) {
        self.program = program
        self.sender = sender
        // A program that exits before reading the whole message must fail the delivery (EPIPE), not kill
        // the service with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
    }

    public func deliver(_ message: MailMessage, within deadline: Duration) async throws {
        let text = try message.rendered(from: sender)
        let arguments = [program, "-i", "-f", sender, "--", message.recipient]
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.run(arguments, input: Array(text.utf8), deadline: deadline) })
            }
        }
    }

    /// Runs the program with `input` on its standard input and waits for it, killing it at `deadline`; blocking, on
    /// its own thread.
    private static func run(_ arguments: [String], input: [UInt8], deadline: Duration) throws {
        var pipeEnds: [Int32] = [-1, -1]
        // Close-on-exec, so that a sendmail started by another worker at the same moment does not inherit this pipe's
        // write end and keep this one from ever seeing the end of its input (dup2 onto stdin clears the flag).
        guard countersign_pipe_cloexec(&pipeEnds) == 0 else { throw MailDeliveryError("pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        // An MTA's refusal quotes the recipient on stdout or stderr; it must not reach the service's log.
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        // A minimal environment: the service's own holds database and SMTP passwords.
        let environment: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), nil]
        defer { environment.forEach { free($0) } }
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environment)
        close(pipeEnds[0])
        guard spawned == 0 else {
            close(pipeEnds[1])
            throw MailDeliveryError("cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        // The watchdog kills the program at the deadline, unless it exited. The child is not reaped until `exited` is
        // set under the same lock, so its pid cannot have been reused by the time the watchdog kills it.
        let state = Mutex((exited: false, killed: false))
        let child = pid
        let seconds = Double(deadline.components.seconds) + Double(deadline.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            state.withLock { state in
                guard !state.exited else { return }
                state.killed = true
                kill(child, SIGKILL)
            }
        }
        var written = 0
        input.withUnsafeBytes { bytes in
            while written < bytes.count, let base = bytes.baseAddress {
                let count = write(pipeEnds[1], base + written, bytes.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                written += count
            }
        }
        close(pipeEnds[1])
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        let killed = state.withLock { state in
            state.exited = true
            return state.killed
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard !killed else { throw MailDeliveryError("\(arguments[0]) did not finish within \(deadline); it was killed") }
        guard written == input.count, status == 0 else {
            throw MailDeliveryError("\(arguments[0]) failed with status \(status)")
        }
    }
}
