import CProcess

/// What `serve` does to its own process before it holds any secret.
public enum ProcessHardening {
    /// Makes the process non-dumpable (`PR_SET_DUMPABLE` 0): no core file and no debugger or `/proc/PID/mem` access by
    /// other processes of the same user, so that keys, tokens and addresses in memory cannot leak through a dump.
    public static func disableDumps() throws {
        guard countersign_disable_dumps() == 0 else { throw ServerError("prctl(PR_SET_DUMPABLE, 0) failed; the process could be dumped") }
    }

    /// Whether the process may be dumped.
    public static var dumpable: Bool { countersign_dumpable() != 0 }
}
