/* VFP enable controls and the lazy-switch pattern (ARM ARM: CPACR, FPEXC,
 * enabling Advanced SIMD and floating-point support):
 *  - FPEXC.EN = 0: a VFP data-processing instruction, a VLDR and VMRS of
 *    FPSCR are UNDEFINED (handler runs in Undefined mode, LR = insn + 4 in
 *    ARM state, + 2 in Thumb state); VMRS of FPEXC, FPSID and MVFR0 still
 *    works at PL1.
 *  - lazy switch: the handler sets FPEXC.EN and returns to the same
 *    instruction, which then executes with the operands it had.
 *  - CPACR cp10/cp11 = 0b00: the same instructions, and even VMRS FPEXC,
 *    are UNDEFINED whatever FPEXC.EN says.
 * The C code is soft float; VFP is touched only in vfp_trap_ops.S. */
#include "../common/test.h"
#include "../common/exc.h"

CP15_RW(cpacr, 0, c1, c0, 2)

#define FPEXC_EN (1u << 30)
#define CPACR_VFP (0xfu << 20)          /* cp10, cp11 = full access */
#define D_1_5_PLUS_2_25 0x400e000000000000ull   /* 3.75 */

u32 fpexc_read(void);
void fpexc_write(u32 v);
void vfp_setup(void);
u64 vfp_get_d0(void), vfp_get_d3(void);
void site_vadd(void), site_t_vadd(void), site_vldr(const void *p);
u32 site_fpscr(u32 sentinel), site_fpexc(u32 sentinel);
u32 site_fpsid(u32 sentinel), site_mvfr0(u32 sentinel);
extern char site_vadd_at[], site_t_vadd_at[], site_vldr_at[], site_fpscr_at[];
extern char site_fpexc_at[], site_fpsid_at[], site_mvfr0_at[];

#define SENTINEL 0x5a5a1234u

/* Skip the trapped instruction (ARM LR is already past it; a 32-bit Thumb
 * VFP instruction needs 2 more). */
static void skip_hook(u32 vec, struct exc_frame *f) {
    if (vec == VEC_UND && (f->spsr & PSR_T))
        f->ret += 2;
}

/* The lazy-switch handler: enable VFP and re-execute the instruction. */
static u32 lazy_enables;
static void lazy_hook(u32 vec, struct exc_frame *f) {
    if (vec != VEC_UND || (fpexc_read() & FPEXC_EN))
        return;
    fpexc_write(FPEXC_EN);
    lazy_enables++;
    f->ret -= (f->spsr & PSR_T) ? 2 : 4;
}

static void expect_und(u32 lr, u32 spsr_t) {
    t_eq("count", exc_last.count, 1);
    t_eq("vector", exc_last.vec, VEC_UND);
    t_eq("lr", exc_last.lr, lr);
    t_eq("spsr mode", exc_last.spsr & (PSR_MODE | PSR_T), MODE_SVC | spsr_t);
    t_eq("handler mode", exc_last.cpsr & (PSR_MODE | PSR_T), MODE_UND);
}

static void disable_vfp(void) { fpexc_write(0); }
static void enable_vfp(void) { fpexc_write(FPEXC_EN); }

static const double three_quarters = 0.75;   /* 0x3fe8000000000000 */

int main(void) {
    /* CPACR first (its reset value is UNKNOWN), then FPEXC. */
    cpacr_write(cpacr_read() | CPACR_VFP);
    isb();
    t_begin("vfp_cpacr_enable");
    t_eq("cpacr cp10/cp11", cpacr_read() & CPACR_VFP, CPACR_VFP);
    enable_vfp();
    t_eq("fpexc.en", fpexc_read() & FPEXC_EN, FPEXC_EN);
    vfp_setup();
    site_vadd();
    t_eq("vadd hi", (u32)(vfp_get_d0() >> 32), (u32)(D_1_5_PLUS_2_25 >> 32));
    t_end();

    t_begin("vfp_disabled_vadd_undef");
    vfp_setup();
    disable_vfp();
    exc_clear();
    exc_hook = skip_hook;
    site_vadd();
    exc_hook = 0;
    expect_und((u32)site_vadd_at + 4, 0);
    t_eq("insn word", *(u32 *)(exc_last.lr - 4), 0xee310b02u);  /* vadd.f64 d0,d1,d2 */
    enable_vfp();
    t_eq("d0 untouched", (u32)(vfp_get_d0() >> 32), 0);
    t_end();

    t_begin("vfp_disabled_vldr_undef");
    vfp_setup();
    disable_vfp();
    exc_clear();
    site_vldr(&three_quarters);
    expect_und((u32)site_vldr_at + 4, 0);
    enable_vfp();
    t_eq("d3 untouched", (u32)(vfp_get_d3() >> 32), 0);
    t_end();

    t_begin("vfp_disabled_vmrs_fpscr_undef");
    disable_vfp();
    exc_clear();
    t_eq("r0", site_fpscr(SENTINEL), SENTINEL);
    expect_und((u32)site_fpscr_at + 4, 0);
    enable_vfp();
    t_end();

    t_begin("vfp_disabled_sysregs_ok");
    enable_vfp();
    u32 fpsid_on = site_fpsid(SENTINEL), mvfr0_on = site_mvfr0(SENTINEL);
    disable_vfp();
    exc_clear();
    t_eq("fpexc", site_fpexc(SENTINEL), 0);
    t_eq("fpsid", site_fpsid(SENTINEL), fpsid_on);
    t_eq("mvfr0", site_mvfr0(SENTINEL), mvfr0_on);
    t_eq("exceptions", exc_last.count, 0);
    t_eq("mvfr0 has double precision", (mvfr0_on >> 8) & 0xf, 2);
    enable_vfp();
    t_end();

    t_begin("vfp_disabled_thumb_undef");
    vfp_setup();
    disable_vfp();
    exc_clear();
    exc_hook = skip_hook;
    site_t_vadd();
    exc_hook = 0;
    expect_und(((u32)site_t_vadd_at & ~1u) + 2, PSR_T);
    enable_vfp();
    t_eq("d0 untouched", (u32)(vfp_get_d0() >> 32), 0);
    t_end();

    t_begin("vfp_lazy_enable_reexecute");
    vfp_setup();
    disable_vfp();
    exc_clear();
    lazy_enables = 0;
    exc_hook = lazy_hook;
    site_vadd();
    expect_und((u32)site_vadd_at + 4, 0);
    t_eq("enables", lazy_enables, 1);
    t_eq("fpexc.en after", fpexc_read() & FPEXC_EN, FPEXC_EN);
    t_eq("d0 hi", (u32)(vfp_get_d0() >> 32), (u32)(D_1_5_PLUS_2_25 >> 32));
    t_eq("d0 lo", (u32)vfp_get_d0(), (u32)D_1_5_PLUS_2_25);
    /* a second VFP instruction does not trap again */
    exc_clear();
    site_vldr(&three_quarters);
    t_eq("no second trap", exc_last.count, 0);
    t_eq("d3 hi", (u32)(vfp_get_d3() >> 32), 0x3fe80000u);
    exc_hook = 0;
    t_end();

    t_begin("vfp_lazy_vldr_reexecute");
    vfp_setup();
    disable_vfp();
    exc_clear();
    lazy_enables = 0;
    exc_hook = lazy_hook;
    site_vldr(&three_quarters);
    exc_hook = 0;
    expect_und((u32)site_vldr_at + 4, 0);
    t_eq("enables", lazy_enables, 1);
    t_eq("d3 hi", (u32)(vfp_get_d3() >> 32), 0x3fe80000u);
    t_end();

    t_begin("vfp_lazy_thumb_reexecute");
    vfp_setup();
    disable_vfp();
    exc_clear();
    lazy_enables = 0;
    exc_hook = lazy_hook;
    site_t_vadd();
    exc_hook = 0;
    expect_und(((u32)site_t_vadd_at & ~1u) + 2, PSR_T);
    t_eq("enables", lazy_enables, 1);
    t_eq("d0 hi", (u32)(vfp_get_d0() >> 32), (u32)(D_1_5_PLUS_2_25 >> 32));
    t_end();

    t_begin("vfp_cpacr_zero_undef");
    vfp_setup();
    enable_vfp();
    u32 saved = cpacr_read();
    cpacr_write(saved & ~CPACR_VFP);
    isb();
    exc_clear();
    site_vadd();
    expect_und((u32)site_vadd_at + 4, 0);
    exc_clear();
    t_eq("vmrs fpexc r0", site_fpexc(SENTINEL), SENTINEL);
    expect_und((u32)site_fpexc_at + 4, 0);
    exc_clear();
    site_vldr(&three_quarters);
    expect_und((u32)site_vldr_at + 4, 0);
    cpacr_write(saved);
    isb();
    t_eq("fpexc.en kept", fpexc_read() & FPEXC_EN, FPEXC_EN);
    t_eq("d0 untouched", (u32)(vfp_get_d0() >> 32), 0);
    t_eq("d3 untouched", (u32)(vfp_get_d3() >> 32), 0);
    site_vadd();
    t_eq("vadd after restore", (u32)(vfp_get_d0() >> 32), (u32)(D_1_5_PLUS_2_25 >> 32));
    t_end();

    t_done();
}
