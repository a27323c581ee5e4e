#include "test.h"
#include "exc.h"

static const char *cur_name;
static u32 cur_fails;

void t_begin(const char *name) {
    cur_name = name;
    cur_fails = 0;
    exc_expected = 0;
}

void t_eq(const char *what, u32 got, u32 want) {
    if (got == want)
        return;
    cur_fails++;
    uart_puts("FAIL ");
    uart_puts(cur_name);
    uart_puts(" ");
    uart_puts(what);
    uart_puts(" got=");
    uart_hex(got);
    uart_puts(" want=");
    uart_hex(want);
    uart_puts("\n");
}

void t_end(void) {
    if (cur_fails == 0) {
        uart_puts("PASS ");
        uart_puts(cur_name);
        uart_puts("\n");
    }
}

void t_done(void) {
    uart_puts("DONE\n");
    power_off();
}
