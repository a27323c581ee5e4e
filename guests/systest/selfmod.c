/* Self-modifying code: the guest writes A32 and T32 functions into RAM,
 * calls them, rewrites them and calls them again -- without any cache
 * maintenance (QEMU, like Armvisor, always sees the new code), with
 * DCCMVAU/ICIMVAU and with ICIALLU -- including a block that stores
 * over an instruction ahead of itself, hot loops that a JIT has translated
 * and chained, a T32 instruction straddling a page boundary, and (MMU on) one
 * physical page reached through two virtual aliases.  Each check prints
 * its value, so the transcript can be compared with qemu-system-arm's. */
#include "../common/test.h"
#include "../common/mmu.h"

typedef unsigned short u16;
typedef u32 (*fn2)(u32, u32);

/* Each buffer has its own pages, so the guest's own code never shares one. */
static u32 a32buf[1024] __attribute__((aligned(4096)));
static u16 t32buf[2048] __attribute__((aligned(4096)));
static u16 crossbuf[4096] __attribute__((aligned(4096)));    /* two pages */
static u32 mmupage[2][1024] __attribute__((aligned(4096)));   /* two physical pages */
static u32 l1[4096] __attribute__((aligned(16384)));
static u32 l2[256] __attribute__((aligned(1024)));

#define VA_EXEC   0x80100000u  /* mmupage[0], executable */
#define VA_WRITE  0x80101000u  /* mmupage[0] again, XN: the writable alias */
#define VA_EXEC2  0x80102000u  /* mmupage[0] a third time, executable */

static u32 fails;

/* One line per check: its name and value, and what was expected on FAIL. */
static void check(const char *name, u32 got, u32 want) {
    uart_puts(got == want ? "PASS " : "FAIL ");
    uart_puts(name);
    uart_puts(" = ");
    uart_dec(got);
    if (got != want) {
        fails++;
        uart_puts(" want ");
        uart_dec(want);
    }
    uart_puts("\n");
}

/* ---- encoders (ARM ARM A8.8) ----------------------------------------- */
#define A_MOV_IMM(rd, imm8)     (0xe3a00000u | ((rd) << 12) | (imm8))
#define A_ADD_IMM(rd, rn, imm8) (0xe2800000u | ((rn) << 16) | ((rd) << 12) | (imm8))
#define A_ADD(rd, rn, rm)       (0xe0800000u | ((rn) << 16) | ((rd) << 12) | (rm))
#define A_SUB(rd, rn, rm)       (0xe0400000u | ((rn) << 16) | ((rd) << 12) | (rm))
#define A_EOR(rd, rn, rm)       (0xe0200000u | ((rn) << 16) | ((rd) << 12) | (rm))
#define A_SUBS_IMM(rd, rn, i)   (0xe2500000u | ((rn) << 16) | ((rd) << 12) | (i))
#define A_BNE(from, to)         (0x1a000000u | ((((to) - (from) - 8) >> 2) & 0xffffffu))
#define A_STR_PC_NEG(rt, off)   (0xe50f0000u | ((rt) << 12) | (off))   /* str rt, [pc, #-off] */
#define A_BX_LR                 0xe12fff1eu

#define T_MOVS_IMM(rd, imm8)    ((u16)(0x2000u | ((rd) << 8) | (imm8)))
#define T_ADDS(rd, rn, rm)      ((u16)(0x1800u | ((rm) << 6) | ((rn) << 3) | (rd)))
#define T_SUBS(rd, rn, rm)      ((u16)(0x1a00u | ((rm) << 6) | ((rn) << 3) | (rd)))
#define T_ADD_HI(rdn, rm)       ((u16)(0x4400u | (((rdn) >> 3) << 7) | ((rm) << 3) | ((rdn) & 7)))
#define T_MOV_FROM_PC(rd)       ((u16)(0x4678u | (rd)))                /* mov rd, pc */
#define T_STRH(rt, rn, imm5)    ((u16)(0x8000u | ((imm5) << 6) | ((rn) << 3) | (rt)))
#define T_BX_LR                 ((u16)0x4770u)
/* movw rd, #imm16 (T3): two halfwords */
#define T_MOVW_HI(imm)          ((u16)(0xf240u | ((((imm) >> 11) & 1u) << 10) | ((imm) >> 12)))
#define T_MOVW_LO(rd, imm)      ((u16)(((((imm) >> 8) & 7u) << 12) | ((rd) << 8) | ((imm) & 0xffu)))

static void put32(u32 addr, u32 w) { *(volatile u32 *)addr = w; }
static void put16(u32 addr, u16 h) { *(volatile u16 *)addr = h; }
static u32 call(u32 addr, u32 a, u32 b) {
    __asm__ volatile("" ::: "memory");
    return ((fn2)addr)(a, b);
}

/* Clean D to PoU by the written VA, invalidate I by the executed VA. */
static void sync_by_va(u32 wva, u32 xva, u32 len) {
    dsb();
    for (u32 o = 0; o < len; o += 16)   /* 16 bytes: the smallest ARMv7 line */
        __asm__ volatile("mcr p15, 0, %0, c7, c11, 1" ::"r"(wva + o) : "memory");
    dsb();
    for (u32 o = 0; o < len; o += 16)
        __asm__ volatile("mcr p15, 0, %0, c7, c5, 1" ::"r"(xva + o) : "memory");
    bpiall_write(0);
    dsb();
    isb();
}

/* mov r0,#imm; <op> r0,r0,r1; bx lr */
static void a32_fn(u32 at, u32 imm, u32 op) {
    put32(at, A_MOV_IMM(0, imm));
    put32(at + 4, op);
    put32(at + 8, A_BX_LR);
}

/* movs r0,#a; movw r2,#b; adds|subs r0,r0,r1; add r0,r2; bx lr */
static void t32_fn(u32 at, u32 a, u32 b, u16 op) {
    put16(at, T_MOVS_IMM(0, a));
    put16(at + 2, T_MOVW_HI(b));          /* straddles a word boundary */
    put16(at + 4, T_MOVW_LO(2, b));
    put16(at + 6, op);
    put16(at + 8, T_ADD_HI(0, 2));
    put16(at + 10, T_BX_LR);
}

static void test_a32(void) {
    u32 f = (u32)a32buf;
    a32_fn(f, 7, A_ADD(0, 0, 1));
    sync_icache();
    check("a32_generate", call(f, 0, 100), 107);
    put32(f, A_MOV_IMM(0, 9));
    check("a32_rewrite_imm_no_maintenance", call(f, 0, 100), 109);
    put32(f + 4, A_SUB(0, 0, 1));
    check("a32_rewrite_opcode_no_maintenance", call(f, 0, 5), 4);
    put32(f + 4, A_EOR(0, 0, 1));
    sync_by_va(f, f, 12);
    check("a32_rewrite_dccmvau_icimvau", call(f, 0, 0xff), 9u ^ 0xffu);
    put32(f, A_MOV_IMM(0, 200));
    put32(f + 4, A_ADD(0, 0, 1));
    sync_icache();
    check("a32_rewrite_iciallu", call(f, 0, 55), 255);
}

static void test_t32(void) {
    u32 f = (u32)t32buf;
    t32_fn(f, 3, 0x1234, T_ADDS(0, 0, 1));
    sync_icache();
    check("t32_generate", call(f | 1, 0, 10), 3 + 0x1234 + 10);
    put16(f, T_MOVS_IMM(0, 50));
    check("t32_rewrite_16bit_no_maintenance", call(f | 1, 0, 10), 50 + 0x1234 + 10);
    put16(f + 4, T_MOVW_LO(2, 0x1299));   /* second half of the movw only */
    check("t32_rewrite_movw_low_half_no_maintenance", call(f | 1, 0, 10), 50 + 0x1299 + 10);
    put16(f + 2, T_MOVW_HI(0xa299));      /* first half only */
    check("t32_rewrite_movw_high_half_no_maintenance", call(f | 1, 0, 10), 50 + 0xa299 + 10);
    put16(f + 6, T_SUBS(0, 0, 1));
    sync_by_va(f, f, 12);
    check("t32_rewrite_opcode_dccmvau_icimvau", call(f | 1, 0, 10), 50 + 0xa299 - 10);
    t32_fn(f, 1, 0xbeef, T_ADDS(0, 0, 1));
    sync_icache();
    check("t32_rewrite_iciallu", call(f | 1, 0, 2), 1 + 0xbeef + 2);
}

/* A movw whose two halves lie in different pages; rewrite the second page. */
static void test_t32_page_cross(void) {
    u32 f = (u32)crossbuf + 4096 - 4;
    put16(f, T_MOVS_IMM(0, 4));
    put16(f + 2, T_MOVW_HI(0x0321));
    put16(f + 4, T_MOVW_LO(2, 0x0321));   /* first halfword of the next page */
    put16(f + 6, T_ADD_HI(0, 2));
    put16(f + 8, T_BX_LR);
    sync_icache();
    check("t32_page_cross_generate", call(f | 1, 0, 0), 4 + 0x321);
    put16(f + 4, T_MOVW_LO(2, 0x03aa));
    check("t32_page_cross_rewrite_second_page", call(f | 1, 0, 0), 4 + 0x3aa);
}

/* The running block stores over an instruction a few words ahead of it,
 * then runs it.  ARMv7 only promises the new instruction after an ISB
 * (with DCCMVAU/ICIMVAU for the general case); QEMU ends its block at an
 * ISB, and runs the stale instruction without one.  r1 is the new one. */
#define A_ISB 0xf57ff06fu
#define A_DSB 0xf57ff04fu
#define A_DCCMVAU_R2 0xee072f3bu          /* mcr p15, 0, r2, c7, c11, 1 */
#define A_ICIMVAU_R2 0xee072f35u          /* mcr p15, 0, r2, c7, c5, 1 */
static const u32 a32_store_isb[] = {
    0xe58f1000u,                          /* str r1, [pc]: pc reads +8 */
    A_ISB, A_MOV_IMM(0, 1), A_BX_LR,
};
static const u32 a32_store_sync[] = {
    A_ADD_IMM(2, 15, 20),                 /* r2 = the mov at +28 */
    0xe5821000u,                          /* str r1, [r2] */
    A_DCCMVAU_R2, A_DSB, A_ICIMVAU_R2, A_DSB, A_ISB,
    A_MOV_IMM(0, 1), A_BX_LR,
};
static const u32 a32_store_bare[] = {
    0xe58f1000u,                          /* str r1, [pc]: the next-but-one */
    A_MOV_IMM(0, 0), A_MOV_IMM(0, 1), A_BX_LR,
};
#define T_ISB 0xf3bfu, 0x8f6fu
#define T_DSB 0xf3bfu, 0x8f4fu
static const u16 t32_store_isb[] = {
    T_MOV_FROM_PC(2),                     /* r2 = +4 */
    T_STRH(1, 2, 2),                      /* strh r1, [r2, #4]: the movs at +8 */
    T_ISB, T_MOVS_IMM(0, 1), T_BX_LR,
};
static const u16 t32_store_sync[] = {
    T_MOV_FROM_PC(2),                     /* r2 = +4 */
    (u16)(0x3000u | (2u << 8) | 22u),     /* adds r2, #22: the movs at +26 */
    T_STRH(1, 2, 0),
    0xee07u, 0x2f3bu, T_DSB,              /* DCCMVAU r2 */
    0xee07u, 0x2f35u, T_DSB, T_ISB,       /* ICIMVAU r2 */
    T_MOVS_IMM(0, 1), T_BX_LR,
};

static void put_a32(u32 at, const u32 *w, u32 n) {
    for (u32 i = 0; i < n; i++)
        put32(at + 4 * i, w[i]);
    sync_icache();
}
static void put_t32(u32 at, const u16 *h, u32 n) {
    for (u32 i = 0; i < n; i++)
        put16(at + 2 * i, h[i]);
    sync_icache();
}
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_self_store(void) {
    u32 f = (u32)a32buf + 0x100;
    put_a32(f, a32_store_isb, N(a32_store_isb));
    check("a32_store_ahead_isb", call(f, 0, A_MOV_IMM(0, 77)), 77);
    check("a32_store_ahead_isb_again", call(f, 0, A_MOV_IMM(0, 78)), 78);
    put_a32(f, a32_store_sync, N(a32_store_sync));
    check("a32_store_ahead_dccmvau_icimvau", call(f, 0, A_MOV_IMM(0, 79)), 79);
    check("a32_store_ahead_dccmvau_icimvau_again", call(f, 0, A_MOV_IMM(0, 80)), 80);

    u32 g = (u32)t32buf + 0x100;
    put_t32(g, t32_store_isb, N(t32_store_isb));
    check("t32_store_ahead_isb", call(g | 1, 0, T_MOVS_IMM(0, 66)), 66);
    check("t32_store_ahead_isb_again", call(g | 1, 0, T_MOVS_IMM(0, 67)), 67);
    put_t32(g, t32_store_sync, N(t32_store_sync));
    check("t32_store_ahead_dccmvau_icimvau", call(g | 1, 0, T_MOVS_IMM(0, 68)), 68);
    check("t32_store_ahead_dccmvau_icimvau_again", call(g | 1, 0, T_MOVS_IMM(0, 69)), 69);

    /* no barrier: either instruction may run, but nothing else */
    u32 h = (u32)a32buf + 0x180;
    put_a32(h, a32_store_bare, N(a32_store_bare));
    u32 r = call(h, 0, A_MOV_IMM(0, 2));
    check("a32_store_ahead_no_barrier_old_or_new", r == 1 || r == 2, 1);
    r = call(h, 0, A_MOV_IMM(0, 3));
    check("a32_store_ahead_no_barrier_again_old_or_new", r == 2 || r == 3, 1);
}

/* Hot code: called (and looping) often enough to be translated and chained. */
static void test_hot(void) {
    u32 f = (u32)a32buf + 0x200;
    a32_fn(f, 10, A_ADD(0, 0, 1));
    sync_icache();
    u32 sum = 0, want = 0;
    for (u32 i = 0; i < 3000; i++) {
        if (i == 2000)
            put32(f, A_MOV_IMM(0, 20));   /* mid-loop, no maintenance */
        sum += call(f, 0, i);
        want += (i < 2000 ? 10 : 20) + i;
    }
    check("a32_hot_call_rewritten_mid_loop", sum, want);

    u32 g = (u32)t32buf + 0x200;
    t32_fn(g, 5, 0x100, T_ADDS(0, 0, 1));
    sync_icache();
    sum = want = 0;
    for (u32 i = 0; i < 3000; i++) {
        if (i == 1500)
            put16(g + 4, T_MOVW_LO(2, 0x200));
        sum += call(g | 1, 0, i);
        want += 5 + (i < 1500 ? 0x100 : 0x200) + i;
    }
    check("t32_hot_call_rewritten_mid_loop", sum, want);

    /* mov r0,#0; 1: add r0,r0,#imm; subs r1,r1,#1; bne 1b; bx lr */
    u32 h = (u32)a32buf + 0x300;
    put32(h, A_MOV_IMM(0, 0));
    put32(h + 4, A_ADD_IMM(0, 0, 3));
    put32(h + 8, A_SUBS_IMM(1, 1, 1));
    put32(h + 12, A_BNE(h + 12, h + 4));
    put32(h + 16, A_BX_LR);
    sync_icache();
    u32 s1 = 0;
    for (u32 i = 0; i < 50; i++)
        s1 += call(h, 0, 1000);
    check("a32_generated_loop", s1, 50 * 3000);
    put32(h + 4, A_ADD_IMM(0, 0, 5));
    check("a32_generated_loop_rewritten", call(h, 0, 1000), 5000);
}

static void build_tables(void) {
    mmu_identity_short(l1);
    for (int i = 0; i < 256; i++)
        l2[i] = 0;
    l1[VA_EXEC >> 20] = (u32)l2 | L1_PAGETABLE | L1_DOMAIN(0);
    l2[0] = (u32)mmupage[0] | L2_SMALL | L2_NORMAL | L2_AP(3);
    l2[1] = (u32)mmupage[0] | L2_SMALL | L2_NORMAL | L2_AP(3) | L2_XN;
    l2[2] = (u32)mmupage[0] | L2_SMALL | L2_NORMAL | L2_AP(3);
    dsb();
}

static void test_mmu_alias(void) {
    build_tables();
    mmu_enable_short(l1, DACR_CLIENT(0));
    check("mmu_on", sctlr_read() & SCTLR_M, SCTLR_M);

    a32_fn(VA_WRITE, 11, A_ADD(0, 0, 1));
    sync_by_va(VA_WRITE, VA_EXEC, 12);
    check("mmu_alias_a32_generate", call(VA_EXEC, 0, 1), 12);
    put32(VA_WRITE, A_MOV_IMM(0, 21));
    check("mmu_alias_a32_rewrite_no_maintenance", call(VA_EXEC, 0, 1), 22);
    check("mmu_alias_a32_second_exec_alias", call(VA_EXEC2, 0, 1), 22);
    put32(VA_WRITE + 4, A_SUB(0, 0, 1));
    check("mmu_alias_a32_rewrite_seen_by_both_0", call(VA_EXEC, 0, 1), 20);
    check("mmu_alias_a32_rewrite_seen_by_both_1", call(VA_EXEC2, 0, 1), 20);
    put32(VA_EXEC2 + 4, A_ADD(0, 0, 1));  /* write through an executable alias */
    check("mmu_alias_a32_write_exec2_call_exec", call(VA_EXEC, 0, 1), 22);
    put32((u32)mmupage[0], A_MOV_IMM(0, 31)); /* through the identity map */
    sync_by_va((u32)mmupage[0], VA_EXEC, 12);
    check("mmu_alias_a32_write_identity_dccmvau_icimvau", call(VA_EXEC, 0, 1), 32);

    u32 t = 0x100;
    t32_fn(VA_WRITE + t, 2, 0x4000, T_ADDS(0, 0, 1));
    sync_by_va(VA_WRITE + t, VA_EXEC + t, 12);
    check("mmu_alias_t32_generate", call((VA_EXEC + t) | 1, 0, 1), 2 + 0x4000 + 1);
    put16(VA_WRITE + t + 4, T_MOVW_LO(2, 0x77));
    check("mmu_alias_t32_rewrite_no_maintenance", call((VA_EXEC + t) | 1, 0, 1), 2 + 0x4077 + 1);
    put16(VA_WRITE + t + 6, T_SUBS(0, 0, 1));
    sync_icache();
    check("mmu_alias_t32_rewrite_iciallu", call((VA_EXEC2 + t) | 1, 0, 1), 2 + 0x4077 - 1);

    /* hot through one alias, rewritten through the other mid-loop */
    u32 h = 0x200;
    a32_fn(VA_WRITE + h, 1, A_ADD(0, 0, 1));
    sync_icache();
    u32 sum = 0, want = 0;
    for (u32 i = 0; i < 2000; i++) {
        if (i == 1000)
            put32(VA_WRITE + h, A_MOV_IMM(0, 2));
        sum += call(VA_EXEC + h, 0, i);
        want += (i < 1000 ? 1 : 2) + i;
    }
    check("mmu_alias_a32_hot_rewritten_mid_loop", sum, want);

    /* remap the executable VA to another physical page (TLB maintenance) */
    a32_fn((u32)mmupage[1], 99, A_ADD(0, 0, 1));
    sync_icache();
    l2[0] = (u32)mmupage[1] | L2_SMALL | L2_NORMAL | L2_AP(3);
    dsb();
    tlb_flush_va(VA_EXEC);
    check("mmu_remap_exec_va_new_page", call(VA_EXEC, 0, 1), 100);
    check("mmu_remap_other_alias_old_page", call(VA_EXEC2, 0, 1), 32);

    mmu_disable();
}

int main(void) {
    test_a32();
    test_t32();
    test_t32_page_cross();
    test_self_store();
    test_hot();
    test_mmu_alias();
    check("failures", fails, 0);
    t_done();
}
