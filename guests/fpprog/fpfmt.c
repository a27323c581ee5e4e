/* Exact decimal rendering of IEEE-754 doubles with integer arithmetic only.
 *
 * A finite double is m * 2^e with an integer m < 2^53.  We keep it as the
 * fraction R/S of two big integers (R = m * 2^max(e,0), S = 2^max(-e,0)),
 * scale by powers of ten until 1 <= R/S < 10, and then peel off decimal
 * digits one at a time: d = floor(R/S), R = 10 * (R - d*S).  After the last
 * digit wanted, 2R against S decides the rounding (ties to even, as C's
 * printf does on glibc).  Every step is exact, so the text is the correctly
 * rounded decimal value and does not depend on the FPU at all. */
#include "fpio.h"

/* ---- plain output ------------------------------------------------------- */
static u32 slen(const char *s) { u32 n = 0; while (s[n]) n++; return n; }
void out_str(const char *s) { fp_write(s, slen(s)); }

void out_u32(u32 v) {
    char b[10];
    int n = 10;
    do { b[--n] = (char)('0' + v % 10); v /= 10; } while (v);
    fp_write(b + n, (u32)(10 - n));
}
void out_s32(s32 v) {
    if (v < 0) { out_str("-"); out_u32(0u - (u32)v); }
    else out_u32((u32)v);
}
static void hex_digits(char *b, u32 v) {
    for (int i = 0; i < 8; i++)
        b[i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
}
void out_hex32(u32 v) {
    char b[10] = {'0', 'x'};
    hex_digits(b + 2, v);
    fp_write(b, 10);
}
void out_bits(double x) {
    u64 u = dbl_bits(x);
    char b[18] = {'0', 'x'};
    hex_digits(b + 2, (u32)(u >> 32));
    hex_digits(b + 10, (u32)u);
    fp_write(b, 18);
}

/* ---- big unsigned integers: little-endian 32-bit limbs ------------------- */
#define LIMBS 40   /* 1280 bits: m * 10^324 and 10 * 2^1074 both fit */
struct big { u32 n; u32 d[LIMBS]; };   /* n = limbs in use, d[n-1] != 0 */

static void big_set64(struct big *b, u64 v) {
    b->d[0] = (u32)v;
    b->d[1] = (u32)(v >> 32);
    b->n = b->d[1] ? 2 : b->d[0] ? 1 : 0;
}
static void big_copy(struct big *to, const struct big *from) {
    to->n = from->n;
    for (u32 i = 0; i < from->n; i++)
        to->d[i] = from->d[i];
}
static void big_shl(struct big *b, u32 k) {
    if (b->n == 0)
        return;
    u32 words = k / 32, bits = k % 32;
    u32 n = b->n + words + 1;
    for (u32 i = n; i-- > 0;) {
        u32 lo = (i >= words && i - words < b->n) ? b->d[i - words] : 0;
        u32 lo2 = (i >= words + 1 && i - words - 1 < b->n) ? b->d[i - words - 1] : 0;
        b->d[i] = bits ? (lo << bits) | (lo2 >> (32 - bits)) : lo;
    }
    b->n = n;
    while (b->n && b->d[b->n - 1] == 0)
        b->n--;
}
static void big_mul_small(struct big *b, u32 m) {
    u32 carry = 0;
    for (u32 i = 0; i < b->n; i++) {
        u64 t = (u64)b->d[i] * m + carry;
        b->d[i] = (u32)t;
        carry = (u32)(t >> 32);
    }
    if (carry)
        b->d[b->n++] = carry;
}
static int big_cmp(const struct big *a, const struct big *b) {
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (u32 i = a->n; i-- > 0;)
        if (a->d[i] != b->d[i])
            return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}
static void big_sub(struct big *a, const struct big *b) {   /* a >= b */
    u32 borrow = 0;
    for (u32 i = 0; i < a->n; i++) {
        u32 bi = i < b->n ? b->d[i] : 0;
        u64 t = (u64)a->d[i] - bi - borrow;
        a->d[i] = (u32)t;
        borrow = (u32)(t >> 32) & 1;
    }
    while (a->n && a->d[a->n - 1] == 0)
        a->n--;
}

/* ---- digit generation ---------------------------------------------------- */
/* Up to `want` correctly rounded significant digits of |x| (finite, nonzero)
 * into dig[]; *exp10 = decimal exponent of dig[0].  If `last_pos` is not
 * the sentinel, digits stop at the 10^last_pos place instead (fixed
 * notation); the return value is the number of digits, which can be 0 or
 * -1 when everything lies below that place (see fmt_fixed). */
#define NO_POS (-100000)
static int gen_digits(double x, char *dig, int want, int last_pos, int *exp10) {
    u64 u = dbl_bits(x);
    int be = (int)((u >> 52) & 0x7ff);
    u64 m = u & 0xfffffffffffffull;
    int e;
    if (be == 0) {
        e = -1074;                 /* subnormal */
    } else {
        m |= 1ull << 52;
        e = be - 1075;
    }
    struct big r, s, t;
    big_set64(&r, m);
    big_set64(&s, 1);
    if (e > 0) big_shl(&r, (u32)e);
    else big_shl(&s, (u32)-e);

    /* Scale to 1 <= R/S < 10, counting the decimal exponent k. */
    int k = 0;
    if (big_cmp(&r, &s) >= 0) {
        for (;;) {
            big_copy(&t, &s);
            big_mul_small(&t, 10);
            if (big_cmp(&r, &t) < 0)
                break;
            big_copy(&s, &t);
            k++;
        }
    } else {
        while (big_cmp(&r, &s) < 0) {
            big_mul_small(&r, 10);
            k--;
        }
    }

    int n = last_pos == NO_POS ? want : k - last_pos + 1;
    if (n < 0) {                   /* x < 10^(last_pos-1): rounds to 0 */
        *exp10 = k;
        return -1;
    }
    for (int i = 0; i < n; i++) {
        int d = 0;
        while (big_cmp(&r, &s) >= 0) {
            big_sub(&r, &s);
            d++;
        }
        dig[i] = (char)d;
        big_mul_small(&r, 10);
    }
    /* Here R holds 10 * remainder; compare remainder with S/2:
     * 10*rem vs 5*S. */
    big_copy(&t, &s);
    big_mul_small(&t, 5);
    int c = big_cmp(&r, &t);
    int up;
    if (n == 0)                    /* the first digit itself is the tail */
        up = c > 0;                /* a tie rounds to the even 0 */
    else
        up = c > 0 || (c == 0 && (dig[n - 1] & 1));
    if (n == 0) {
        /* R/S was the leading digit times ten: no digit kept; d = R/S/10 */
        *exp10 = k;
        return up ? -2 : 0;
    }
    if (up) {
        int i = n - 1;
        while (i >= 0 && dig[i] == 9)
            dig[i--] = 0;
        if (i >= 0) {
            dig[i]++;
        } else {                   /* 99..9 -> 100..0: one more place */
            for (int j = n; j > 0; j--)
                dig[j] = dig[j - 1];
            dig[0] = 1;
            k++;
            if (last_pos == NO_POS)
                ;                  /* caller reads only `want` digits */
            else
                n++;
        }
    }
    *exp10 = k;
    return n;
}

static u32 special(char *buf, double x, u32 pos) {
    u64 u = dbl_bits(x);
    const char *s = (u & 0xfffffffffffffull) ? "nan" : "inf";
    for (int i = 0; i < 3; i++)
        buf[pos++] = s[i];
    buf[pos] = 0;
    return pos;
}

static int clamp_prec(int prec) {
    return prec < 0 ? 0 : prec > FMT_MAX_PREC ? FMT_MAX_PREC : prec;
}

u32 fmt_fixed(char *buf, double x, int prec) {
    char dig[400];
    u64 u = dbl_bits(x);
    u32 pos = 0;
    prec = clamp_prec(prec);
    if (u >> 63)
        buf[pos++] = '-';
    if (((u >> 52) & 0x7ff) == 0x7ff)
        return special(buf, x, pos);
    int k = 0, n = 0;
    if ((u << 1) != 0) {
        n = gen_digits(x, dig, 0, -prec, &k);
        if (n == -2) {             /* rounded up to one unit in the last place */
            dig[0] = 1;
            k = -prec;
            n = 1;
        } else if (n < 0) {
            n = 0;
        }
    }
    if (n == 0)
        k = 0;                     /* zero: no digits at all */
    /* place j carries dig[k - j] */
    int top = k > 0 ? k : 0;
    for (int j = top; j >= -prec; j--) {
        int i = k - j;
        buf[pos++] = (char)('0' + ((n > 0 && i >= 0 && i < n) ? dig[i] : 0));
        if (j == 0 && prec > 0)
            buf[pos++] = '.';
    }
    buf[pos] = 0;
    return pos;
}

u32 fmt_exp(char *buf, double x, int prec) {
    char dig[FMT_MAX_PREC + 2];
    u64 u = dbl_bits(x);
    u32 pos = 0;
    prec = clamp_prec(prec);
    if (u >> 63)
        buf[pos++] = '-';
    if (((u >> 52) & 0x7ff) == 0x7ff)
        return special(buf, x, pos);
    int k = 0;
    if ((u << 1) != 0) {
        gen_digits(x, dig, prec + 1, NO_POS, &k);
    } else {
        for (int i = 0; i <= prec; i++)
            dig[i] = 0;
    }
    buf[pos++] = (char)('0' + dig[0]);
    if (prec > 0)
        buf[pos++] = '.';
    for (int i = 1; i <= prec; i++)
        buf[pos++] = (char)('0' + dig[i]);
    buf[pos++] = 'e';
    buf[pos++] = k < 0 ? '-' : '+';
    u32 ak = k < 0 ? (u32)-k : (u32)k;
    if (ak >= 100)
        buf[pos++] = (char)('0' + ak / 100);
    buf[pos++] = (char)('0' + ak / 10 % 10);
    buf[pos++] = (char)('0' + ak % 10);
    buf[pos] = 0;
    return pos;
}

void out_fixed(double x, int prec) {
    char buf[FMT_MAX_PREC + 340];
    fp_write(buf, fmt_fixed(buf, x, prec));
}
void out_exp(double x, int prec) {
    char buf[FMT_MAX_PREC + 16];
    fp_write(buf, fmt_exp(buf, x, prec));
}
