/* bench-fp: a floating-point workload (our own code) for the Thumb-2 / VFP
 * core, the FP counterpart of bench.c.  Each iteration runs a 64-point
 * complex FFT and its inverse (radix-2 butterflies), a spectral filter
 * (divisions), dot products, a degree-10 polynomial by Horner's rule,
 * square roots and a single-precision polynomial, and feeds the results
 * back into the inputs, so every iteration depends on the one before.
 * Deterministic: the same text on every platform (fpfmt.c prints exactly). */
#include "../fpprog/fpio.h"
#include "../fpprog/fpops.h"

/* Total work; 23,261 instructions per iteration at -O2 -mthumb, so
 * 32000 iterations ~ 0.744e9 (see README). */
#ifndef BENCH_FP_ITERATIONS
#define BENCH_FP_ITERATIONS 32000
#endif

#define NP 64            /* FFT size */
#define LOG2NP 6

static double X[NP], Y[NP];          /* state carried between iterations */
static double re[NP], im[NP];        /* FFT work area */
static double wr[NP / 2], wi[NP / 2];/* twiddles e^{-2 pi i k / NP} */
static double H[NP];                 /* filter */
static float F[NP];                  /* single-precision state */
static unsigned char rev[NP];        /* bit reversal */

/* Twiddles without sin/cos: halve the angle pi/2 four times with
 * cos(a/2) = sqrt((1 + cos a) / 2), sin(a/2) = sin a / (2 cos(a/2)),
 * giving 2 pi / 64, then take powers by complex multiplication. */
static void init_tables(void) {
    double c = 0.0, s = 1.0;
    for (int i = 0; i < 4; i++) {
        double c2 = vsqrt64((1.0 + c) * 0.5);
        s = s / (2.0 * c2);
        c = c2;
    }
    double pr = 1.0, pi = 0.0;
    for (int k = 0; k < NP / 2; k++) {
        wr[k] = pr;
        wi[k] = -pi;
        double t = pr * c - pi * s;
        pi = pr * s + pi * c;
        pr = t;
    }
    for (int k = 0; k < NP; k++) {
        int f = k < NP / 2 ? k : NP - k;      /* symmetric low-pass */
        H[k] = 1.0 / (1.0 + (double)(f * f) * (1.0 / 64.0));
        u32 r = 0;
        for (int b = 0; b < LOG2NP; b++)
            r |= (((u32)k >> b) & 1u) << (LOG2NP - 1 - b);
        rev[k] = (unsigned char)r;
    }
    u32 seed = 0x9e3779b9u;
    for (int i = 0; i < NP; i++) {
        seed = seed * 1664525u + 1013904223u;
        X[i] = (double)(s32)seed * (1.0 / 2147483648.0);
        seed = seed * 1664525u + 1013904223u;
        Y[i] = (double)(s32)seed * (1.0 / 2147483648.0);
        F[i] = (float)X[i] * 0.5f;
    }
}

/* In-place radix-2 decimation-in-time FFT; inverse uses conjugate twiddles
 * (the caller scales by 1/NP). */
static void fft(int inverse) {
    for (int i = 0; i < NP; i++) {
        int j = rev[i];
        if (j > i) {
            double t = re[i]; re[i] = re[j]; re[j] = t;
            t = im[i]; im[i] = im[j]; im[j] = t;
        }
    }
    for (int half = 1, step = NP / 2; half < NP; half *= 2, step /= 2) {
        for (int base = 0; base < NP; base += 2 * half) {
            for (int k = 0; k < half; k++) {
                double cr = wr[k * step];
                double ci = inverse ? -wi[k * step] : wi[k * step];
                int a = base + k, b = a + half;
                double tr = re[b] * cr - im[b] * ci;
                double ti = re[b] * ci + im[b] * cr;
                re[b] = re[a] - tr;
                im[b] = im[a] - ti;
                re[a] += tr;
                im[a] += ti;
            }
        }
    }
}

static double horner(double t) {
    static const double c[11] = {0.3, -1.1, 0.7, 0.45, -0.9, 0.25, 0.6, -0.35, 0.15, -0.05, 0.01};
    double p = c[10];
    for (int j = 9; j >= 0; j--)
        p = p * t + c[j];
    return p;
}

static float horner_f(float t) {
    static const float c[7] = {0.5f, -0.75f, 0.3f, 0.2f, -0.15f, 0.05f, -0.01f};
    float p = c[6];
    for (int j = 5; j >= 0; j--)
        p = p * t + c[j];
    return p;
}

static double dot(const double *a, const double *b, int n) {
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

struct totals { double energy, dot, poly, spec; float fsum; };

static void iterate(struct totals *t) {
    for (int i = 0; i < NP; i++) {
        re[i] = X[i];
        im[i] = Y[i] * 0.5;
    }
    fft(0);
    double spec = 0.0;
    for (int k = 0; k < NP; k++) {
        spec += re[k] * re[k] + im[k] * im[k];
        re[k] *= H[k];
        im[k] *= H[k];
    }
    fft(1);
    for (int i = 0; i < NP; i++) {
        re[i] *= 1.0 / NP;
        im[i] *= 1.0 / NP;
    }
    double d = dot(re, X, NP);
    double poly = 0.0;
    for (int i = 0; i < NP; i++) {
        double t = re[i] / (1.0 + vabs64(re[i]));       /* in (-1, 1) */
        double p = horner(t);
        poly += p;
        X[i] = 0.75 * X[i] + 0.25 * p / vsqrt64(1.0 + p * p);
        Y[i] = 0.5 * Y[i] + 0.5 * im[i] / (1.0 + vabs64(im[i])) + 0.125 * t;
        float f = F[i];
        F[i] = 0.5f * f + 0.5f * horner_f((float)t) * vsqrt32(1.0f - f * f * 0.25f);
    }
    float fs = 0.0f;
    for (int i = 0; i < NP; i++)
        fs += F[i];
    t->energy += dot(X, X, NP) + dot(Y, Y, NP);
    t->dot += d;
    t->poly += poly;
    t->spec += spec;
    t->fsum += fs;
}

static void show(const char *name, double x) {
    out_str(name);
    out_exp(x, 15);
    out_str(" ");
    out_bits(x);
    out_str("\n");
}

void fp_run(void) {
    struct totals t = {0.0, 0.0, 0.0, 0.0, 0.0f};
    out_str("armvisor bench-fp: iterations ");
    out_u32(BENCH_FP_ITERATIONS);
    out_str("\n");
    init_tables();
    show("twiddle w1.re ", wr[1]);
    for (u32 it = 0; it < BENCH_FP_ITERATIONS; it++)
        iterate(&t);
    show("energy   ", t.energy);
    show("dot      ", t.dot);
    show("poly     ", t.poly);
    show("spectrum ", t.spec);
    show("fsum     ", (double)t.fsum);
    show("X[0]     ", X[0]);
    show("Y[63]    ", Y[NP - 1]);
    double h = 0.0;
    for (int i = 0; i < NP; i++)
        h = h * 0.5 + X[i] - Y[i] + (double)F[i];
    show("checksum ", h);
    out_str("bench-fp: done\n");
}
