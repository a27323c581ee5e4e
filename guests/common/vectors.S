@ Vector table and exception entry stubs.
@ Each stub saves a frame, lets exc_dispatch() (C) inspect and rewrite it,
@ then returns.  The four synchronous vectors deliberately use the four
@ ARMv7 exception-return forms so every guest exercises all of them:
@   UND -> MOVS pc, lr      SVC  -> LDM {..,pc}^
@   DABT-> SUBS pc, lr, #4  PABT -> RFE
@ Frame (8-byte aligned, see exc.h): spsr, pad, r0-r12, return address.

    .syntax unified
    .arm
    .section .text.vectors, "ax"
    .global _start, exc_vectors
_start:
exc_vectors:
    b       reset
    b       und_entry
    b       svc_entry
    b       pabt_entry
    b       dabt_entry
    b       hyp_entry            @ unused slot (Hyp trap vector in Hyp mode)
    b       irq_entry
    b       fiq_entry

@ Build the frame and call exc_dispatch(vector, frame, cpsr_on_entry).
@ CPSR is sampled before any flag-setting instruction can run.
.macro SAVE_AND_DISPATCH vec
    stmfd   sp!, {r0-r12, lr}
    mrs     r2, cpsr
    mrs     r0, spsr
    sub     sp, sp, #8
    str     r0, [sp]
    mov     r0, #\vec
    mov     r1, sp
    bl      exc_dispatch
    ldr     r0, [sp]             @ the handler may have changed the SPSR
    msr     spsr_fsxc, r0
    add     sp, sp, #8
.endm

und_entry:
    SAVE_AND_DISPATCH 1
    ldmfd   sp!, {r0-r12, lr}
    movs    pc, lr

svc_entry:
    SAVE_AND_DISPATCH 2
    ldmfd   sp!, {r0-r12, pc}^

pabt_entry:
    sub     sp, sp, #8           @ room for the RFE pair {pc, cpsr}
    SAVE_AND_DISPATCH 3
    ldr     r0, [sp, #52]
    str     r0, [sp, #56]
    mrs     r0, spsr
    str     r0, [sp, #60]
    ldmfd   sp!, {r0-r12, lr}
    rfeia   sp!

dabt_entry:
    SAVE_AND_DISPATCH 4
    ldr     r0, [sp, #52]
    add     r0, r0, #4           @ SUBS takes 4 off again
    str     r0, [sp, #52]
    ldmfd   sp!, {r0-r12, lr}
    subs    pc, lr, #4

hyp_entry:
    SAVE_AND_DISPATCH 5
    ldmfd   sp!, {r0-r12, pc}^

irq_entry:
    sub     lr, lr, #4
    SAVE_AND_DISPATCH 6
    ldmfd   sp!, {r0-r12, pc}^

fiq_entry:
    sub     lr, lr, #4
    SAVE_AND_DISPATCH 7
    ldmfd   sp!, {r0-r12, pc}^
