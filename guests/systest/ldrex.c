/* Exclusive monitor, single core (ARM ARM A3.4): LDREX/STREX succeed as a
 * pair, a STREX with no open LDREX (or after CLREX, or a second STREX)
 * fails with status 1 and does not write; byte/half/doubleword forms; an
 * atomic counter and a spin lock built on them. */
#include "../common/test.h"
#include "../common/mmu.h"

static u32 l1[4096] __attribute__((aligned(16384)));
static volatile u32 word, lock, counter;
static volatile unsigned char byte;
static volatile unsigned short half;
static volatile u64 dword;

u32 ex_pair(volatile u32 *, u32), ex_clrex(volatile u32 *, u32);
u32 ex_alone(volatile u32 *, u32), ex_twice(volatile u32 *, u32);
u32 ex_byte(volatile unsigned char *, u32), ex_half(volatile unsigned short *, u32);
u32 ex_dword(volatile u64 *, u32, u32);
u32 atomic_add(volatile u32 *, u32);
u32 spin_trylock(volatile u32 *);
void spin_unlock(volatile u32 *);

int main(void) {
    /* Exclusives are only architected for Normal memory: MMU on. */
    mmu_identity_short(l1);
    mmu_enable_short(l1, DACR_CLIENT(0));

    t_begin("ldrex_strex_pair");
    word = 1;
    t_eq("status", ex_pair(&word, 2), 0);
    t_eq("stored", word, 2);
    t_end();

    t_begin("strex_without_ldrex_fails");
    word = 3;
    t_eq("status", ex_alone(&word, 4), 1);
    t_eq("not stored", word, 3);
    t_end();

    t_begin("clrex_clears_monitor");
    word = 5;
    t_eq("status", ex_clrex(&word, 6), 1);
    t_eq("not stored", word, 5);
    t_end();

    t_begin("second_strex_fails");
    word = 7;
    t_eq("statuses", ex_twice(&word, 8), 2);
    t_eq("stored once", word, 8);
    t_end();

    t_begin("ldrex_sizes");
    byte = 0x11;
    half = 0x2222;
    dword = 0x3333333344444444ull;
    t_eq("strexb", ex_byte(&byte, 0x55), 0);
    t_eq("byte", byte, 0x55);
    t_eq("strexh", ex_half(&half, 0x6666), 0);
    t_eq("half", half, 0x6666);
    t_eq("strexd", ex_dword(&dword, 0x77778888u, 0x9999aaaau), 0);
    t_eq("dword lo", (u32)dword, 0x77778888u);
    t_eq("dword hi", (u32)(dword >> 32), 0x9999aaaau);
    t_end();

    t_begin("atomic_increment");
    counter = 0;
    u32 retries = 0;
    for (int i = 0; i < 1000; i++)
        retries += atomic_add(&counter, 3);
    t_eq("counter", counter, 3000);
    t_true("retries bounded", retries < 1000);
    t_end();

    t_begin("spin_lock");
    lock = 0;
    t_eq("take free lock", spin_trylock(&lock), 1);
    t_eq("lock word", lock, 1);
    t_eq("take held lock", spin_trylock(&lock), 0);
    t_eq("strex after failed trylock", ex_alone(&word, 9), 1);
    spin_unlock(&lock);
    t_eq("released", lock, 0);
    t_eq("retake", spin_trylock(&lock), 1);
    spin_unlock(&lock);
    t_end();

    mmu_disable();
    t_done();
}
