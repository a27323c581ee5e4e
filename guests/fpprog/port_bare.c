/* Bare-metal port for the VFP guests: common/vfp_enable.S has enabled VFP
 * and calls fp_main; output goes to the PL011; start.S powers off. */
#include "fpio.h"

void uart_putc(char c);

void fp_write(const char *s, u32 len) {
    while (len--)
        uart_putc(*s++);
}

int fp_main(void);
int fp_main(void) {
    fp_run();
    return 0;
}
