/* Alignment (ARM ARM A3.2.1, table A3-1): with SCTLR.A=0 unaligned
 * LDR/LDRH/STR to Normal memory work; with A=1 they take an Alignment
 * fault (short-format status 0b00001, DFAR = the address).  LDRD, LDM and
 * LDREX need word alignment whatever A is.  Run with the MMU on and RAM
 * Normal, since with the MMU off data accesses are Strongly-ordered, where
 * unaligned accesses fault anyway. */
#include "../common/test.h"
#include "../common/exc.h"
#include "../common/mmu.h"

static u32 l1[4096] __attribute__((aligned(16384)));
static volatile unsigned char buf[32] __attribute__((aligned(8)));

u32 do_ldr(u32), do_ldrh(u32), do_ldrex(u32), do_ldrd(u32), do_ldm(u32);
void do_str(u32, u32);
#define MARK 0xdeadbeefu

static void expect_align(const char *what, u32 far) {
    t_eq(what, exc_last.count, 1);
    t_eq("vector", exc_last.vec, VEC_DABT);
    t_eq("dfsr status", exc_last.dfsr & 0x40f, 0x001);
    t_eq("dfar", exc_last.dfar, far);
}

static void expect_no_fault(void) { t_eq("no abort", exc_last.count, 0); }

int main(void) {
    u32 b = (u32)buf;
    for (int i = 0; i < 32; i++)
        buf[i] = (unsigned char)(0x10 + i);
    mmu_identity_short(l1);
    mmu_enable_short(l1, DACR_CLIENT(0));
    sctlr_write(sctlr_read() & ~SCTLR_A);
    isb();

    t_begin("align_a0_unaligned_ok");
    exc_clear();
    t_eq("ldr +1", do_ldr(b + 1), 0x14131211u);
    t_eq("ldr +3", do_ldr(b + 3), 0x16151413u);
    t_eq("ldrh +1", do_ldrh(b + 1), 0x1211u);
    do_str(b + 9, 0xa1b2c3d4u);
    t_eq("str +9 bytes", buf[9] | buf[10] << 8 | buf[11] << 16 | (u32)buf[12] << 24, 0xa1b2c3d4u);
    t_eq("ldrd word aligned", do_ldrd(b + 4), 0x17161514u);
    expect_no_fault();
    t_end();

    t_begin("align_a0_ldrd_faults");
    exc_clear();
    t_eq("ldrd +2", do_ldrd(b + 2), MARK);
    expect_align("aborts", b + 2);
    t_end();

    t_begin("align_a0_ldm_faults");
    exc_clear();
    t_eq("ldm +2", do_ldm(b + 2), MARK);
    expect_align("aborts", b + 2);
    t_end();

    t_begin("align_a0_ldrex_faults");
    exc_clear();
    t_eq("ldrex +2", do_ldrex(b + 2), MARK);
    expect_align("aborts", b + 2);
    t_end();

    sctlr_write(sctlr_read() | SCTLR_A);
    isb();

    t_begin("align_a1_ldr_faults");
    exc_clear();
    t_eq("ldr +1", do_ldr(b + 1), MARK);
    expect_align("aborts", b + 1);
    t_end();

    t_begin("align_a1_ldrh_faults");
    exc_clear();
    t_eq("ldrh +3", do_ldrh(b + 3), MARK);
    expect_align("aborts", b + 3);
    t_end();

    t_begin("align_a1_str_faults");
    exc_clear();
    buf[17] = 0x77;
    do_str(b + 17, 0);
    expect_align("aborts", b + 17);
    t_eq("dfsr wnr", (exc_last.dfsr >> 11) & 1, 1);
    t_eq("memory unchanged", buf[17], 0x77);
    t_end();

    t_begin("align_a1_aligned_ok");
    exc_clear();
    t_eq("ldr +4", do_ldr(b + 4), 0x17161514u);
    t_eq("ldrh +2", do_ldrh(b + 2), 0x1312u);
    t_eq("ldrd +4 (word aligned is enough)", do_ldrd(b + 4), 0x17161514u);
    expect_no_fault();
    t_end();

    sctlr_write(sctlr_read() & ~SCTLR_A);
    isb();
    mmu_disable();
    t_done();
}
