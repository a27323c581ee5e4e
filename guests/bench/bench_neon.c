/* bench-neon: an Advanced SIMD workload (our own code, arm_neon.h
 * intrinsics), the NEON counterpart of bench.c and bench_fp.c.  Each
 * iteration runs a 3x3 blur over a 64x32 grey image (widening adds,
 * narrowing saturating shifts), an RGB-to-grey pass (VLD3) and an interleave
 * (VST4), a 16-tap Q15 FIR filter (VQDMULH/VQRDMULH/VQADD), a chain of 4x4
 * float matrix products (multiply-accumulate by scalar, standard FPSCR
 * arithmetic), an Adler-style checksum (VPADAL) and a table permutation
 * (VTBL), and feeds the results back so every iteration depends on the one
 * before.  Deterministic: the same text on every platform. */
#include <arm_neon.h>
#include "../fpprog/fpio.h"

/* Total work; about 32,000 instructions per iteration, so 16000 iterations
 * are about 0.5e9. */
#ifndef BENCH_NEON_ITERATIONS
#define BENCH_NEON_ITERATIONS 16000
#endif

#define W 64
#define H 32

static unsigned char img[H][W], tmp[H][W];
static unsigned char rgb[3 * W * 4], rgba[4 * W * 4];
static short signal[256 + 16], filtered[256];
static const short taps[16] = { 1200, -2300, 3100, 4100, -5200, 6100, 7000, 8000,
                                8000, 7000, 6100, -5200, 4100, 3100, -2300, 1200 };
static float mat[16] = { 0.5f, 0.25f, 0.125f, 0.0625f, -0.25f, 0.5f, 0.0f, 0.125f,
                         0.125f, 0.0f, 0.5f, -0.25f, 0.0625f, 0.125f, 0.25f, 0.5f };
static float acc[16];

static void blur(void) {
    for (int y = 1; y < H - 1; y++) {
        for (int x = 0; x + 16 <= W; x += 16) {
            uint8x16_t a = vld1q_u8(&img[y - 1][x]), b = vld1q_u8(&img[y][x]), c = vld1q_u8(&img[y + 1][x]);
            uint16x8_t lo = vaddw_u8(vaddl_u8(vget_low_u8(a), vget_low_u8(b)), vget_low_u8(c));
            uint16x8_t hi = vaddw_u8(vaddl_u8(vget_high_u8(a), vget_high_u8(b)), vget_high_u8(c));
            lo = vmlaq_n_u16(lo, vmovl_u8(vget_low_u8(b)), 3);
            hi = vmlaq_n_u16(hi, vmovl_u8(vget_high_u8(b)), 3);
            vst1q_u8(&tmp[y][x], vcombine_u8(vqrshrn_n_u16(lo, 2), vqrshrn_n_u16(hi, 2)));
        }
    }
    for (int y = 1; y < H - 1; y++)
        for (int x = 0; x + 16 <= W; x += 16)
            vst1q_u8(&img[y][x], vqaddq_u8(vld1q_u8(&tmp[y][x]), vdupq_n_u8(1)));
}

static void colour(void) {
    for (int i = 0; i + 8 <= W * 4; i += 8) {
        uint8x8x3_t p = vld3_u8(&rgb[3 * i]);
        uint16x8_t g = vmull_u8(p.val[0], vdup_n_u8(77));
        g = vmlal_u8(g, p.val[1], vdup_n_u8(150));
        g = vmlal_u8(g, p.val[2], vdup_n_u8(29));
        uint8x8x4_t q = { { p.val[2], p.val[1], p.val[0], vshrn_n_u16(g, 8) } };
        vst4_u8(&rgba[4 * i], q);
        p.val[0] = veor_u8(p.val[0], q.val[3]);
        vst3_u8(&rgb[3 * i], p);
    }
}

static void fir(void) {
    int16x8_t t0 = vld1q_s16(taps), t1 = vld1q_s16(taps + 8);
    for (int i = 0; i < 256; i += 4) {
        int32x4_t s = vdupq_n_s32(0);
        int16x8_t x0 = vld1q_s16(&signal[i]), x1 = vld1q_s16(&signal[i + 8]);
        s = vqdmlal_s16(s, vget_low_s16(x0), vget_low_s16(t0));
        s = vqdmlal_s16(s, vget_high_s16(x0), vget_high_s16(t0));
        s = vqdmlal_s16(s, vget_low_s16(x1), vget_low_s16(t1));
        s = vqdmlal_s16(s, vget_high_s16(x1), vget_high_s16(t1));
        int16x4_t r = vqrshrn_n_s32(s, 16);
        r = vqadd_s16(r, vqrdmulh_s16(r, vget_low_s16(t0)));
        vst1_s16(&filtered[i], r);
    }
    for (int i = 0; i < 256; i += 8)
        vst1q_s16(&signal[i + 8], vqsubq_s16(vld1q_s16(&filtered[i]), vshrq_n_s16(vld1q_s16(&signal[i]), 3)));
}

static void matrices(void) {
    float32x4_t a0 = vld1q_f32(&mat[0]), a1 = vld1q_f32(&mat[4]), a2 = vld1q_f32(&mat[8]), a3 = vld1q_f32(&mat[12]);
    float32x4_t b0 = vld1q_f32(&acc[0]), b1 = vld1q_f32(&acc[4]), b2 = vld1q_f32(&acc[8]), b3 = vld1q_f32(&acc[12]);
    for (int k = 0; k < 8; k++) {
        float32x4_t c[4];
        float32x4_t rows[4] = { b0, b1, b2, b3 };
        for (int r = 0; r < 4; r++) {
            float32x4_t v = vmulq_lane_f32(a0, vget_low_f32(rows[r]), 0);
            v = vmlaq_lane_f32(v, a1, vget_low_f32(rows[r]), 1);
            v = vmlaq_lane_f32(v, a2, vget_high_f32(rows[r]), 0);
            v = vmlaq_lane_f32(v, a3, vget_high_f32(rows[r]), 1);
            c[r] = vaddq_f32(v, vdupq_n_f32(0.25f));
        }
        b0 = c[0]; b1 = c[1]; b2 = c[2]; b3 = c[3];
    }
    vst1q_f32(&acc[0], b0); vst1q_f32(&acc[4], b1); vst1q_f32(&acc[8], b2); vst1q_f32(&acc[12], b3);
}

static u32 checksum(void) {
    uint32x4_t a = vdupq_n_u32(1), b = vdupq_n_u32(0);
    const unsigned char *p = &img[0][0];
    for (int i = 0; i < W * H; i += 16) {
        uint8x16_t v = vld1q_u8(p + i);
        b = vaddq_u32(b, a);
        a = vpadalq_u16(a, vpaddlq_u8(v));
    }
    uint32x2_t s = vadd_u32(vget_low_u32(a), vget_high_u32(a));
    uint32x2_t t = vadd_u32(vget_low_u32(b), vget_high_u32(b));
    return (vget_lane_u32(vpadd_u32(s, s), 0) & 0xFFFF) | vget_lane_u32(vpadd_u32(t, t), 0) << 16;
}

static void permute(u32 seed) {
    uint8x8_t idx = vand_u8(vcreate_u8(0x0706050403020100ull ^ (u64)seed), vdup_n_u8(15));
    for (int y = 0; y < H; y++) {
        uint8x8x2_t row = { { vld1_u8(&img[y][0]), vld1_u8(&img[y][8]) } };
        vst1_u8(&img[y][16], vtbl2_u8(row, idx));
        idx = vrev64_u8(vext_u8(idx, idx, 3));
    }
}

void fp_run(void) {
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) img[y][x] = (unsigned char)(x * 7 + y * 13 + (x ^ y));
    for (int i = 0; i < (int)sizeof rgb; i++) rgb[i] = (unsigned char)(i * 31 + 5);
    for (int i = 0; i < 256 + 16; i++) signal[i] = (short)((i * 2654435761u) >> 16);
    for (int i = 0; i < 16; i++) acc[i] = (float)(i + 1) * 0.125f;
    out_str("armvisor bench-neon: iterations ");
    out_u32(BENCH_NEON_ITERATIONS);
    out_str("\n");
    u32 h = 0;
    for (u32 it = 0; it < BENCH_NEON_ITERATIONS; it++) {
        blur();
        colour();
        fir();
        matrices();
        u32 c = checksum();
        permute(c);
        h = (h ^ c) * 0x01000193u;
        acc[it & 15] = (float)(c & 0xFF) * 0.0078125f;    /* keep the floats bounded */
    }
    out_str("checksum ");
    out_hex32(h);
    out_str("\ngrey ");
    out_hex32(rgba[3] | rgba[7] << 8 | rgba[11] << 16 | (u32)rgba[1023] << 24);
    out_str("\nfir ");
    out_hex32((u32)(unsigned short)filtered[17] | (u32)(unsigned short)filtered[200] << 16);
    out_str("\nmatrix ");
    out_bits((double)acc[5]);
    out_str("\nbench-neon: done\n");
}
