#define _GNU_SOURCE
#include "CHostMemory.h"

#include <sys/syscall.h>
#include <unistd.h>

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif

int armvisor_memfd_create(const char *name) {
    // The raw syscall works even where the libc wrapper is missing (old glibc).
    return (int)syscall(SYS_memfd_create, name, MFD_CLOEXEC);
}

void armvisor_store32_atomic(void *field, unsigned int value) {
    __atomic_store_n((unsigned int *)field, value, __ATOMIC_RELAXED);
}
