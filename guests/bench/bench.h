/* The benchmark core is platform-free; a port supplies output and startup. */
#ifndef BENCH_H
#define BENCH_H

typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

/* Total work; ~1.5e9 ARM instructions at -O2 -marm (see README). */
#ifndef BENCH_ITERATIONS
#define BENCH_ITERATIONS 19500
#endif

void bench_write(const char *s, u32 len);   /* provided by the port */
u32 bench_main(void);                       /* returns the checksum */

#endif
