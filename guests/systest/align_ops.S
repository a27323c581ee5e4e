@ One access each, so a fault is attributable.  An aborted load is skipped
@ by the handler and the function returns the marker 0xdeadbeef.

    .syntax unified
    .arm
    .text

.macro LOADER name, body
    .global \name
\name:
    mov     r1, r0
    ldr     r0, =0xdeadbeef
    mov     r2, r0
    mov     r3, r0
    \body
    bx      lr
.endm

    LOADER do_ldr, "ldr r0, [r1]"
    LOADER do_ldrh, "ldrh r0, [r1]"
    LOADER do_ldrex, "ldrex r0, [r1]; clrex"
    LOADER do_ldrd, "ldrd r2, r3, [r1]; mov r0, r2"
    LOADER do_ldm, "ldm r1, {r2, r3}; mov r0, r2"

@ void do_str(u32 addr, u32 v)
    .global do_str
do_str:
    str     r1, [r0]
    bx      lr
