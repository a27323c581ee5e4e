/* Output for the floating-point guests (fpprog, bench-fp): platform-free
 * text and exact decimal rendering of doubles, on top of one write hook
 * that each port (bare metal / Linux user mode) supplies. */
#ifndef FPIO_H
#define FPIO_H

typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;

void fp_write(const char *s, u32 len);   /* provided by the port */
void fp_run(void);                       /* the program; called by the port */

void out_str(const char *s);
void out_u32(u32 v);                     /* decimal */
void out_s32(s32 v);                     /* decimal, with '-' */
void out_hex32(u32 v);                   /* 0x + 8 digits */
void out_bits(double x);                 /* 0x + 16 digits of the IEEE encoding */
void out_fixed(double x, int prec);      /* like printf "%.<prec>f" */
void out_exp(double x, int prec);        /* like printf "%.<prec>e" */

/* The same renderings into a caller's buffer (NUL-terminated); they return
 * the length.  buf needs prec + 330 bytes for out_fixed of any double,
 * prec + 10 for out_exp.  prec is clamped to 0..FMT_MAX_PREC. */
#define FMT_MAX_PREC 60
u32 fmt_fixed(char *buf, double x, int prec);
u32 fmt_exp(char *buf, double x, int prec);

static inline u64 dbl_bits(double x) {
    union { double d; u64 u; } v;
    v.d = x;
    return v.u;
}
static inline double bits_dbl(u64 u) {
    union { double d; u64 u; } v;
    v.u = u;
    return v.d;
}

#endif
