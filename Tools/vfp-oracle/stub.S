@ Runs a buffer of A32 instructions with VFP/core state loaded from a
@ struct and stores the state back. r0 = state, r1 = code (ends in bx lr).
@ State layout: d0-d7 (64 bytes), r4-r7, FPSCR, APSR.
    .syntax unified
    .arm
    .fpu vfpv4
    .global run_stub
    .type run_stub, %function
run_stub:
    push {r4-r11, lr}
    mov r8, r0
    mov r11, r1
    vldmia r8, {d0-d7}
    ldr r4, [r8, #64]
    ldr r5, [r8, #68]
    ldr r6, [r8, #72]
    ldr r7, [r8, #76]
    ldr r9, [r8, #80]
    vmsr fpscr, r9
    ldr r10, [r8, #84]
    msr APSR_nzcvq, r10
    blx r11
    vmrs r9, fpscr
    mrs r10, apsr
    vstmia r8, {d0-d7}
    str r4, [r8, #64]
    str r5, [r8, #68]
    str r6, [r8, #72]
    str r7, [r8, #76]
    str r9, [r8, #80]
    str r10, [r8, #84]
    pop {r4-r11, pc}
	.section .note.GNU-stack,"",%progbits
