/* The default guest Armvisor runs when given no image: a short banner that
 * shows the core is alive (mode, MIDR), a little arithmetic, then power off. */
#include "../common/guest.h"

static const char *mode_name(u32 mode) {
    switch (mode) {
    case MODE_USR: return "USR";
    case MODE_FIQ: return "FIQ";
    case MODE_IRQ: return "IRQ";
    case MODE_SVC: return "SVC";
    case MODE_ABT: return "ABT";
    case 0x1a:     return "HYP";
    case MODE_UND: return "UND";
    case MODE_SYS: return "SYS";
    default:       return "???";
    }
}

static int is_prime(u32 n) {
    if (n < 2)
        return 0;
    for (u32 d = 2; d * d <= n; d++)
        if (n % d == 0)
            return 0;
    return 1;
}

int main(u32 dtb) {
    u32 cpsr = cpsr_read();
    u32 midr = midr_read();

    uart_puts("Armvisor demo guest\n");
    uart_puts("  running in ");
    uart_puts(mode_name(cpsr & PSR_MODE));
    uart_puts(" mode, CPSR ");
    uart_hex(cpsr);
    uart_puts("\n  MIDR ");
    uart_hex(midr);
    uart_puts(" (implementer ");
    uart_hex(midr >> 24);
    uart_puts(", part ");
    uart_hex((midr >> 4) & 0xfff);
    uart_puts(")\n  DTB at ");
    uart_hex(dtb);

    uart_puts("\n  first primes:");
    u32 found = 0, sum = 0;
    for (u32 n = 2; found < 10; n++) {
        if (is_prime(n)) {
            uart_putc(' ');
            uart_dec(n);
            sum += n;
            found++;
        }
    }
    uart_puts("\n  their sum: ");
    uart_dec(sum);
    uart_puts("\ndemo guest: done\n");
    return 0;
}
