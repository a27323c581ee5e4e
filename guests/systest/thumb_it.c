/* Exceptions taken inside a Thumb IT block, with SCTLR.TE = 1 so the
 * handlers run in Thumb state (ARM ARM: ITSTATE, exception entry and
 * return, SCTLR.TE):
 *  - SVC in slot 2 of ITETE EQ: LR = SVC + 2, SPSR.T = 1 and SPSR.IT holds
 *    the ITSTATE of the *next* instruction (SVC returns past itself);
 *    MOVS pc, lr resumes the block and slots 3/4 obey their conditions.
 *  - UDF (16-bit and 32-bit UDF.W) in slot 2: LR = UDF + 2 (the Thumb
 *    offset, even for a 32-bit instruction), SPSR.IT holds the ITSTATE of
 *    the UDF itself; the handler steps over it the way an emulator does
 *    (LR += 2 for a 32-bit encoding, advance SPSR.IT), then the block
 *    continues correctly.
 *  - the Thumb handler runs (MRS reads CPSR.T and IT as 0, so the Thumb
 *    stubs count their runs instead).
 *  - with the slot-2 condition failing, neither instruction traps. */
#include "../common/test.h"
#include "../common/exc.h"

#define SCTLR_TE (1u << 30)
#define PSR_IT_MASK 0x0600fc00u
#define FLAG_Z 0x40000000u

extern char thumb_vectors[], exc_vectors[];
volatile u32 thumb_stub_runs;            /* bumped by the Thumb entry stubs */
extern char it_svc_at[], it_udf_at[], it_udfw_at[];
void it_svc(u32 nzcv, u32 *out), it_udf(u32 nzcv, u32 *out), it_udfw(u32 nzcv, u32 *out);

static u32 itstate(u32 psr) { return ((psr >> 25) & 3u) | ((psr >> 8) & 0xfcu); }
static u32 with_itstate(u32 psr, u32 it) {
    return (psr & ~PSR_IT_MASK) | ((it & 3u) << 25) | ((it & 0xfcu) << 8);
}
/* ITAdvance() of the ARM ARM */
static u32 it_advance(u32 it) {
    if ((it & 7u) == 0)
        return 0;
    return (it & 0xe0u) | ((it << 1) & 0x1fu);
}

static u32 handler_marker;
static void it_hook(u32 vec, struct exc_frame *f) {
    f->r[5] = handler_marker;            /* visible to the block after return */
    if (vec != VEC_UND)
        return;
    /* step over the UNDEFINED instruction: LR points 2 bytes into it */
    unsigned short first = *(volatile unsigned short *)(f->ret - 2);
    if ((first >> 11) >= 0x1d)           /* 0b11101, 0b11110, 0b11111: 32-bit */
        f->ret += 2;
    f->spsr = with_itstate(f->spsr, it_advance(itstate(f->spsr)));
}

/* ITETE EQ: ITSTATE 0x0b at slot 1, 0x16 at slot 2, 0x0c at slot 3. */
#define IT_SLOT2 0x16u
#define IT_SLOT3 0x0cu

static void run_taken(const char *name, void (*site)(u32, u32 *), u32 vec,
                      u32 want_it, u32 want_lr) {
    u32 out[3];
    t_begin(name);
    exc_clear();
    thumb_stub_runs = 0;
    handler_marker = 0x20u + vec;
    exc_hook = it_hook;
    site(0, out);                        /* Z = 0: slots 2 and 4 run */
    exc_hook = 0;
    t_eq("count", exc_last.count, 1);
    t_eq("vector", exc_last.vec, vec);
    t_eq("lr", exc_last.lr, want_lr);
    t_eq("spsr.t", exc_last.spsr & PSR_T, PSR_T);
    t_eq("spsr mode", exc_last.spsr & PSR_MODE, MODE_SVC);
    t_eq("spsr.it", itstate(exc_last.spsr), want_it);
    t_eq("thumb stub runs", thumb_stub_runs, 1);
    t_eq("handler mode", exc_last.cpsr & PSR_MODE, vec == VEC_SVC ? MODE_SVC : MODE_UND);
    t_eq("slots run", out[0], 8);        /* slot 1 (eq) and 3 (eq) skipped */
    t_eq("handler result", out[1], 0x20u + vec);
    t_eq("cpsr after", out[2] & (PSR_MODE | 0xf0000000u), MODE_SVC);
    t_end();
}

static void run_skipped(const char *name, void (*site)(u32, u32 *)) {
    u32 out[3];
    t_begin(name);
    exc_clear();
    handler_marker = 0x99;
    exc_hook = it_hook;
    site(FLAG_Z, out);                   /* Z = 1: slots 1 and 3 run */
    exc_hook = 0;
    t_eq("count", exc_last.count, 0);
    t_eq("slots run", out[0], 5);
    t_eq("r5", out[1], 0);
    t_eq("cpsr after", out[2] & (PSR_MODE | 0xf0000000u), MODE_SVC | FLAG_Z);
    t_end();
}

int main(void) {
    t_begin("thumb_te_setup");
    vbar_write((u32)thumb_vectors);
    sctlr_write(sctlr_read() | SCTLR_TE);
    isb();
    t_eq("vbar", vbar_read(), (u32)thumb_vectors);
    t_eq("sctlr.te", sctlr_read() & SCTLR_TE, SCTLR_TE);
    t_eq("svc insn", *(unsigned short *)((u32)it_svc_at & ~1u), 0xdf12);
    t_end();

    run_taken("it_svc_taken", it_svc, VEC_SVC, IT_SLOT3,
              ((u32)it_svc_at & ~1u) + 2);
    run_taken("it_udf_taken", it_udf, VEC_UND, IT_SLOT2,
              ((u32)it_udf_at & ~1u) + 2);
    run_taken("it_udfw_taken", it_udfw, VEC_UND, IT_SLOT2,
              ((u32)it_udfw_at & ~1u) + 2);
    run_skipped("it_svc_cond_fail", it_svc);
    run_skipped("it_udf_cond_fail", it_udf);
    run_skipped("it_udfw_cond_fail", it_udfw);

    sctlr_write(sctlr_read() & ~SCTLR_TE);
    vbar_write((u32)exc_vectors);
    isb();
    t_done();
}
