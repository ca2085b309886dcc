#ifndef COUNTERSIGN_CPROCESS_SHIM_H
#define COUNTERSIGN_CPROCESS_SHIM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

// prctl is variadic and pipe2 is not exported to Swift; these wrappers call them.

/// Makes the process non-dumpable: no core file, and no ptrace or /proc/PID/mem access by other processes of the same
/// user, so that keys and addresses in memory do not leak through a crash dump.
static inline int countersign_disable_dumps(void) {
    return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/// Whether the process may be dumped (1) or not (0); -1 on failure.
static inline int countersign_dumpable(void) {
    return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
}

/// A pipe whose two ends are close-on-exec from the start (Swift's Glibc module does not export pipe2), so that a
/// child another thread spawns at the same moment cannot inherit them.
static inline int countersign_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

#endif
