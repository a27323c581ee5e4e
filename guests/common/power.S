@ Power off through PSCI SYSTEM_OFF (function id 0x84000008), HVC conduit,
@ as on QEMU's virt board when it has no EL2/EL3 of its own.

    .syntax unified
    .arm
    .text
    .global power_off
power_off:
    ldr     r0, =0x84000008
    hvc     #0
1:  wfi                                  @ never reached if PSCI works
    b       1b
