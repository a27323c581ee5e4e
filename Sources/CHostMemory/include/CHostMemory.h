#ifndef CHOSTMEMORY_H
#define CHOSTMEMORY_H

/// Creates an anonymous memory file (memfd, close-on-exec) for the JIT's
/// double-mapped code cache. Returns the descriptor, or -1 with errno set.
/// Swift's Glibc overlay does not reliably expose memfd_create, hence this shim.
int armvisor_memfd_create(const char *name);

/// Stores `value` to the 4-aligned `field` as one atomic (relaxed) store, so
/// a thread executing the code there sees either the old or the new value.
void armvisor_store32_atomic(void *field, unsigned int value);

#endif
