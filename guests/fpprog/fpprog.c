/* fpprog: a floating-point "real program" for the Thumb-2 / VFP core.
 * Our own code.  Built twice from this file (bare metal on Armvisor /
 * qemu-system-arm, and a static Linux binary for qemu-arm); both must print
 * byte-identical text, so every number is printed by the exact integer
 * formatter in fpfmt.c, most of them with their IEEE bits as well.
 *
 *   1. formatter self-check on a few known values
 *   2. n-body: five bodies, leapfrog-style steps, energy drift
 *   3. 6x6 Gauss-Jordan inverse with partial pivoting, residual of A*inv(A)
 *   4. single precision: a float series, float <-> double conversions
 *   5. integer / fixed-point conversions, saturation
 *   6. FPSCR: rounding modes, cumulative exception flags, VMLA family,
 *      VFPv4 VFMA, D16-D31 */
#include "fpio.h"
#include "fpops.h"

static void label(const char *s) { out_str(s); }
static void nl(void) { out_str("\n"); }
/* "name  <fixed>  <exp>  <bits>" */
static void show(const char *name, double x, int fprec, int eprec) {
    out_str(name);
    out_str(" ");
    out_fixed(x, fprec);
    out_str(" ");
    out_exp(x, eprec);
    out_str(" ");
    out_bits(x);
    nl();
}

/* ---- 1. formatter self-check -------------------------------------------- */
static void fmt_check(void) {
    label("== format\n");
    volatile double ten = 10.0, three = 3.0, one = 1.0;
    show("0.1     ", one / ten, 20, 16);
    show("1/3     ", one / three, 17, 16);
    show("2/3     ", 2.0 * one / three, 17, 16);
    show("2.5     ", 2.5 * one, 0, 0);
    show("3.5     ", 3.5 * one, 0, 0);
    show("-0.125  ", -0.125 * one, 2, 1);
    show("1e22    ", 1e22 * one, 1, 20);
    show("2^-1074 ", bits_dbl(1) * one, 3, 16);
    show("max     ", bits_dbl(0x7fefffffffffffffull) * one, 0, 16);
    show("-0      ", -0.0 * one, 3, 3);
}

/* ---- 2. n-body ------------------------------------------------------------ */
#define NBODY 5
struct body { double x[3], v[3], m; };

static struct body bodies[NBODY];

static void nbody_init(void) {
    /* a heavy centre and four light bodies on roughly circular, slightly
     * inclined orbits (G = 1) */
    static const double init[NBODY][7] = {
        {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0},
        {1.0, 0.0, 0.01, 0.0, 1.0, 0.02, 1.2e-3},
        {0.0, 1.7, -0.03, -0.767, 0.0, 0.01, 3.5e-4},
        {-2.9, 0.2, 0.0, -0.03, -0.587, 0.0, 6.0e-5},
        {0.5, -4.4, 0.1, 0.477, 0.05, -0.004, 2.0e-5},
    };
    for (int i = 0; i < NBODY; i++) {
        for (int k = 0; k < 3; k++) {
            bodies[i].x[k] = init[i][k];
            bodies[i].v[k] = init[i][3 + k];
        }
        bodies[i].m = init[i][6];
    }
    /* zero total momentum by moving the centre */
    for (int k = 0; k < 3; k++) {
        double p = 0.0;
        for (int i = 1; i < NBODY; i++)
            p += bodies[i].m * bodies[i].v[k];
        bodies[0].v[k] = -p / bodies[0].m;
    }
}

static double nbody_energy(void) {
    double e = 0.0;
    for (int i = 0; i < NBODY; i++) {
        struct body *b = &bodies[i];
        e += 0.5 * b->m * (b->v[0] * b->v[0] + b->v[1] * b->v[1] + b->v[2] * b->v[2]);
        for (int j = i + 1; j < NBODY; j++) {
            double d[3], d2 = 0.0;
            for (int k = 0; k < 3; k++) {
                d[k] = b->x[k] - bodies[j].x[k];
                d2 += d[k] * d[k];
            }
            e -= b->m * bodies[j].m / vsqrt64(d2);
        }
    }
    return e;
}

static void nbody_step(double dt) {
    for (int i = 0; i < NBODY; i++) {
        struct body *a = &bodies[i];
        for (int j = i + 1; j < NBODY; j++) {
            struct body *b = &bodies[j];
            double d[3], d2 = 0.0;
            for (int k = 0; k < 3; k++) {
                d[k] = a->x[k] - b->x[k];
                d2 += d[k] * d[k];
            }
            double mag = dt / (d2 * vsqrt64(d2));
            double ma = a->m * mag, mb = b->m * mag;
            for (int k = 0; k < 3; k++) {
                a->v[k] -= d[k] * mb;
                b->v[k] += d[k] * ma;
            }
        }
    }
    for (int i = 0; i < NBODY; i++)
        for (int k = 0; k < 3; k++)
            bodies[i].x[k] += dt * bodies[i].v[k];
}

static void nbody(void) {
    label("== n-body (5 bodies, 1000 steps of 0.005)\n");
    nbody_init();
    double e0 = nbody_energy();
    show("energy before", e0, 12, 15);
    for (int s = 0; s < 1000; s++)
        nbody_step(0.005);
    double e1 = nbody_energy();
    show("energy after ", e1, 12, 15);
    show("rel. drift   ", (e1 - e0) / e0, 15, 6);
    for (int i = 0; i < NBODY; i++) {
        out_str("body ");
        out_u32((u32)i);
        out_str(" x");
        for (int k = 0; k < 3; k++) {
            out_str(" ");
            out_fixed(bodies[i].x[k], 9);
        }
        out_str("  v");
        for (int k = 0; k < 3; k++) {
            out_str(" ");
            out_exp(bodies[i].v[k], 9);
        }
        nl();
    }
    double h = 0.0;
    for (int i = 0; i < NBODY; i++)
        for (int k = 0; k < 3; k++)
            h = h * 0.5 + bodies[i].x[k] + bodies[i].v[k];
    show("state hash   ", h, 15, 15);
}

/* ---- 3. matrix inverse ---------------------------------------------------- */
#define N 6
static double A[N][N], Inv[N][N];
static u32 rng;
static double rnd(void) {                /* exact: s32 / 2^31 in [-1, 1) */
    rng = rng * 1664525u + 1013904223u;
    return (double)(s32)rng * (1.0 / 2147483648.0);
}

/* Gauss-Jordan on [M | I] with partial pivoting; returns det(M). */
static double invert(double m[N][N], double inv[N][N], int piv[N]) {
    double w[N][2 * N];
    double det = 1.0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            w[i][j] = m[i][j];
            w[i][N + j] = i == j ? 1.0 : 0.0;
        }
    for (int c = 0; c < N; c++) {
        int p = c;
        double best = vabs64(w[c][c]);
        for (int r = c + 1; r < N; r++)
            if (vabs64(w[r][c]) > best) {
                best = vabs64(w[r][c]);
                p = r;
            }
        piv[c] = p;
        if (p != c) {
            for (int j = 0; j < 2 * N; j++) {
                double t = w[c][j];
                w[c][j] = w[p][j];
                w[p][j] = t;
            }
            det = -det;
        }
        double d = w[c][c];
        det *= d;
        for (int j = 0; j < 2 * N; j++)
            w[c][j] /= d;
        for (int r = 0; r < N; r++) {
            if (r == c)
                continue;
            double f = w[r][c];
            for (int j = 0; j < 2 * N; j++)
                w[r][j] -= f * w[c][j];
        }
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            inv[i][j] = w[i][N + j];
    return det;
}

static void matrix(void) {
    label("== 6x6 inverse (Gauss-Jordan, partial pivoting)\n");
    rng = 0x2545f491u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            A[i][j] = rnd() + 1.0 / (double)(i + j + 1);
    int piv[N];
    double det = invert(A, Inv, piv);
    out_str("pivot rows");
    for (int i = 0; i < N; i++) {
        out_str(" ");
        out_u32((u32)piv[i]);
    }
    nl();
    show("det     ", det, 15, 15);
    for (int i = 0; i < N; i++) {
        out_str("inv ");
        out_u32((u32)i);
        for (int j = 0; j < N; j++) {
            out_str(" ");
            out_exp(Inv[i][j], 10);
        }
        nl();
    }
    double res = 0.0, trace = 0.0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double s = 0.0;
            for (int k = 0; k < N; k++)
                s += A[i][k] * Inv[k][j];
            double e = vabs64(s - (i == j ? 1.0 : 0.0));
            if (e > res)
                res = e;
            if (i == j)
                trace += s;
        }
    show("residual", res, 20, 3);
    show("trace   ", trace, 17, 16);
    /* inverting twice gets A back up to rounding */
    static double back[N][N];
    double det2 = invert(Inv, back, piv);
    double diff = 0.0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double e = vabs64(back[i][j] - A[i][j]);
            if (e > diff)
                diff = e;
        }
    show("det*det2", det * det2, 17, 16);
    show("inv(inv)", diff, 20, 3);
}

/* ---- 4. single precision ---------------------------------------------------- */
static u32 fbits(float f) {
    union { float f; u32 u; } v;
    v.f = f;
    return v.u;
}
static void single(void) {
    label("== single precision\n");
    float s = 0.0f;
    for (int k = 4096; k >= 1; k--)
        s += 1.0f / ((float)k * (float)k);
    float pi = vsqrt32(6.0f * s);
    out_str("sum 1/k^2 ");
    out_fixed((double)s, 10);
    out_str(" ");
    out_hex32(fbits(s));
    nl();
    out_str("pi(float) ");
    out_fixed((double)pi, 10);
    out_str(" ");
    out_hex32(fbits(pi));
    nl();
    volatile double third = 1.0 / 3.0, big = 1e39, tiny = 1e-46, mid = 1.00000005960464477539;
    out_str("narrow    ");
    out_hex32(fbits((float)third));
    out_str(" ");
    out_hex32(fbits((float)big));
    out_str(" ");
    out_hex32(fbits((float)tiny));
    out_str(" ");
    out_hex32(fbits((float)mid));      /* exactly halfway: ties to even */
    out_str(" ");
    out_hex32(fbits((float)-third));
    nl();
    volatile float sub = 1e-40f;
    show("widen sub", (double)sub, 3, 10);
}

/* ---- 5. conversions ---------------------------------------------------------- */
static void conversions(void) {
    label("== conversions\n");
    static const double v[] = {0.0, -0.0, 0.5, -0.5, 1.5, -2.5, 2.7, -2.7,
                               2147483647.4, 2147483648.0, -2147483648.9, -2147483649.0,
                               4294967295.9, 4294967296.0, 1e300, -1e300};
    for (u32 i = 0; i < sizeof v / sizeof v[0]; i++) {
        volatile double x = v[i];
        s32 si = (s32)x;
        u32 ui = (u32)x;
        double fx = x;
        s32 q16, q8;
        __asm__("vcvt.s32.f64 %P0, %P0, #16" : "+w"(fx));
        q16 = (s32)(u32)dbl_bits(fx);
        double hx = x;
        __asm__("vcvt.s16.f64 %P0, %P0, #8" : "+w"(hx));
        q8 = (s32)(u32)dbl_bits(hx);
        out_str("cvt ");
        out_exp(x, 10);
        out_str(" s32 ");
        out_s32(si);
        out_str(" u32 ");
        out_u32(ui);
        out_str(" s32.16 ");
        out_hex32((u32)q16);
        out_str(" s16.8 ");
        out_hex32((u32)q8);
        out_str(" hi ");
        out_hex32((u32)(dbl_bits(hx) >> 32));
        nl();
    }
    static const s32 iv[] = {0, 1, -1, 2147483647, -2147483647 - 1, 16777217, -16777217};
    for (u32 i = 0; i < sizeof iv / sizeof iv[0]; i++) {
        volatile s32 n = iv[i];
        volatile u32 un = (u32)iv[i];
        float f = (float)n;
        out_str("int ");
        out_s32(n);
        out_str(" -> ");
        out_fixed((double)n, 1);
        out_str(" ");
        out_fixed((double)un, 1);
        out_str(" ");
        out_hex32(fbits(f));
        out_str(" ");
        out_hex32(fbits((float)un));
        nl();
    }
    /* fixed point back to floating point: 0x00018000 with 16 fraction bits */
    double fx = bits_dbl(0x00018000u);
    __asm__("vcvt.f64.s32 %P0, %P0, #16" : "+w"(fx));
    double fy = bits_dbl(0xffff8000u);   /* s16 -0x8000 with 4 fraction bits */
    __asm__("vcvt.f64.s16 %P0, %P0, #4" : "+w"(fy));
    double fz = bits_dbl(0xdeadffffu);   /* u16 0xffff with 15 fraction bits */
    __asm__("vcvt.f64.u16 %P0, %P0, #15" : "+w"(fz));
    show("fix->f64", fx, 6, 6);
    show("s16->f64", fy, 6, 6);
    show("u16->f64", fz, 10, 10);
}

/* ---- 6. FPSCR: rounding modes, flags; VMLA family; VFMA; D16-D31 ------- */
static const char *const mode_name[4] = {"RN", "RP", "RM", "RZ"};

static void fpscr_tests(void) {
    label("== FPSCR rounding modes\n");
    volatile double one = 1.0, three = 3.0, two = 2.0, m25 = -2.5, p25 = 2.5;
    for (u32 mode = 0; mode < 4; mode++) {
        double q, nq, r, a;
        u32 ci, cn, flags;
        __asm__ volatile(
            "vmsr fpscr, %[m]\n\t"
            "vdiv.f64 %P[q], %P[one], %P[three]\n\t"
            "vnmul.f64 %P[nq], %P[q], %P[three]\n\t"
            "vsqrt.f64 %P[r], %P[two]\n\t"
            "vadd.f64 %P[a], %P[r], %P[q]\n\t"
            "vcvtr.s32.f64 s0, %P[p25]\n\t"
            "vmov %[ci], s0\n\t"
            "vcvtr.s32.f64 s0, %P[m25]\n\t"
            "vmov %[cn], s0\n\t"
            "vmrs %[f], fpscr\n\t"
            "vmsr fpscr, %[z]"
            : [q] "=&w"(q), [nq] "=&w"(nq), [r] "=&w"(r), [a] "=&w"(a),
              [ci] "=&r"(ci), [cn] "=&r"(cn), [f] "=&r"(flags)
            : [m] "r"(mode << 22), [z] "r"(0), [one] "w"(one), [three] "w"(three),
              [two] "w"(two), [p25] "w"(p25), [m25] "w"(m25)
            : "s0");
        out_str(mode_name[mode]);
        out_str(" 1/3 ");
        out_bits(q);
        out_str(" -(q*3) ");
        out_bits(nq);
        out_str(" sqrt2 ");
        out_bits(r);
        out_str(" sum ");
        out_bits(a);
        out_str(" cvtr(2.5) ");
        out_s32((s32)ci);
        out_str(" cvtr(-2.5) ");
        out_s32((s32)cn);
        out_str(" fpscr ");
        out_hex32(flags);
        nl();
    }

    label("== FPSCR cumulative flags\n");
    volatile double zero = 0.0, huge = 1e308, small = 1e-308, neg = -1.0, big32 = 3e9;
    double qnan = bits_dbl(0x7ff8000000000123ull), snan = bits_dbl(0x7ff0000000000123ull);
    struct { const char *name; u32 flags; double r; } t[12];
    u32 n = 0;
#define FLAGOP(nm, insn, X, Y)                                                   \
    do {                                                                         \
        double res;                                                              \
        u32 fl;                                                                  \
        __asm__ volatile("vmsr fpscr, %[z]\n\t" insn "\n\t"                      \
                         "vmrs %[f], fpscr\n\t"                                  \
                         "vmsr fpscr, %[z]"                                      \
                         : [r] "=&w"(res), [f] "=&r"(fl)                          \
                         : [a] "w"(X), [b] "w"(Y), [z] "r"(0)                      \
                         : "d0", "cc");                                          \
        t[n].name = nm;                                                          \
        t[n].flags = fl;                                                         \
        t[n].r = res;                                                            \
        n++;                                                                     \
    } while (0)
    FLAGOP("1/0      ", "vdiv.f64 %P[r], %P[a], %P[b]", one, zero);
    FLAGOP("0/0      ", "vdiv.f64 %P[r], %P[a], %P[b]", zero, zero);
    FLAGOP("overflow ", "vmul.f64 %P[r], %P[a], %P[b]", huge, huge);
    FLAGOP("underflow", "vmul.f64 %P[r], %P[a], %P[b]", small, small);
    FLAGOP("subnormal", "vmul.f64 %P[r], %P[a], %P[b]", small, bits_dbl(0x3fb0000000000000ull));
    FLAGOP("exact    ", "vmul.f64 %P[r], %P[a], %P[b]", p25, two);
    FLAGOP("sqrt(-1) ", "vsqrt.f64 %P[r], %P[a]", neg, neg);
    FLAGOP("qnan+1   ", "vadd.f64 %P[r], %P[a], %P[b]", qnan, one);
    FLAGOP("snan+1   ", "vadd.f64 %P[r], %P[a], %P[b]", snan, one);
    FLAGOP("cvt 3e9  ", "vmov.f64 d0, %P[b]\n\tvcvt.s32.f64 s0, %P[a]\n\tvmov.f64 %P[r], d0", big32, zero);
    FLAGOP("cmp qnan ", "vcmp.f64 %P[a], %P[b]\n\tvmrs APSR_nzcv, fpscr\n\tvmov.f64 %P[r], %P[b]", qnan, one);
    FLAGOP("cmpe qnan", "vcmpe.f64 %P[a], %P[b]\n\tvmrs APSR_nzcv, fpscr\n\tvmov.f64 %P[r], %P[b]", qnan, one);
#undef FLAGOP
    for (u32 i = 0; i < n; i++) {
        out_str(t[i].name);
        out_str(" fpscr ");
        out_hex32(t[i].flags);
        out_str(" result ");
        out_bits(t[i].r);
        nl();
    }

    label("== multiply-accumulate\n");
    /* a*b is not exact, so fused and unfused differ in the last place */
    volatile double ma = 1.0 + 0x1p-30, mb = 1.0 - 0x1p-30, mc = -1.0;
    double acc;
    acc = mc;
    __asm__("vmla.f64 %P0, %P1, %P2" : "+w"(acc) : "w"(ma), "w"(mb));
    out_str("vmla  ");
    out_bits(acc);
    acc = mc;
    __asm__("vmls.f64 %P0, %P1, %P2" : "+w"(acc) : "w"(ma), "w"(mb));
    out_str(" vmls  ");
    out_bits(acc);
    acc = mc;
    __asm__("vnmla.f64 %P0, %P1, %P2" : "+w"(acc) : "w"(ma), "w"(mb));
    out_str(" vnmla ");
    out_bits(acc);
    nl();
    acc = mc;
    __asm__("vnmls.f64 %P0, %P1, %P2" : "+w"(acc) : "w"(ma), "w"(mb));
    out_str("vnmls ");
    out_bits(acc);
    acc = mc;
    __asm__(".fpu vfpv4\n\tvfma.f64 %P0, %P1, %P2\n\t.fpu vfpv3-d16" : "+w"(acc) : "w"(ma), "w"(mb));
    out_str(" vfma  ");
    out_bits(acc);
    acc = mc;
    __asm__(".fpu vfpv4\n\tvfnms.f64 %P0, %P1, %P2\n\t.fpu vfpv3-d16" : "+w"(acc) : "w"(ma), "w"(mb));
    out_str(" vfnms ");
    out_bits(acc);
    nl();

    label("== D16-D31\n");
    double sum;
    __asm__ volatile(".fpu vfpv3\n\t"
                     "vmov.f64 d16, %P1\n\t"
                     "vmov.f64 d31, #0.5\n\t"
                     "vadd.f64 d17, d16, d31\n\t"
                     "vmul.f64 d24, d17, d17\n\t"
                     "vmov d20, %Q2, %R2\n\t"
                     "vsub.f64 d25, d24, d20\n\t"
                     "vmov.f64 %P0, d25\n\t"
                     ".fpu vfpv3-d16"
                     : "=w"(sum)
                     : "w"(three), "r"(dbl_bits(1.0 / 3.0))
                     : "d16", "d17", "d20", "d24", "d25", "d31");
    show("(3+0.5)^2-1/3", sum, 17, 16);
}

void fp_run(void) {
    out_str("armvisor fpprog: Thumb-2 + VFP (hard float)\n");
    fmt_check();
    nbody();
    matrix();
    single();
    conversions();
    fpscr_tests();
    out_str("fpprog: done\n");
}
