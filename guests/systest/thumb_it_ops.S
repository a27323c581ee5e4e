@ Thumb side of systest/thumb_it.c: a Thumb vector table for SCTLR.TE = 1
@ (exceptions are then taken in Thumb state), its entry stubs, and IT
@ blocks with an SVC or a UDF in the second slot.

    .syntax unified
    .thumb
    .text

@ ---- vector table: one 32-bit B.W per entry ------------------------------
    .balign 32
    .global thumb_vectors
thumb_vectors:                           @ a data label: VBAR gets an even address
    b.w     t_reset_entry
    b.w     t_und_entry
    b.w     t_svc_entry
    b.w     t_pabt_entry
    b.w     t_dabt_entry
    b.w     t_hyp_entry
    b.w     t_irq_entry
    b.w     t_fiq_entry

@ The same frame as common/vectors.S (spsr, pad, r0-r12, return address),
@ so exc_dispatch() and the test's hook can read and edit it.  MRS reads
@ CPSR.T as 0, so the stub counts its runs instead: it only runs at all if
@ the core took the exception in Thumb state.  Every stub
@ returns with MOVS pc, lr (Thumb: SUBS pc, lr, #0), which restores CPSR
@ -- T and ITSTATE included -- from the (possibly edited) SPSR.
.macro TSTUB name, vec
    .type   \name, %function
    .thumb_func
\name:
    push    {r0-r12, lr}
    mrs     r2, cpsr                     @ before anything can change flags
    ldr     r3, =thumb_stub_runs         @ count Thumb-state handler runs
    ldr     r0, [r3]
    add     r0, r0, #1
    str     r0, [r3]
    mrs     r0, spsr
    sub     sp, sp, #8
    str     r0, [sp]
    movw    r0, #\vec
    mov     r1, sp
    bl      exc_dispatch                 @ ARM code: the linker makes it BLX
    ldr     r0, [sp]
    msr     spsr_fsxc, r0
    add     sp, sp, #8
    pop     {r0-r12, lr}
    movs    pc, lr
.endm

    TSTUB t_reset_entry, 0
    TSTUB t_und_entry, 1
    TSTUB t_svc_entry, 2
    TSTUB t_pabt_entry, 3
    TSTUB t_dabt_entry, 4
    TSTUB t_hyp_entry, 5
    TSTUB t_irq_entry, 6
    TSTUB t_fiq_entry, 7

@ ---- IT-block sites --------------------------------------------------------
@ void site(u32 nzcv, u32 out[3]):  r0 = flags to set, r1 = out.
@ Slots of ITETE EQ: 1 eq "r4 += 1", 2 ne <the exception instruction>,
@ 3 eq "r4 += 4", 4 ne "r4 += 8".  The handler hook writes r5 in the
@ exception frame.  out = {r4, r5, CPSR after the block}.
.macro ITSITE name, insn
    .global \name, \name\()_at
    .type   \name, %function
    .thumb_func
\name:
    push    {r4, r5, lr}                 @ an SVC in SVC mode overwrites lr_svc
    mov     r4, #0
    mov     r5, #0
    msr     APSR_nzcvq, r0
    itete   eq
    addeq   r4, r4, #1
\name\()_at:
    \insn
    addeq   r4, r4, #4
    addne   r4, r4, #8
    mrs     r0, cpsr
    str     r4, [r1]
    str     r5, [r1, #4]
    str     r0, [r1, #8]
    pop     {r4, r5, pc}
.endm

    ITSITE it_svc, "svcne #0x12"
    ITSITE it_udf, "udfne #0x34"
    ITSITE it_udfw, "udfne.w #0x1234"
