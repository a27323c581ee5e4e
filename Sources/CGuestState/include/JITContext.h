// What translated code needs besides the guest state: the instruction budget
// of the current run, the exit-request word other threads set, and where an
// exit left its details. Generated code addresses it from a pinned host
// register (rbp) at the offsets asserted below.
#ifndef ARMVISOR_JIT_CONTEXT_H
#define ARMVISOR_JIT_CONTEXT_H
#include <stdint.h>
#include <stddef.h>

typedef struct ARMJITContext {
    // Instructions the current chunk may still run. A block's entry runs
    // only when its whole length fits; it subtracts its length up front and
    // gives back what it did not run when it leaves early.
    int64_t budget;
    // Nonzero: leave at the next block entry (set by other threads when
    // they invalidate this core's translations; cleared by the owner).
    uint32_t exit_request;
    uint32_t reserved0;
    // The Swift Core (unretained), first argument of every helper.
    void *core;
    // Set by a chain-request exit: offset of the rel32 field of the jump to
    // patch once the target is translated, from the start of its block.
    uint64_t chain_site;
    // Set by a chain-request exit: the index of the block that left.
    uint64_t exit_block;
    // The jump cache of the current translation regime (JumpCacheEntry
    // array): generated code looks indirect and cross-page targets up in it.
    void *jump_cache;
} ARMJITContext;

_Static_assert(offsetof(ARMJITContext, budget) == 0, "budget");
_Static_assert(offsetof(ARMJITContext, exit_request) == 8, "exit_request");
_Static_assert(offsetof(ARMJITContext, core) == 16, "core");
_Static_assert(offsetof(ARMJITContext, chain_site) == 24, "chain_site");
_Static_assert(offsetof(ARMJITContext, exit_block) == 32, "exit_block");
_Static_assert(offsetof(ARMJITContext, jump_cache) == 40, "jump_cache");

#endif
