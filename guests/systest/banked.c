/* Banked registers (ARM ARM B1.3.2): FIQ has its own r8-r14, IRQ/SVC/ABT/
 * UND their own r13/r14, USR and SYS share one bank, and every exception
 * mode has its own SPSR.  Written and read back both by switching modes
 * with CPS and with the banked MRS/MSR forms, in both combinations. */
#include "../common/test.h"

#define NREG 19
void bank_set_cps(const u32 *v), bank_get_cps(u32 *v);
void bank_set_msr(const u32 *v), bank_get_mrs(u32 *v);
u32 svc_r8_after_fiq_write(u32 v);
u32 spsr_svc_roundtrip(u32 v);

static const char *const reg_name[NREG] = {
    "r8_fiq", "r9_fiq", "r10_fiq", "r11_fiq", "r12_fiq", "sp_fiq", "lr_fiq",
    "spsr_fiq", "sp_irq", "lr_irq", "spsr_irq", "sp_abt", "lr_abt", "spsr_abt",
    "sp_und", "lr_und", "spsr_und", "sp_usr", "lr_usr"};
static const int is_spsr[NREG] = {[7] = 1, [10] = 1, [13] = 1, [16] = 1};

/* Stack pointers in the test sets are real (distinct) stacks, so an
 * exception taken mid-test in any mode still has somewhere to push. */
static u32 scratch_stacks[8][256] __attribute__((aligned(8)));

static void make_set(u32 *v, u32 seed) {
    for (int i = 0; i < NREG; i++)
        v[i] = seed ^ (0x01010101u * (u32)(i + 1));
    for (int i = 0; i < NREG; i++)
        if (is_spsr[i]) /* a plausible PSR: flags + a mode, masks set */
            v[i] = (seed & 0xf0000000u) | 0x1c0u | (0x10u + (u32)i);
    int s = 0;
    v[5] = (u32)&scratch_stacks[s++][256];
    v[8] = (u32)&scratch_stacks[s++][256];
    v[11] = (u32)&scratch_stacks[s++][256];
    v[14] = (u32)&scratch_stacks[s++][256];
    v[17] = (u32)&scratch_stacks[s++][256];
}

static void compare(const u32 *got, const u32 *want) {
    for (int i = 0; i < NREG; i++)
        t_eq(reg_name[i], got[i], want[i]);
}

int main(void) {
    u32 saved[NREG], set[NREG], got[NREG];

    bank_get_cps(saved); /* the real stacks set up by start.S */

    t_begin("banked_cps_write_cps_read");
    make_set(set, 0xa5000000u);
    bank_set_cps(set);
    bank_get_cps(got);
    compare(got, set);
    t_end();

    t_begin("banked_cps_write_mrs_read");
    make_set(set, 0x5a000000u);
    bank_set_cps(set);
    bank_get_mrs(got);
    compare(got, set);
    t_end();

    t_begin("banked_msr_write_cps_read");
    make_set(set, 0x3c000000u);
    bank_set_msr(set);
    bank_get_cps(got);
    compare(got, set);
    t_end();

    t_begin("banked_fiq_r8_separate");
    t_eq("svc r8", svc_r8_after_fiq_write(0x12345678u), 0x12345678u);
    t_end();

    t_begin("banked_spsr_svc_own");
    make_set(set, 0xc3000000u);
    bank_set_cps(set);
    t_eq("spsr_svc", spsr_svc_roundtrip(0x800001d7u), 0x800001d7u);
    bank_get_mrs(got); /* writing SPSR_svc left the other SPSRs alone */
    compare(got, set);
    t_end();

    bank_set_cps(saved);
    t_done();
}
