@ Exclusive-access sequences, each entirely in assembly so that no compiler
@ generated memory access sits between LDREX and STREX.

    .syntax unified
    .arm
    .text

@ u32 ex_pair(u32 *p, u32 v): LDREX; STREX -> status (0 = stored)
    .global ex_pair
ex_pair:
    ldrex   r2, [r0]
    strex   r3, r1, [r0]
    mov     r0, r3
    bx      lr

@ u32 ex_clrex(u32 *p, u32 v): LDREX; CLREX; STREX -> status (1 expected)
    .global ex_clrex
ex_clrex:
    ldrex   r2, [r0]
    clrex
    strex   r3, r1, [r0]
    mov     r0, r3
    bx      lr

@ u32 ex_alone(u32 *p, u32 v): STREX with no LDREX before it -> status
    .global ex_alone
ex_alone:
    clrex
    strex   r3, r1, [r0]
    mov     r0, r3
    bx      lr

@ u32 ex_twice(u32 *p, u32 v): LDREX; STREX; STREX -> s1 | s2 << 1
    .global ex_twice
ex_twice:
    ldrex   r2, [r0]
    strex   r3, r1, [r0]
    strex   r12, r1, [r0]
    orr     r0, r3, r12, lsl #1
    bx      lr

@ u32 ex_byte(u8 *p, u32 v), ex_half(u16 *p, u32 v): LDREXB/H; STREXB/H
    .global ex_byte, ex_half
ex_byte:
    ldrexb  r2, [r0]
    strexb  r3, r1, [r0]
    mov     r0, r3
    bx      lr
ex_half:
    ldrexh  r2, [r0]
    strexh  r3, r1, [r0]
    mov     r0, r3
    bx      lr

@ u32 ex_dword(u64 *p, u32 lo, u32 hi): LDREXD; STREXD {lo, hi} -> status
    .global ex_dword
ex_dword:
    push    {r4, r5}
    mov     r4, r1
    mov     r5, r2
    ldrexd  r2, r3, [r0]
    strexd  r1, r4, r5, [r0]
    mov     r0, r1
    pop     {r4, r5}
    bx      lr

@ u32 atomic_add(u32 *p, u32 v): returns the number of STREX retries
    .global atomic_add
atomic_add:
    mov     r12, #0
1:  ldrex   r2, [r0]
    add     r2, r2, r1
    strex   r3, r2, [r0]
    cmp     r3, #0
    addne   r12, r12, #1
    bne     1b
    dmb
    mov     r0, r12
    bx      lr

@ u32 spin_trylock(u32 *l): 1 if taken, 0 if it was held
    .global spin_trylock
spin_trylock:
    mov     r1, #1
1:  ldrex   r2, [r0]
    cmp     r2, #0
    bne     2f
    strex   r3, r1, [r0]
    cmp     r3, #0
    bne     1b
    dmb
    mov     r0, #1
    bx      lr
2:  clrex
    mov     r0, #0
    bx      lr

@ void spin_unlock(u32 *l)
    .global spin_unlock
spin_unlock:
    dmb
    mov     r1, #0
    str     r1, [r0]
    bx      lr
