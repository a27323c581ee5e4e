/* PL011 transmit side only: poll FR.TXFF, then write DR. */
#include "guest.h"

#define UART_DR (*(volatile u32 *)(UART_BASE + 0x00))
#define UART_FR (*(volatile u32 *)(UART_BASE + 0x18))
#define FR_TXFF (1u << 5)

void uart_putc(char c) {
    while (UART_FR & FR_TXFF)
        ;
    UART_DR = (u32)(unsigned char)c;
}

void uart_puts(const char *s) {
    while (*s)
        uart_putc(*s++);
}

void uart_hex(u32 v) {
    uart_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        uart_putc("0123456789abcdef"[(v >> shift) & 15]);
}

void uart_dec(u32 v) {
    char buf[10];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        uart_putc(buf[--n]);
}
