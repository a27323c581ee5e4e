/* Linux user-mode port (for qemu-arm): raw write(2)/exit(2) syscalls,
 * EABI convention: number in r7, SVC #0. */
#include "fpio.h"

static int sys3(int nr, int a, int b, int c) {
    register int r0 __asm__("r0") = a;
    register int r1 __asm__("r1") = b;
    register int r2 __asm__("r2") = c;
    register int r7 __asm__("r7") = nr;
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
    return r0;
}

void fp_write(const char *s, u32 len) { sys3(4, 1, (int)s, (int)len); }

void fp_linux_main(void) __attribute__((noreturn));
void fp_linux_main(void) {
    fp_run();
    sys3(1, 0, 0, 0);   /* exit(0) */
    for (;;)
        ;
}
