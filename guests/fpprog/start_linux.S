@ Linux entry for the VFP guests (static, no libc): the kernel has already
@ enabled VFP for user mode; set FPSCR = 0 exactly as the bare-metal
@ start-up does, align sp, and run fp_linux_main (Thumb C code).
    .syntax unified
    .arm
    .fpu    vfpv3-d16
    .text
    .global _start
    .type   _start, %function
_start:
    bic     sp, sp, #7
    mov     r0, #0
    vmsr    fpscr, r0
    ldr     ip, =fp_linux_main
    blx     ip
1:  b       1b
    .section .note.GNU-stack,"",%progbits
