/* VMSAv7 short-descriptor translation (ARM ARM B3.5): sections, a coarse
 * table of 4 KiB small pages, and the fault each bad mapping must raise,
 * with DFSR/IFSR status (B4.1.52 table B3-23), WnR, domain and FAR. */
#include "../common/test.h"
#include "../common/exc.h"
#include "../common/mmu.h"

static u32 l1[4096] __attribute__((aligned(16384)));
static u32 l2[256] __attribute__((aligned(1024)));
static u32 pages[4][1024] __attribute__((aligned(4096)));

#define VA_ALIAS   0x80000000u  /* section -> pages' 1 MiB section */
#define VA_PAGES   0x80100000u  /* coarse table l2 */
#define VA_NONE    0x80200000u  /* no first-level entry */
#define VA_DOM1    0x80300000u  /* section in a no-access domain */
#define VA_MGR     0x80400000u  /* AP=000 section in a manager domain */
#define VA_RO      0x80500000u  /* PL1 read-only section */
#define VA_AFSEC   0x80600000u  /* section with AP[0]=0 */
#define VA_DOM1PT  0x80700000u  /* page table entry in domain 1 */
#define VA_TLB     0x80800000u  /* section remapped by the TLB test */
#define PA_TLB_A   0x41000000u
#define PA_TLB_B   0x41100000u

#define PG(i) (VA_PAGES + 0x1000u * (i))

static u32 rd(u32 va) { return *(volatile u32 *)va; }
static void wr(u32 va, u32 v) { *(volatile u32 *)va = v; }

/* status = FS[4] (bit 10) : FS[3:0] */
static u32 fs(u32 fsr) { return ((fsr >> 6) & 0x10u) | (fsr & 0xfu); }

static void expect_dabt(const char *what, u32 status, u32 far, u32 wnr) {
    t_eq(what, exc_last.count, 1);
    t_eq("vector", exc_last.vec, VEC_DABT);
    t_eq("dfsr status", fs(exc_last.dfsr), status);
    t_eq("dfsr lpae bit", (exc_last.dfsr >> 9) & 1, 0);
    t_eq("dfsr wnr", (exc_last.dfsr >> 11) & 1, wnr);
    t_eq("dfar", exc_last.dfar, far);
}

static void build_tables(void) {
    mmu_identity_short(l1);
    u32 pa_sec = (u32)pages & 0xfff00000u;
    l1[VA_ALIAS >> 20] = pa_sec | L1_SECTION | L1_NORMAL | L1_AP(3);
    l1[VA_PAGES >> 20] = (u32)l2 | L1_PAGETABLE | L1_DOMAIN(0);
    l1[VA_DOM1 >> 20] = pa_sec | L1_SECTION | L1_NORMAL | L1_AP(3) | L1_DOMAIN(1);
    l1[VA_MGR >> 20] = pa_sec | L1_SECTION | L1_NORMAL | L1_AP(0) | L1_DOMAIN(2);
    l1[VA_RO >> 20] = pa_sec | L1_SECTION | L1_NORMAL | L1_AP(5);
    l1[VA_AFSEC >> 20] = pa_sec | L1_SECTION | L1_NORMAL | L1_AP(2);
    l1[VA_DOM1PT >> 20] = (u32)l2 | L1_PAGETABLE | L1_DOMAIN(1);
    l1[VA_TLB >> 20] = PA_TLB_A | L1_SECTION | L1_NORMAL | L1_AP(3);

    for (int i = 0; i < 256; i++)
        l2[i] = 0;
    l2[0] = (u32)pages[0] | L2_SMALL | L2_NORMAL | L2_AP(3);
    /* l2[1] stays invalid */
    l2[2] = (u32)pages[0] | L2_SMALL | L2_NORMAL | L2_AP(1);          /* PL1 only */
    l2[3] = (u32)pages[0] | L2_SMALL | L2_NORMAL | L2_AP(2);          /* AP[0]=0 */
    l2[4] = (u32)pages[1] | L2_SMALL | L2_NORMAL | L2_AP(3) | L2_XN;  /* code, XN */
    l2[5] = (u32)pages[1] | L2_SMALL | L2_NORMAL | L2_AP(3);          /* code */
    l2[6] = (u32)pages[0] | L2_SMALL | L2_NORMAL | L2_AP(7);          /* RO all */
    dsb();
}

int main(void) {
    pages[0][0] = 0x11111111u;
    pages[0][0x234 / 4] = 0x22223333u;
    pages[1][0] = 0xe3a0002au;   /* mov r0, #42 */
    pages[1][1] = 0xe12fff1eu;   /* bx lr */
    pages[2][0] = 0x44444444u;
    *(volatile u32 *)PA_TLB_A = 0xaaaa0001u;
    *(volatile u32 *)PA_TLB_B = 0xbbbb0002u;
    sync_icache();
    build_tables();
    mmu_enable_short(l1, DACR_CLIENT(0) | DACR_MANAGER(2)); /* domain 1: no access */

    t_begin("mmu_short_enable_identity");
    t_eq("sctlr.m", sctlr_read() & SCTLR_M, SCTLR_M);
    t_eq("identity read", rd((u32)&pages[0][0]), 0x11111111u);
    t_end();

    t_begin("mmu_short_section_alias");
    u32 off = (u32)pages & 0x000fffffu;
    t_eq("alias read", rd(VA_ALIAS + off), 0x11111111u);
    wr(VA_ALIAS + off + 4, 0x5a5a5a5au);
    t_eq("alias write seen at PA", pages[0][1], 0x5a5a5a5au);
    t_end();

    t_begin("mmu_short_small_page");
    t_eq("page read", rd(PG(0) + 0x234), 0x22223333u);
    t_eq("pl1-only page, privileged read", rd(PG(2)), 0x11111111u);
    t_eq("ro page read", rd(PG(6)), 0x11111111u);
    t_end();

    t_begin("mmu_short_translation_fault_section");
    exc_clear();
    rd(VA_NONE + 0x10);
    expect_dabt("aborts", 0x05, VA_NONE + 0x10, 0);
    t_end();

    t_begin("mmu_short_translation_fault_page");
    exc_clear();
    wr(PG(1) + 0x234, 1);
    expect_dabt("aborts", 0x07, PG(1) + 0x234, 1);
    t_end();

    t_begin("mmu_short_permission_fault_page_ldrt");
    exc_clear();
    probe_ldrt(PG(2) + 8);
    expect_dabt("aborts", 0x0f, PG(2) + 8, 0);
    t_end();

    t_begin("mmu_short_permission_ok_ldrt");
    exc_clear();
    t_eq("ldrt full-access page", probe_ldrt(PG(0)), 0x11111111u);
    t_eq("no abort", exc_last.count, 0);
    t_end();

    t_begin("mmu_short_permission_fault_page_write");
    exc_clear();
    wr(PG(6) + 4, 7);
    expect_dabt("aborts", 0x0f, PG(6) + 4, 1);
    t_end();

    t_begin("mmu_short_permission_fault_section");
    exc_clear();
    t_eq("ro section read", rd(VA_RO + off), 0x11111111u);
    wr(VA_RO + off, 7);
    expect_dabt("aborts", 0x0d, VA_RO + off, 1);
    t_eq("memory unchanged", pages[0][0], 0x11111111u);
    t_end();

    t_begin("mmu_short_domain_fault_section");
    exc_clear();
    rd(VA_DOM1 + 0x40);
    expect_dabt("aborts", 0x09, VA_DOM1 + 0x40, 0);
    t_eq("dfsr domain", (exc_last.dfsr >> 4) & 0xf, 1);
    t_end();

    t_begin("mmu_short_domain_fault_page");
    exc_clear();
    rd(VA_DOM1PT + 0x44);
    expect_dabt("aborts", 0x0b, VA_DOM1PT + 0x44, 0);
    t_eq("dfsr domain", (exc_last.dfsr >> 4) & 0xf, 1);
    t_end();

    t_begin("mmu_short_manager_domain_ignores_ap");
    exc_clear();
    t_eq("read AP=000 section", rd(VA_MGR + off), 0x11111111u);
    t_eq("no abort", exc_last.count, 0);
    t_end();

    t_begin("mmu_short_xn_prefetch_abort");
    exc_clear();
    t_eq("executable page runs", probe_call(PG(5)), 42);
    t_eq("no abort yet", exc_last.count, 0);
    t_eq("xn page", probe_call(PG(4)), 0);
    t_eq("count", exc_last.count, 1);
    t_eq("vector", exc_last.vec, VEC_PABT);
    t_eq("ifsr status", fs(exc_last.ifsr), 0x0f);
    t_eq("ifar", exc_last.ifar, PG(4));
    t_eq("lr", exc_last.lr, PG(4) + 4);
    t_end();

    t_begin("mmu_short_access_flag");
    /* with AFE=0 AP[0]=0 is an ordinary permission encoding */
    t_eq("afe=0 read", rd(PG(3)), 0x11111111u);
    sctlr_write(sctlr_read() | SCTLR_AFE);
    tlb_flush_all();
    exc_clear();
    rd(PG(3) + 0xc);
    expect_dabt("page aborts", 0x06, PG(3) + 0xc, 0);
    exc_clear();
    rd(VA_AFSEC + off);
    expect_dabt("section aborts", 0x03, VA_AFSEC + off, 0);
    exc_clear();
    t_eq("af=1 page still fine", rd(PG(0)), 0x11111111u);
    t_eq("no abort", exc_last.count, 0);
    sctlr_write(sctlr_read() & ~SCTLR_AFE);
    tlb_flush_all();
    t_end();

    t_begin("mmu_short_tlb_maintenance");
    t_eq("old section", rd(VA_TLB), 0xaaaa0001u);
    l1[VA_TLB >> 20] = PA_TLB_B | L1_SECTION | L1_NORMAL | L1_AP(3);
    dsb();
    if (rd(VA_TLB) == 0xaaaa0001u)
        uart_puts("INFO mmu_short_tlb: stale section used before TLBIMVA (allowed)\n");
    tlb_flush_va(VA_TLB);
    t_eq("after TLBIMVA", rd(VA_TLB), 0xbbbb0002u);
    l1[VA_TLB >> 20] = PA_TLB_A | L1_SECTION | L1_NORMAL | L1_AP(3);
    dsb();
    tlb_flush_all();
    t_eq("after TLBIALL", rd(VA_TLB), 0xaaaa0001u);
    t_eq("old page", rd(PG(0)), 0x11111111u);
    l2[0] = (u32)pages[2] | L2_SMALL | L2_NORMAL | L2_AP(3);
    dsb();
    tlb_flush_va(PG(0));
    t_eq("page after TLBIMVA", rd(PG(0)), 0x44444444u);
    t_end();

    mmu_disable();
    t_begin("mmu_short_disable");
    t_eq("sctlr.m", sctlr_read() & SCTLR_M, 0);
    t_eq("flat read", *(volatile u32 *)PA_TLB_B, 0xbbbb0002u);
    t_end();
    t_done();
}
