@ Reset: entered in SVC mode, MMU off, r2 = DTB (or 0).
@ Give every PL1 mode (and System/User) its own stack, point VBAR at our
@ vector table, clear .bss, then run main(dtb) and power off.

    .syntax unified
    .arm
    .section .text.boot, "ax"
    .global reset

    .equ STACK_SMALL, 0x1000

reset:
    cpsid   aif
    mov     r4, r2                       @ keep the DTB pointer
    bl      leave_hyp                    @ QEMU virtualization=on only
    ldr     r0, =__stack_top
    cps     #0x13                        @ SVC: the large stack at the top
    mov     sp, r0
    sub     r0, r0, #0x4000
    cps     #0x11                        @ FIQ
    mov     sp, r0
    sub     r0, r0, #STACK_SMALL
    cps     #0x12                        @ IRQ
    mov     sp, r0
    sub     r0, r0, #STACK_SMALL
    cps     #0x17                        @ ABT
    mov     sp, r0
    sub     r0, r0, #STACK_SMALL
    cps     #0x1b                        @ UND
    mov     sp, r0
    sub     r0, r0, #STACK_SMALL
    cps     #0x1f                        @ SYS (shares sp with USR)
    mov     sp, r0
    cps     #0x13

    ldr     r0, =exc_vectors             @ low vectors via VBAR, not 0xffff0000
    mcr     p15, 0, r0, c12, c0, 0
    mrc     p15, 0, r0, c1, c0, 0
    bic     r0, r0, #(1 << 13)           @ SCTLR.V = 0
    mcr     p15, 0, r0, c1, c0, 0
    isb

    ldr     r0, =__bss_start
    ldr     r1, =__bss_end
    mov     r2, #0
1:  cmp     r0, r1
    strlo   r2, [r0], #4
    blo     1b

    mov     r0, r4
    bl      main
    b       power_off
