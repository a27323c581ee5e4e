/* Exception capture: the vector stubs call exc_dispatch(), which records
 * what the core reported and decides where (and in which mode) to return. */
#ifndef EXC_H
#define EXC_H
#include "guest.h"

enum { VEC_RESET, VEC_UND, VEC_SVC, VEC_PABT, VEC_DABT, VEC_HYP, VEC_IRQ, VEC_FIQ };

struct exc_frame {
    u32 spsr;      /* written back to SPSR before returning */
    u32 pad;       /* keeps the frame 8-byte aligned */
    u32 r[13];
    u32 ret;       /* raw LR on entry; the return address on exit */
};

struct exc_record {
    u32 count;     /* exceptions taken since exc_clear() */
    u32 vec;
    u32 lr;        /* raw exception LR */
    u32 spsr;
    u32 cpsr;      /* CPSR sampled as the first thing in the handler */
    u32 dfsr, dfar, ifsr, ifar;
};

extern volatile struct exc_record exc_last;
/* One-shot return address override, for faults that cannot be skipped
 * (a fetch from a non-executable page). */
extern volatile u32 exc_resume;
/* Optional per-test hook run after recording; it may edit the frame. */
extern void (*volatile exc_hook)(u32 vec, struct exc_frame *f);

/* Exceptions are fatal (FAIL + power off) until exc_clear() says the
 * running test expects some; t_begin() makes them fatal again. */
extern volatile u32 exc_expected;
void exc_clear(void);

#endif
