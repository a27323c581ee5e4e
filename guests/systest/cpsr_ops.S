@ Helpers for cpsr.c.  Each returns to the caller's mode; the User-mode
@ probes get back to SVC through an SVC whose handler rewrites the SPSR.

    .syntax unified
    .arm
    .text

@ u32 msr_mode_probe(u32 c): MSR CPSR_c, c; return the CPSR; restore it.
    .global msr_mode_probe
msr_mode_probe:
    mrs     r1, cpsr
    msr     cpsr_c, r0
    mrs     r0, cpsr
    msr     cpsr_fsxc, r1
    bx      lr

@ void user_msr_probe(u32 v): in User mode, MSR CPSR_fsxc, v; then SVC #1.
    .global user_msr_probe
user_msr_probe:
    push    {r4, lr}             @ the SVC below overwrites lr_svc
    cps     #0x10
    msr     cpsr_fsxc, r0
    svc     #1
    pop     {r4, pc}

@ void user_cps_probe(void): in User mode, CPS to SVC and CPSIE; then SVC #2.
    .global user_cps_probe
user_cps_probe:
    push    {r4, lr}
    cps     #0x10
    cps     #0x13                @ a NOP in User mode
    cpsie   aif                  @ likewise
    svc     #2
    pop     {r4, pc}
