@ VFP trap sites for systest/vfp_trap.c.  Each site is one VFP instruction
@ at a global label so the test knows its address; the C side runs soft
@ float and never touches VFP itself.

    .syntax unified
    .arm
    .fpu    vfpv3-d16
    .text

.macro FUNC name
    .global \name
    .type   \name, %function
\name:
.endm

FUNC fpexc_read
    vmrs    r0, fpexc
    bx      lr
FUNC fpexc_write
    vmsr    fpexc, r0
    isb
    bx      lr

@ d0 = 0, d1 = 1.5, d2 = 2.25, d3 = 0 (VFP must be enabled)
FUNC vfp_setup
    mov     r0, #0
    vmov    d0, r0, r0
    vmov    d3, r0, r0
    vmov.f64 d1, #1.5
    vmov.f64 d2, #2.25
    bx      lr
FUNC vfp_get_d0                          @ u64
    vmov    r0, r1, d0
    bx      lr
FUNC vfp_get_d3
    vmov    r0, r1, d3
    bx      lr

@ ---- the sites ----------------------------------------------------------
    .global site_vadd_at, site_vldr_at, site_fpscr_at, site_fpexc_at
    .global site_fpsid_at, site_mvfr0_at, site_t_vadd_at
FUNC site_vadd                           @ d0 = d1 + d2
site_vadd_at:
    vadd.f64 d0, d1, d2
    bx      lr

FUNC site_vldr                           @ d3 = *(double *)r0
site_vldr_at:
    vldr    d3, [r0]
    bx      lr

FUNC site_fpscr                          @ r0 = sentinel in, FPSCR out
site_fpscr_at:
    vmrs    r0, fpscr
    bx      lr

FUNC site_fpexc
site_fpexc_at:
    vmrs    r0, fpexc
    bx      lr

FUNC site_fpsid
site_fpsid_at:
    vmrs    r0, fpsid
    bx      lr

FUNC site_mvfr0
site_mvfr0_at:
    vmrs    r0, mvfr0
    bx      lr

@ The same VADD in Thumb state (a 32-bit encoding: the UNDEFINED LR is the
@ instruction address + 2, i.e. its second halfword).
    .thumb
    .type   site_t_vadd, %function
    .thumb_func
    .global site_t_vadd
site_t_vadd:
site_t_vadd_at:
    vadd.f64 d0, d1, d2
    bx      lr
