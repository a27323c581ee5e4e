// The architectural state of one ARMv7-A core in a fixed layout.
//
// Swift does not promise the field offsets of a class, and generated code
// (the coming JIT) must address guest state from one pinned host register
// with constant displacements. So the state the instruction stream reads and
// writes lives here, in a C struct whose layout the C ABI fixes, allocated
// once per core. The Swift core (ARMv7.Core) exposes the same fields under
// their usual names; `GuestStateLayoutTests` checks the offsets below.
#ifndef ARMVISOR_GUEST_STATE_H
#define ARMVISOR_GUEST_STATE_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct ARMGuestState {
    // R0-R15 of the current mode. R15 holds the address of the current
    // instruction plus 8 (A32) or plus 4 (T32) while it executes.
    uint32_t r[16];
    // Address of the instruction being executed, and where execution
    // continues after it.
    uint32_t pc;
    uint32_t next_pc;
    // Condition flags in computation-friendly form: N = nf bit 31,
    // Z = (zf == 0), C = cf (0 or 1), V = vf bit 31, Q = qf (0 or 1),
    // GE = ge (4 bits). Generated code stores results without packing.
    uint32_t nf;
    uint32_t zf;
    uint32_t cf;
    uint32_t vf;
    uint32_t qf;
    uint32_t ge;
    // ITSTATE (8 bits), CPSR.A/I/F in their PSR positions, CPSR.M.
    uint32_t it_state;
    uint32_t aif;
    uint32_t mode;
    // CPSR.T and CPSR.E.
    bool thumb;
    bool big_endian;
    uint8_t reserved0[2];
    // Banked R13, R14 and SPSR per register bank (0 = User/System, 1 = FIQ,
    // 2 = IRQ, 3 = SVC, 4 = ABT, 5 = UND, 6 = Hyp, 7 unused); R8-R12 of the
    // User bank while FIQ is current and of FIQ otherwise (5 used).
    uint32_t banked_sp[8];
    uint32_t banked_lr[8];
    uint32_t banked_spsr[8];
    uint32_t other_r8_12[8];
    // ELR_hyp.
    uint32_t elr_hyp;
    // FPSCR and FPEXC.
    uint32_t fpscr;
    uint32_t fpexc;
    uint32_t reserved1;
    // Instructions retired since the core was created.
    uint64_t instruction_count;
    uint64_t reserved2;
    // D0-D31 (S2n and S2n+1 are the low and high halves of Dn); 16-byte
    // aligned so Q registers can be moved with aligned vector instructions.
    _Alignas(16) uint64_t d[32];
} ARMGuestState;

// Offsets generated code relies on; a change here is a deliberate ABI change
// (update the JIT's displacements with it).
_Static_assert(offsetof(ARMGuestState, r) == 0, "r");
_Static_assert(offsetof(ARMGuestState, pc) == 64, "pc");
_Static_assert(offsetof(ARMGuestState, nf) == 72, "nf");
_Static_assert(offsetof(ARMGuestState, ge) == 92, "ge");
_Static_assert(offsetof(ARMGuestState, it_state) == 96, "it_state");
_Static_assert(offsetof(ARMGuestState, banked_sp) == 112, "banked_sp");
_Static_assert(offsetof(ARMGuestState, elr_hyp) == 240, "elr_hyp");
_Static_assert(offsetof(ARMGuestState, instruction_count) == 256, "instruction_count");
_Static_assert(offsetof(ARMGuestState, d) == 272, "d");
_Static_assert(sizeof(ARMGuestState) == 528, "size");

// The translator's per-core context lives next to the state it addresses.
#include "JITContext.h"

#endif
