@ Start-up path for guests that use VFP (hard-float C code).  start.S is
@ unchanged: it calls main, which for these guests is the shim below.  The
@ shim enables VFP before any compiled code runs (compiled code may touch
@ d8-d15 in a prologue), then tail-calls the guest's C entry fp_main.
@
@   CPACR.cp10/cp11 = 0b11 (full access), ISB so it takes effect,
@   FPEXC.EN = 1, FPSCR = 0 (round to nearest, no flush-to-zero, no
@   default NaN; its reset value is UNKNOWN).

    .syntax unified
    .arm
    .fpu    vfpv3-d16
    .text

    .global vfp_enable
    .type   vfp_enable, %function
vfp_enable:                              @ clobbers r0
    mrc     p15, 0, r0, c1, c0, 2        @ CPACR
    orr     r0, r0, #(0xf << 20)
    mcr     p15, 0, r0, c1, c0, 2
    isb
    mov     r0, #0x40000000              @ FPEXC.EN
    vmsr    fpexc, r0
    mov     r0, #0
    vmsr    fpscr, r0
    bx      lr
    .size   vfp_enable, . - vfp_enable

    .global main
    .type   main, %function
main:                                    @ r0 = DTB, passed on untouched
    mov     r1, r0
    push    {r1, lr}
    bl      vfp_enable
    pop     {r0, lr}
    ldr     ip, =fp_main                 @ C code is Thumb: interwork via BX
    bx      ip
    .size   main, . - main
