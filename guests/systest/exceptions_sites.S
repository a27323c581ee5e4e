@ Exception "sites": each function opens A/I/F, sets NZCV from r0, executes
@ exactly one exception-causing instruction at a global label (so the test
@ knows its address), and returns the CPSR seen after the exception return.

    .syntax unified
    .arm
    .text

.macro SITE name, insn
    .global \name, \name\()_at
\name:
    push    {lr}                 @ an SVC taken in SVC mode overwrites lr_svc
    cpsie   aif
    msr     cpsr_f, r0
\name\()_at:
    \insn
    mrs     r0, cpsr
    cpsid   aif
    pop     {pc}
.endm

    SITE site_udf, "udf #0x1234"
    SITE site_unalloc, ".word 0xe6000010"      @ parallel add/sub op1=00: unallocated
    SITE site_svc, "svc #0x42"
    SITE site_svceq, "svceq #0x43"             @ condition fails when Z=0
    SITE site_bkpt, "bkpt #0x7"
    SITE site_ldr_abort, "ldr r1, [r1]"        @ r1 = address from the caller
    SITE site_str_abort, "str r2, [r1]"
