@ Helpers for banked.c.  A register block (u32[19]) is laid out as
@   [0..4] r8-r12_fiq  [5] sp_fiq  [6] lr_fiq  [7] spsr_fiq
@   [8] sp_irq [9] lr_irq [10] spsr_irq   [11..13] the same for ABT
@   [14..16] the same for UND            [17] sp_usr [18] lr_usr
@ Only r0-r7 (never banked) are used as pointers while switching modes.

    .syntax unified
    .arm
    .text

@ Write every bank by switching into its mode with CPS.
    .global bank_set_cps
bank_set_cps:
    mrs     r3, cpsr
    cps     #0x11
    ldm     r0, {r8-r12}
    ldr     sp, [r0, #20]
    ldr     lr, [r0, #24]
    ldr     r1, [r0, #28]
    msr     spsr_fsxc, r1
    cps     #0x12
    ldr     sp, [r0, #32]
    ldr     lr, [r0, #36]
    ldr     r1, [r0, #40]
    msr     spsr_fsxc, r1
    cps     #0x17
    ldr     sp, [r0, #44]
    ldr     lr, [r0, #48]
    ldr     r1, [r0, #52]
    msr     spsr_fsxc, r1
    cps     #0x1b
    ldr     sp, [r0, #56]
    ldr     lr, [r0, #60]
    ldr     r1, [r0, #64]
    msr     spsr_fsxc, r1
    cps     #0x1f
    ldr     sp, [r0, #68]
    ldr     lr, [r0, #72]
    msr     cpsr_c, r3
    bx      lr

@ Read every bank by switching into its mode with CPS.
    .global bank_get_cps
bank_get_cps:
    mrs     r3, cpsr
    cps     #0x11
    stm     r0, {r8-r12}
    str     sp, [r0, #20]
    str     lr, [r0, #24]
    mrs     r1, spsr
    str     r1, [r0, #28]
    cps     #0x12
    str     sp, [r0, #32]
    str     lr, [r0, #36]
    mrs     r1, spsr
    str     r1, [r0, #40]
    cps     #0x17
    str     sp, [r0, #44]
    str     lr, [r0, #48]
    mrs     r1, spsr
    str     r1, [r0, #52]
    cps     #0x1b
    str     sp, [r0, #56]
    str     lr, [r0, #60]
    mrs     r1, spsr
    str     r1, [r0, #64]
    cps     #0x1f
    str     sp, [r0, #68]
    str     lr, [r0, #72]
    msr     cpsr_c, r3
    bx      lr

@ Write every bank from SVC mode with the banked MSR form (Virtualization
@ Extensions).  r8-r12 of the current (SVC) mode must not change.
    .global bank_set_msr
bank_set_msr:
    ldr     r1, [r0, #0];  msr r8_fiq, r1
    ldr     r1, [r0, #4];  msr r9_fiq, r1
    ldr     r1, [r0, #8];  msr r10_fiq, r1
    ldr     r1, [r0, #12]; msr r11_fiq, r1
    ldr     r1, [r0, #16]; msr r12_fiq, r1
    ldr     r1, [r0, #20]; msr sp_fiq, r1
    ldr     r1, [r0, #24]; msr lr_fiq, r1
    ldr     r1, [r0, #28]; msr spsr_fiq, r1
    ldr     r1, [r0, #32]; msr sp_irq, r1
    ldr     r1, [r0, #36]; msr lr_irq, r1
    ldr     r1, [r0, #40]; msr spsr_irq, r1
    ldr     r1, [r0, #44]; msr sp_abt, r1
    ldr     r1, [r0, #48]; msr lr_abt, r1
    ldr     r1, [r0, #52]; msr spsr_abt, r1
    ldr     r1, [r0, #56]; msr sp_und, r1
    ldr     r1, [r0, #60]; msr lr_und, r1
    ldr     r1, [r0, #64]; msr spsr_und, r1
    ldr     r1, [r0, #68]; msr sp_usr, r1
    ldr     r1, [r0, #72]; msr lr_usr, r1
    bx      lr

@ Read every bank from SVC mode with the banked MRS form.
    .global bank_get_mrs
bank_get_mrs:
    mrs     r1, r8_fiq;   str r1, [r0, #0]
    mrs     r1, r9_fiq;   str r1, [r0, #4]
    mrs     r1, r10_fiq;  str r1, [r0, #8]
    mrs     r1, r11_fiq;  str r1, [r0, #12]
    mrs     r1, r12_fiq;  str r1, [r0, #16]
    mrs     r1, sp_fiq;   str r1, [r0, #20]
    mrs     r1, lr_fiq;   str r1, [r0, #24]
    mrs     r1, spsr_fiq; str r1, [r0, #28]
    mrs     r1, sp_irq;   str r1, [r0, #32]
    mrs     r1, lr_irq;   str r1, [r0, #36]
    mrs     r1, spsr_irq; str r1, [r0, #40]
    mrs     r1, sp_abt;   str r1, [r0, #44]
    mrs     r1, lr_abt;   str r1, [r0, #48]
    mrs     r1, spsr_abt; str r1, [r0, #52]
    mrs     r1, sp_und;   str r1, [r0, #56]
    mrs     r1, lr_und;   str r1, [r0, #60]
    mrs     r1, spsr_und; str r1, [r0, #64]
    mrs     r1, sp_usr;   str r1, [r0, #68]
    mrs     r1, lr_usr;   str r1, [r0, #72]
    bx      lr

@ u32 svc_r8_after_fiq_write(u32 v): put v in SVC r8, scribble over FIQ r8
@ (and the User r8 seen from FIQ via MRS), return SVC r8 as now seen.
    .global svc_r8_after_fiq_write
svc_r8_after_fiq_write:
    push    {r8, lr}
    mov     r8, r0
    mrs     r3, cpsr
    cps     #0x11
    mvn     r8, r0
    mrs     r2, r8_usr           @ from FIQ, r8_usr is SVC's r8
    msr     cpsr_c, r3
    cmp     r2, r8
    movne   r0, #0
    moveq   r0, r8
    pop     {r8, pc}

@ u32 spsr_svc_roundtrip(u32 v): SVC's own SPSR via plain MSR/MRS.
    .global spsr_svc_roundtrip
spsr_svc_roundtrip:
    mrs     r2, spsr
    msr     spsr_fsxc, r0
    mrs     r0, spsr
    msr     spsr_fsxc, r2
    bx      lr
