// Valgrind 3.19 writes to the mask that rt_sigsuspend is given; libdispatch's dispatch_main passes one in read-only
// memory, which crashes Valgrind. This shim hands the kernel a writable copy. Used only to count instructions.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    int (*real)(const sigset_t *) = (int (*)(const sigset_t *))dlsym(RTLD_NEXT, "sigsuspend");
    return real(&copy);
}
