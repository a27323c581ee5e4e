@ Linux entry: the kernel gives us a valid sp; keep it 8-byte aligned.
    .syntax unified
    .arm
    .text
    .global _start
_start:
    bic     sp, sp, #7
    bl      linux_main
    .section .note.GNU-stack,"",%progbits
