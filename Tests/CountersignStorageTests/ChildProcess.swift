import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid`, for the crash tests. Foundation's
/// `Process` was seen to miss a child's exit here and hang in `waitUntilExit`.
struct ChildProcess {
    let pid: pid_t
    /// The read end of the child's stdout, when captured.
    let output: FileHandle?

    /// Starts `path` with `arguments`; with `captureOutput`, its stdout goes to ``output`` and its stderr
    /// (connection-retry logs while a server is down) to /dev/null.
    init(_ path: String, _ arguments: [String], captureOutput: Bool = false) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var fds: [Int32] = [-1, -1]
        if captureOutput {
            guard pipe(&fds) == 0 else { throw CrashTestError("pipe failed: \(String(cString: strerror(errno)))") }
            posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
            posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, nil, argv, environ)
        if captureOutput { close(fds[1]) }
        guard status == 0 else {
            if captureOutput { close(fds[0]) }
            throw CrashTestError("cannot start \(path): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        self.output = captureOutput ? FileHandle(fileDescriptor: fds[0], closeOnDealloc: true) : nil
    }

    /// Waits for the child to exit and returns its exit status (128 + signal if a signal ended it).
    @discardableResult
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Sends SIGKILL and reaps the child.
    func kill() {
        _ = Glibc.kill(pid, SIGKILL)
        wait()
    }
}
