@ Only for running guests on QEMU with -M virt,virtualization=on (needed to
@ exercise Virtualization-Extension instructions there): QEMU then starts
@ us in Hyp mode and its PSCI conduit is SMC.  Drop to SVC, and leave a Hyp
@ vector whose every entry forwards to PSCI via SMC, so power_off's HVC
@ still powers the machine off.  Under Armvisor we start in SVC and this
@ code does nothing.

    .syntax unified
    .arm
    .section .text.boot, "ax"
    .global leave_hyp
leave_hyp:                           @ clobbers r0, r1; returns in SVC mode
    mrs     r0, cpsr
    and     r0, r0, #0x1f
    cmp     r0, #0x1a
    bxne    lr
    ldr     r0, =hyp_stub_vectors
    mcr     p15, 4, r0, c12, c0, 0   @ HVBAR
    mov     r0, #0x1d3               @ SVC, A/I/F masked
    msr     spsr_fsxc, r0            @ SPSR_hyp (we are in Hyp)
    msr     elr_hyp, lr
    eret

    .balign 32
hyp_stub_vectors:
    .rept 8
    b       hyp_stub_psci
    .endr
hyp_stub_psci:
    smc     #0
    b       hyp_stub_psci
