/* VMSAv7 Long-descriptor (LPAE) translation (ARM ARM B3.6): TTBCR.EAE=1,
 * MAIR0 attributes, TTBR0/TTBR1 split by T0SZ/T1SZ, level-2 2 MiB blocks,
 * level-3 4 KiB pages, and long-format fault status (DFSR.LPAE=1,
 * STATUS = type:level, B4.1.52 table B3-24). */
#include "../common/test.h"
#include "../common/exc.h"
#include "../common/mmu.h"

typedef u64 desc;
static desc l1_lo[4] __attribute__((aligned(4096)));
static desc l1_hi[4] __attribute__((aligned(4096)));
static desc l2_low[512] __attribute__((aligned(4096)));
static desc l2_ram[512] __attribute__((aligned(4096)));
static desc l2_hi[512] __attribute__((aligned(4096)));
static desc l3[512] __attribute__((aligned(4096)));
static u32 pages[2][1024] __attribute__((aligned(4096)));

#define D_TABLE  3ull
#define D_BLOCK  1ull
#define D_PAGE   3ull
#define ATTR(i)  ((u64)(i) << 2)       /* MAIR index */
#define AP(a)    ((u64)(a) << 6)       /* AP[2:1] */
#define SH_INNER (3ull << 8)
#define AF       (1ull << 10)
#define XN       (1ull << 54)
#define NORMAL   (ATTR(0) | SH_INNER | AF)
#define DEVICE   (ATTR(1) | AF | XN)

#define TTBCR_EAE   (1u << 31)
#define TTBCR_T0SZ(n) ((u32)(n))
#define TTBCR_T1SZ(n) ((u32)(n) << 16)

#define VA_L3      0x60000000u   /* level-3 table */
#define VA_L2NONE  0x60200000u   /* invalid level-2 entry */
#define VA_BLOCK   0x60400000u   /* 2 MiB block alias of pages' block */
#define VA_HI      0x80000000u   /* TTBR1 region: block alias */
#define VA_L1NONE  0xc0000000u   /* TTBR1 region: invalid level-1 entry */
#define PG(i) (VA_L3 + 0x1000u * (i))

static u32 rd(u32 va) { return *(volatile u32 *)va; }
static void wr(u32 va, u32 v) { *(volatile u32 *)va = v; }

static void expect_dabt(const char *what, u32 status, u32 far, u32 wnr) {
    t_eq(what, exc_last.count, 1);
    t_eq("vector", exc_last.vec, VEC_DABT);
    t_eq("dfsr status", exc_last.dfsr & 0x3f, status);
    t_eq("dfsr lpae bit", (exc_last.dfsr >> 9) & 1, 1);
    t_eq("dfsr wnr", (exc_last.dfsr >> 11) & 1, wnr);
    t_eq("dfar", exc_last.dfar, far);
}

static void build_tables(void) {
    u32 blk = (u32)pages & ~0x1fffffu;
    l1_lo[0] = (u32)l2_low | D_TABLE;
    l1_lo[1] = (u32)l2_ram | D_TABLE;
    l2_low[UART_BASE >> 21] = (UART_BASE & ~0x1fffffu) | DEVICE | AP(0) | D_BLOCK;
    for (u32 i = 0; i < 128; i++)   /* 256 MiB of RAM, identity */
        l2_ram[i] = (0x40000000u + (i << 21)) | NORMAL | AP(1) | D_BLOCK;
    l2_ram[(VA_L3 - 0x40000000u) >> 21] = (u32)l3 | D_TABLE;
    l2_ram[(VA_BLOCK - 0x40000000u) >> 21] = blk | NORMAL | AP(1) | D_BLOCK;

    l3[0] = (u32)pages[0] | NORMAL | AP(1) | D_PAGE;
    /* l3[1] invalid */
    l3[2] = ((u32)pages[0] | NORMAL | AP(1) | D_PAGE) & ~AF;
    l3[3] = (u32)pages[0] | NORMAL | AP(2) | D_PAGE;          /* PL1 read-only */
    l3[4] = (u32)pages[0] | NORMAL | AP(0) | D_PAGE;          /* PL1 only */
    l3[5] = (u32)pages[1] | NORMAL | AP(1) | XN | D_PAGE;     /* code, XN */
    l3[6] = (u32)pages[1] | NORMAL | AP(1) | D_PAGE;          /* code */
    l3[7] = (u32)pages[0] | NORMAL | AP(1) | D_BLOCK;         /* 0b01 is invalid at level 3 */

    l1_hi[0] = (u32)l2_hi | D_TABLE;
    /* l1_hi[1] invalid */
    l2_hi[0] = blk | NORMAL | AP(1) | D_BLOCK;
    dsb();
}

int main(void) {
    pages[0][0] = 0x11112222u;
    pages[0][1] = 0x33334444u;
    pages[1][0] = 0xe3a0002au;   /* mov r0, #42 */
    pages[1][1] = 0xe12fff1eu;   /* bx lr */
    sync_icache();
    build_tables();

    mair0_write(0x000004ffu);    /* Attr0 Normal WB RW-alloc, Attr1 Device */
    mair1_write(0);
    ttbr0_write64((u32)l1_lo);
    ttbr1_write64((u32)l1_hi);
    ttbcr_write(TTBCR_EAE | TTBCR_T0SZ(1) | TTBCR_T1SZ(1));
    isb();
    tlb_flush_all();
    sctlr_write(sctlr_read() | SCTLR_M);
    isb();

    u32 off = (u32)pages & 0x1fffffu;

    t_begin("lpae_enable_identity");
    t_eq("sctlr.m", sctlr_read() & SCTLR_M, SCTLR_M);
    t_eq("ttbcr", ttbcr_read(), TTBCR_EAE | TTBCR_T0SZ(1) | TTBCR_T1SZ(1));
    t_eq("identity read", rd((u32)&pages[0][0]), 0x11112222u);
    t_end();

    t_begin("lpae_2m_block_alias");
    t_eq("block read", rd(VA_BLOCK + off + 4), 0x33334444u);
    wr(VA_BLOCK + off + 8, 0x5a5a0000u);
    t_eq("block write seen at PA", pages[0][2], 0x5a5a0000u);
    t_end();

    t_begin("lpae_4k_page");
    t_eq("page read", rd(PG(0) + 4), 0x33334444u);
    t_eq("ro page read", rd(PG(3)), 0x11112222u);
    t_eq("pl1-only page read", rd(PG(4)), 0x11112222u);
    t_end();

    t_begin("lpae_ttbr1_split");
    t_eq("ttbr1 block read", rd(VA_HI + off), 0x11112222u);
    t_end();

    t_begin("lpae_translation_fault_level1");
    exc_clear();
    rd(VA_L1NONE + 0x100);
    expect_dabt("aborts", 0x05, VA_L1NONE + 0x100, 0);
    t_end();

    t_begin("lpae_translation_fault_level2");
    exc_clear();
    wr(VA_L2NONE + 0x104, 1);
    expect_dabt("aborts", 0x06, VA_L2NONE + 0x104, 1);
    t_end();

    t_begin("lpae_translation_fault_level3");
    exc_clear();
    rd(PG(1) + 0x108);
    expect_dabt("invalid entry", 0x07, PG(1) + 0x108, 0);
    exc_clear();
    rd(PG(7));
    expect_dabt("block descriptor at level 3", 0x07, PG(7), 0);
    t_end();

    t_begin("lpae_access_flag_fault");
    exc_clear();
    rd(PG(2) + 0x10c);
    expect_dabt("aborts", 0x0b, PG(2) + 0x10c, 0);
    t_end();

    t_begin("lpae_permission_fault_write");
    exc_clear();
    wr(PG(3) + 0x110, 1);
    expect_dabt("aborts", 0x0f, PG(3) + 0x110, 1);
    t_eq("memory unchanged", pages[0][0x110 / 4], 0);
    t_end();

    t_begin("lpae_permission_fault_ldrt");
    exc_clear();
    t_eq("ldrt user page", probe_ldrt(PG(0)), 0x11112222u);
    t_eq("no abort", exc_last.count, 0);
    probe_ldrt(PG(4) + 0x114);
    expect_dabt("aborts", 0x0f, PG(4) + 0x114, 0);
    t_end();

    t_begin("lpae_xn_prefetch_abort");
    exc_clear();
    t_eq("executable page runs", probe_call(PG(6)), 42);
    t_eq("xn page", probe_call(PG(5)), 0);
    t_eq("count", exc_last.count, 1);
    t_eq("vector", exc_last.vec, VEC_PABT);
    t_eq("ifsr", exc_last.ifsr & 0x23f, 0x20f);
    t_eq("ifar", exc_last.ifar, PG(5));
    t_end();

    t_begin("lpae_tlb_maintenance");
    l3[0] = (u32)pages[1] | NORMAL | AP(1) | D_PAGE;
    dsb();
    tlb_flush_va(PG(0));
    t_eq("remapped page", rd(PG(0)), 0xe3a0002au);
    t_end();

    sctlr_write(sctlr_read() & ~SCTLR_M);
    isb();
    ttbcr_write(0);
    tlb_flush_all();
    t_begin("lpae_disable");
    t_eq("sctlr.m", sctlr_read() & SCTLR_M, 0);
    t_end();
    t_done();
}
