/* Bare-metal port: output on the PL011, power off when finished. */
#include "bench.h"
#include "../common/guest.h"

void bench_write(const char *s, u32 len) {
    while (len--)
        uart_putc(*s++);
}

int main(void) {
    bench_main();
    return 0;   /* start.S powers off */
}
