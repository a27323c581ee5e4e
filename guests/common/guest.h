/* Shared declarations for bare-metal Armvisor guests. */
#ifndef GUEST_H
#define GUEST_H

typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;

#define UART_BASE 0x09000000u

/* CPSR fields */
#define MODE_USR 0x10u
#define MODE_FIQ 0x11u
#define MODE_IRQ 0x12u
#define MODE_SVC 0x13u
#define MODE_ABT 0x17u
#define MODE_UND 0x1bu
#define MODE_SYS 0x1fu
#define PSR_MODE 0x1fu
#define PSR_T (1u << 5)
#define PSR_F (1u << 6)
#define PSR_I (1u << 7)
#define PSR_A (1u << 8)

void uart_putc(char c);
void uart_puts(const char *s);
void uart_hex(u32 v);          /* "0x" + 8 hex digits */
void uart_dec(u32 v);
void power_off(void) __attribute__((noreturn));

/* CP15 access; the encodings are spelled out where each register is named. */
#define CP15_READ(name, op1, crn, crm, op2)                                    \
    static inline u32 name##_read(void) {                                      \
        u32 v;                                                                 \
        __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2    \
                         : "=r"(v));                                           \
        return v;                                                              \
    }
#define CP15_WRITE(name, op1, crn, crm, op2)                                   \
    static inline void name##_write(u32 v) {                                   \
        __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2    \
                         ::"r"(v) : "memory");                                 \
    }
#define CP15_RW(name, op1, crn, crm, op2)                                      \
    CP15_READ(name, op1, crn, crm, op2) CP15_WRITE(name, op1, crn, crm, op2)

CP15_READ(midr, 0, c0, c0, 0)
CP15_RW(sctlr, 0, c1, c0, 0)
CP15_RW(ttbr0, 0, c2, c0, 0)
CP15_RW(ttbr1, 0, c2, c0, 1)
CP15_RW(ttbcr, 0, c2, c0, 2)
CP15_RW(dacr, 0, c3, c0, 0)
CP15_RW(dfsr, 0, c5, c0, 0)
CP15_RW(ifsr, 0, c5, c0, 1)
CP15_RW(dfar, 0, c6, c0, 0)
CP15_RW(ifar, 0, c6, c0, 2)
CP15_WRITE(iciallu, 0, c7, c5, 0)
CP15_WRITE(bpiall, 0, c7, c5, 6)
CP15_WRITE(tlbiall, 0, c8, c7, 0)
CP15_WRITE(tlbimva, 0, c8, c7, 1)
CP15_RW(mair0, 0, c10, c2, 0)
CP15_RW(mair1, 0, c10, c2, 1)
CP15_RW(vbar, 0, c12, c0, 0)
CP15_RW(contextidr, 0, c13, c0, 1)

#define SCTLR_M   (1u << 0)
#define SCTLR_A   (1u << 1)
#define SCTLR_C   (1u << 2)
#define SCTLR_I   (1u << 12)
#define SCTLR_AFE (1u << 29)

/* 64-bit TTBRs (LPAE): MCRR p15, opc1, Rt(low), Rt2(high), c2 */
static inline void ttbr0_write64(u64 v) {
    __asm__ volatile("mcrr p15, 0, %0, %1, c2" ::"r"((u32)v), "r"((u32)(v >> 32)) : "memory");
}
static inline void ttbr1_write64(u64 v) {
    __asm__ volatile("mcrr p15, 1, %0, %1, c2" ::"r"((u32)v), "r"((u32)(v >> 32)) : "memory");
}
static inline u32 cpsr_read(void) {
    u32 v;
    __asm__ volatile("mrs %0, cpsr" : "=r"(v));
    return v;
}
static inline void dsb(void) { __asm__ volatile("dsb" ::: "memory"); }
static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }

#endif
