#ifndef COUNTERSIGN_CPROCESS_SHIM_H
#define COUNTERSIGN_CPROCESS_SHIM_H

#include <sys/prctl.h>

// prctl is variadic, which Swift cannot call; these wrappers pass its arguments.

/// Makes the process non-dumpable: no core file, and no ptrace or /proc/PID/mem access by other processes of the same
/// user, so that keys and addresses in memory do not leak through a crash dump.
static inline int countersign_disable_dumps(void) {
    return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/// Whether the process may be dumped (1) or not (0); -1 on failure.
static inline int countersign_dumpable(void) {
    return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
}

#endif
