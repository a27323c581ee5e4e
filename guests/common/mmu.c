#include "mmu.h"

void mmu_identity_short(u32 *l1) {
    for (u32 i = 0; i < 4096; i++)
        l1[i] = 0;
    for (u32 mb = 0x400; mb < 0x500; mb++)
        l1[mb] = (mb << 20) | L1_SECTION | L1_NORMAL | L1_AP(3) | L1_DOMAIN(0);
    l1[UART_BASE >> 20] = (UART_BASE & 0xfff00000u) | L1_SECTION | L1_DEVICE | L1_XN |
                          L1_AP(3) | L1_DOMAIN(0);
}

void tlb_flush_all(void) {
    dsb();
    tlbiall_write(0);
    dsb();
    isb();
}

void tlb_flush_va(u32 va) {
    dsb();
    tlbimva_write(va & 0xfffff000u);   /* ASID 0 in bits [7:0] */
    dsb();
    isb();
}

void sync_icache(void) {
    dsb();
    iciallu_write(0);
    bpiall_write(0);
    dsb();
    isb();
}

void mmu_enable_short(u32 *l1, u32 dacr) {
    ttbcr_write(0);
    ttbr0_write((u32)l1);
    dacr_write(dacr);
    tlb_flush_all();
    sctlr_write(sctlr_read() | SCTLR_M);
    isb();
}

void mmu_disable(void) {
    sctlr_write(sctlr_read() & ~(SCTLR_M | SCTLR_AFE));
    isb();
    tlb_flush_all();
}
