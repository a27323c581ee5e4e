@ Probes for fault tests: single faulting instructions at known places.

    .syntax unified
    .arm
    .text

@ u32 probe_call(u32 addr): call code at addr; returns its r0, or 0 if the
@ fetch aborted (the abort handler resumes at the label via exc_resume).
    .global probe_call
probe_call:
    push    {r4, lr}
    mov     r4, r0
    ldr     r1, =exc_resume
    adr     r2, 1f
    str     r2, [r1]
    mov     r0, #0
    blx     r4
1:  ldr     r1, =exc_resume
    mov     r2, #0
    str     r2, [r1]
    pop     {r4, pc}

@ u32 probe_ldrt(u32 addr): an unprivileged (PL0) load.  An aborted load is
@ skipped, returning addr.  (Rt must differ from Rn: LDRT writes back.)
    .global probe_ldrt
probe_ldrt:
    mov     r1, r0
    ldrt    r1, [r0]
    mov     r0, r1
    bx      lr
