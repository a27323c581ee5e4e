/* Short-descriptor (VMSAv7) translation table helpers. */
#ifndef MMU_H
#define MMU_H
#include "guest.h"

/* First-level descriptors */
#define L1_SECTION      0x2u
#define L1_PAGETABLE    0x1u
#define L1_B            (1u << 2)
#define L1_C            (1u << 3)
#define L1_XN           (1u << 4)
#define L1_DOMAIN(d)    ((u32)(d) << 5)
#define L1_AP(ap)       ((((u32)(ap) & 3u) << 10) | (((u32)(ap) >> 2) << 15))  /* AP[2:0] */
#define L1_TEX(t)       ((u32)(t) << 12)
/* Second-level small page */
#define L2_SMALL        0x2u
#define L2_XN           (1u << 0)
#define L2_B            (1u << 2)
#define L2_C            (1u << 3)
#define L2_AP(ap)       ((((u32)(ap) & 3u) << 4) | (((u32)(ap) >> 2) << 9))
#define L2_TEX(t)       ((u32)(t) << 6)

/* Normal write-back memory and shareable Device memory */
#define L1_NORMAL       (L1_TEX(1) | L1_C | L1_B)
#define L1_DEVICE       (L1_B)
#define L2_NORMAL       (L2_TEX(1) | L2_C | L2_B)

#define DACR_CLIENT(d)  (1u << (2 * (d)))
#define DACR_MANAGER(d) (3u << (2 * (d)))

/* Identity-map RAM (0x40000000, 256 MiB, Normal, full access, domain 0)
 * and the UART (Device) into l1 (16 KiB aligned, 4096 entries). */
void mmu_identity_short(u32 *l1);
/* TTBCR=0, TTBR0=l1, DACR as given, TLBIALL, then SCTLR.M=1. */
void mmu_enable_short(u32 *l1, u32 dacr);
/* SCTLR.M=0 (and AFE=0), TLBIALL. */
void mmu_disable(void);
void tlb_flush_all(void);
void tlb_flush_va(u32 va);
/* After writing instructions to memory. */
void sync_icache(void);

u32 probe_call(u32 addr);
u32 probe_ldrt(u32 addr);

#endif
