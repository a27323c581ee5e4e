/* neonprog: an Advanced SIMD (NEON) "real program" written with arm_neon.h
 * intrinsics.  Our own code.  Built twice from this file (bare metal for
 * Armvisor and a static Linux binary for qemu-arm, like fpprog); both must
 * print byte-identical text.  Where a plain C version exists it is computed
 * too and the line says "ok" or "BAD"; every result is printed in hex.
 *
 *   1. Adler-32 of a 4 KiB buffer (VMULL/VMLAL.U8, VPADDL, VPADAL)
 *   2. 4x4 float matrix product (VMLA by scalar, VFMA), transpose (VTRN)
 *   3. 3x3 box blur and sharpen of a u8 image (VADDL, VMULL, VSHRN,
 *      VQMOVN, VQADD/VQSUB), RGB to grey (VLD3), interleave (VST4)
 *   4. saturating fixed point: VQDMULH, VQRDMULH, VQDMULL, VQSHL, VQRSHRN,
 *      VQABS/VQNEG, and FPSCR.QC
 *   5. permutes and bit counts: VTBL, VZIP, VUZP, VREV, VEXT, VCNT, VCLZ, VCLS
 *   6. float estimates and conversions: VRECPE/VRECPS, VRSQRTE/VRSQRTS,
 *      VCVT (integer, fixed point, half precision), compares and VBSL
 *   7. FNV-1a hash of everything printed */
#include <arm_neon.h>
#include "../fpprog/fpio.h"

typedef unsigned char u8;
typedef unsigned short u16;

static u32 hash = 0x811C9DC5u;
static void mix(u32 v) {
    for (int i = 0; i < 4; i++) {
        hash ^= (v >> (8 * i)) & 0xFF;
        hash *= 0x01000193u;
    }
}
static void nl(void) { out_str("\n"); }
static void hx(u32 v) { out_str(" "); out_hex32(v); mix(v); }
static void hx64(u64 v) { hx((u32)(v >> 32)); hx((u32)v); }
static void okbad(int ok) { out_str(ok ? " ok\n" : " BAD\n"); }
static void row_u32(const char *name, uint32x4_t v) {
    uint32_t a[4] __attribute__((aligned(16)));
    vst1q_u32(a, v);
    out_str(name);
    for (int i = 0; i < 4; i++) hx(a[i]);
    nl();
}
static void row_f32(const char *name, float32x4_t v) { row_u32(name, vreinterpretq_u32_f32(v)); }
static void row_u8x16(const char *name, uint8x16_t v) { row_u32(name, vreinterpretq_u32_u8(v)); }
static void row_d(const char *name, uint64x1_t v) { out_str(name); hx64(vget_lane_u64(v, 0)); nl(); }

static u32 fpscr(void) {
    u32 v;
    __asm__ volatile("vmrs %0, fpscr" : "=r"(v));
    return v;
}
static void set_fpscr(u32 v) { __asm__ volatile("vmsr fpscr, %0" : : "r"(v)); }

/* A deterministic byte stream (xorshift32). */
static u32 rng = 2463534242u;
static u32 rnd(void) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* 1. Adler-32 ------------------------------------------------------------ */
static u8 buf[4096] __attribute__((aligned(16)));

static u32 adler_plain(const u8 *p, u32 n) {
    u32 a = 1, b = 0;
    for (u32 i = 0; i < n; i++) {
        a = (a + p[i]) % 65521;
        b = (b + a) % 65521;
    }
    return b << 16 | a;
}

/* 16 bytes at a time: b += 16a + sum((16 - i) p[i]), a += sum(p[i]). */
static u32 adler_neon(const u8 *p, u32 n) {
    static const u8 w[16] __attribute__((aligned(16))) = {16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    uint8x16_t wv = vld1q_u8(w);
    u32 a = 1, b = 0;
    while (n >= 16 * 16) {
        uint32x4_t sa = vdupq_n_u32(0), sb = vdupq_n_u32(0), acc = vdupq_n_u32(0);
        for (int k = 0; k < 16; k++) {
            uint8x16_t x = vld1q_u8(p);
            acc = vaddq_u32(acc, sa);                      /* a of earlier chunks, 16x later */
            uint16x8_t s16 = vpaddlq_u8(x);
            sa = vpadalq_u16(sa, s16);
            uint16x8_t m = vmull_u8(vget_low_u8(x), vget_low_u8(wv));
            m = vmlal_u8(m, vget_high_u8(x), vget_high_u8(wv));
            sb = vpadalq_u16(sb, m);
            p += 16;
        }
        sb = vaddq_u32(sb, vshlq_n_u32(acc, 4));
        uint32x2_t ta = vpadd_u32(vget_low_u32(sa), vget_high_u32(sa));
        uint32x2_t tb = vpadd_u32(vget_low_u32(sb), vget_high_u32(sb));
        u32 suma = vget_lane_u32(vpadd_u32(ta, ta), 0), sumb = vget_lane_u32(vpadd_u32(tb, tb), 0);
        b = (b + 256 * a + sumb) % 65521;
        a = (a + suma) % 65521;
        n -= 256;
    }
    while (n--) {
        a = (a + *p++) % 65521;
        b = (b + a) % 65521;
    }
    return b << 16 | a;
}

static void test_adler(void) {
    for (u32 i = 0; i < sizeof buf; i++) buf[i] = (u8)(rnd() >> 11);
    for (u32 i = 0; i < 300; i++) buf[i] = 0xFF;   /* worst case for the sums */
    u32 lens[3] = {4096, 4000, 17};
    for (int k = 0; k < 3; k++) {
        u32 x = adler_neon(buf, lens[k]), y = adler_plain(buf, lens[k]);
        out_str("adler32 len ");
        out_u32(lens[k]);
        hx(x);
        okbad(x == y);
    }
}

/* 2. 4x4 float matrices (column-major like OpenGL) --------------------- */
static float ma[16] __attribute__((aligned(16))), mb[16] __attribute__((aligned(16)));

static void matmul_mla(float *c, const float *a, const float *b) {
    float32x4_t a0 = vld1q_f32(a), a1 = vld1q_f32(a + 4), a2 = vld1q_f32(a + 8), a3 = vld1q_f32(a + 12);
    for (int j = 0; j < 4; j++) {
        float32x4_t bj = vld1q_f32(b + 4 * j);
        float32x4_t r = vmulq_lane_f32(a0, vget_low_f32(bj), 0);
        r = vmlaq_lane_f32(r, a1, vget_low_f32(bj), 1);
        r = vmlaq_lane_f32(r, a2, vget_high_f32(bj), 0);
        r = vmlaq_lane_f32(r, a3, vget_high_f32(bj), 1);
        vst1q_f32(c + 4 * j, r);
    }
}

static void matmul_fma(float *c, const float *a, const float *b) {
    float32x4_t a0 = vld1q_f32(a), a1 = vld1q_f32(a + 4), a2 = vld1q_f32(a + 8), a3 = vld1q_f32(a + 12);
    for (int j = 0; j < 4; j++) {
        float32x4_t r = vdupq_n_f32(0);
        r = vfmaq_f32(r, a0, vdupq_n_f32(b[4 * j]));
        r = vfmaq_f32(r, a1, vdupq_n_f32(b[4 * j + 1]));
        r = vfmaq_f32(r, a2, vdupq_n_f32(b[4 * j + 2]));
        r = vfmaq_f32(r, a3, vdupq_n_f32(b[4 * j + 3]));
        vst1q_f32(c + 4 * j, r);
    }
}

static void test_matrix(void) {
    for (int i = 0; i < 16; i++) {
        ma[i] = (float)((int)(rnd() % 2001) - 1000) / 64.0f;
        mb[i] = (float)((int)(rnd() % 2001) - 1000) / 3.0f;
    }
    float c[16] __attribute__((aligned(16))), f[16] __attribute__((aligned(16)));
    matmul_mla(c, ma, mb);
    matmul_fma(f, ma, mb);
    for (int j = 0; j < 4; j++) {
        row_f32("mat vmla col", vld1q_f32(c + 4 * j));
        row_f32("mat vfma col", vld1q_f32(f + 4 * j));
    }
    /* Transpose with VTRN + VSWP-like combines. */
    float32x4_t r0 = vld1q_f32(c), r1 = vld1q_f32(c + 4), r2 = vld1q_f32(c + 8), r3 = vld1q_f32(c + 12);
    float32x4x2_t t01 = vtrnq_f32(r0, r1), t23 = vtrnq_f32(r2, r3);
    float32x4_t o0 = vcombine_f32(vget_low_f32(t01.val[0]), vget_low_f32(t23.val[0]));
    float32x4_t o3 = vcombine_f32(vget_high_f32(t01.val[1]), vget_high_f32(t23.val[1]));
    row_f32("mat transposed row0", o0);
    row_f32("mat transposed row3", o3);
    int ok = vgetq_lane_f32(o0, 1) == c[4] && vgetq_lane_f32(o3, 2) == c[11];
    out_str("mat transpose");
    okbad(ok);
    /* Power iteration: M^8 applied to a vector, then scaled. */
    float32x4_t v = vdupq_n_f32(1.0f);
    for (int k = 0; k < 8; k++) {
        float32x4_t r = vmulq_n_f32(vld1q_f32(ma), vgetq_lane_f32(v, 0));
        r = vmlaq_n_f32(r, vld1q_f32(ma + 4), vgetq_lane_f32(v, 1));
        r = vmlaq_n_f32(r, vld1q_f32(ma + 8), vgetq_lane_f32(v, 2));
        r = vmlaq_n_f32(r, vld1q_f32(ma + 12), vgetq_lane_f32(v, 3));
        float32x4_t ab = vabsq_f32(r);
        float32x2_t mx = vpmax_f32(vget_low_f32(ab), vget_high_f32(ab));
        mx = vpmax_f32(mx, mx);
        float32x2_t inv = vrecpe_f32(mx);
        inv = vmul_f32(inv, vrecps_f32(mx, inv));
        inv = vmul_f32(inv, vrecps_f32(mx, inv));
        v = vmulq_lane_f32(r, inv, 0);
    }
    row_f32("power iteration", v);
}

/* 3. Images ---------------------------------------------------------------- */
#define W 48
#define H 12
static u8 img[H][W] __attribute__((aligned(16)));
static u8 blur[H][W] __attribute__((aligned(16))), sharp[H][W] __attribute__((aligned(16)));

static void test_image(void) {
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) img[y][x] = (u8)((x * 5 + y * 17) ^ (rnd() >> 26) ^ (x == y ? 0xF0 : 0));
    /* Interior pixels, 8 at a time: sum of 9 neighbours, times 65536/9. */
    int bad = 0;
    for (int y = 1; y < H - 1; y++) {
        for (int x = 1; x + 8 <= W - 1; x += 8) {
            uint16x8_t s = vdupq_n_u16(0);
            for (int dy = -1; dy <= 1; dy++) {
                const u8 *p = &img[y + dy][x];
                s = vaddw_u8(s, vld1_u8(p - 1));
                s = vaddw_u8(s, vld1_u8(p));
                s = vaddw_u8(s, vld1_u8(p + 1));
            }
            uint32x4_t lo = vmull_n_u16(vget_low_u16(s), 7282), hi = vmull_n_u16(vget_high_u16(s), 7282);
            uint16x8_t q = vcombine_u16(vrshrn_n_u32(lo, 16), vrshrn_n_u32(hi, 16));
            uint8x8_t b = vqmovn_u16(q);
            vst1_u8(&blur[y][x], b);
            /* sharpen: clamp(2c - b) with saturating u8 arithmetic */
            uint8x8_t c = vld1_u8(&img[y][x]);
            vst1_u8(&sharp[y][x], vqsub_u8(vqadd_u8(c, c), b));
            for (int k = 0; k < 8; k++) {
                u32 sum = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) sum += img[y + dy][x + k + dx];
                u32 want = (sum * 7282 + 32768) >> 16;
                if (blur[y][x + k] != want) bad++;
                int sh = 2 * img[y][x + k];
                if (sh > 255) sh = 255;
                sh -= want;
                if (sh < 0) sh = 0;
                if (sharp[y][x + k] != sh) bad++;
            }
        }
    }
    for (int y = 1; y < H - 1; y += 5) {
        row_u8x16("blur row", vld1q_u8(&blur[y][1]));
        row_u8x16("sharp row", vld1q_u8(&sharp[y][1]));
    }
    out_str("blur/sharpen vs plain C");
    okbad(bad == 0);

    /* RGB (interleaved) to grey: (77 R + 150 G + 29 B + 128) >> 8, and back to RGBA. */
    static u8 rgb[48 * 3] __attribute__((aligned(16))), grey[48], rgba[48 * 4] __attribute__((aligned(16)));
    for (int i = 0; i < 48 * 3; i++) rgb[i] = (u8)rnd();
    bad = 0;
    for (int i = 0; i < 48; i += 16) {
        uint8x16x3_t px = vld3q_u8(&rgb[3 * i]);
        uint16x8_t lo = vmull_u8(vget_low_u8(px.val[0]), vdup_n_u8(77));
        lo = vmlal_u8(lo, vget_low_u8(px.val[1]), vdup_n_u8(150));
        lo = vmlal_u8(lo, vget_low_u8(px.val[2]), vdup_n_u8(29));
        uint16x8_t hi = vmull_u8(vget_high_u8(px.val[0]), vdup_n_u8(77));
        hi = vmlal_u8(hi, vget_high_u8(px.val[1]), vdup_n_u8(150));
        hi = vmlal_u8(hi, vget_high_u8(px.val[2]), vdup_n_u8(29));
        uint8x16_t g = vcombine_u8(vrshrn_n_u16(lo, 8), vrshrn_n_u16(hi, 8));
        vst1q_u8(&grey[i], g);
        uint8x16x4_t out = {{g, g, g, vdupq_n_u8(0xFF)}};
        vst4q_u8(&rgba[4 * i], out);
    }
    for (int i = 0; i < 48; i++) {
        u32 want = (77u * rgb[3 * i] + 150u * rgb[3 * i + 1] + 29u * rgb[3 * i + 2] + 128) >> 8;
        if (grey[i] != want || rgba[4 * i] != want || rgba[4 * i + 2] != want || rgba[4 * i + 3] != 0xFF) bad++;
    }
    row_u8x16("grey", vld1q_u8(grey));
    row_u8x16("rgba", vld1q_u8(rgba + 16));
    out_str("rgb to grey");
    okbad(bad == 0);
    /* Structure loads of single lanes and to all lanes. */
    uint16x4x2_t pair = vld2_dup_u16((const u16 *)rgb);
    pair = vld2_lane_u16((const u16 *)(rgb + 20), pair, 3);
    row_d("vld2 dup/lane", vreinterpret_u64_u16(pair.val[0]));
    row_d("vld2 dup/lane", vreinterpret_u64_u16(pair.val[1]));
}

/* 4. Saturating fixed point ----------------------------------------------- */
static void test_saturation(void) {
    set_fpscr(0);
    const int16_t a[8] __attribute__((aligned(16))) = {0x7FFF, -0x8000, 0x4000, -0x4000, 12345, -1, 1, 0x2AAA};
    const int16_t b[8] __attribute__((aligned(16))) = {0x7FFF, -0x8000, 0x4000, 0x7FFF, -23456, -1, 0x7FFF, 3};
    int16x8_t va = vld1q_s16(a), vb = vld1q_s16(b);
    row_u32("vqdmulh.s16", vreinterpretq_u32_s16(vqdmulhq_s16(va, vb)));
    out_str("qc after vqdmulh");
    hx(fpscr() >> 27 & 1);
    nl();
    set_fpscr(0);
    row_u32("vqrdmulh.s16", vreinterpretq_u32_s16(vqrdmulhq_s16(va, vb)));
    int32x4_t l = vqdmull_s16(vget_low_s16(va), vget_low_s16(vb));
    row_u32("vqdmull.s16", vreinterpretq_u32_s32(l));
    row_u32("vqdmlal.s16", vreinterpretq_u32_s32(vqdmlal_s16(l, vget_high_s16(va), vget_high_s16(vb))));
    row_u32("vqshl.s16 #3", vreinterpretq_u32_s16(vqshlq_n_s16(va, 3)));
    row_u32("vqshlu.s16 #1", vreinterpretq_u32_u16(vqshluq_n_s16(va, 1)));
    row_u32("vqrshl.s16", vreinterpretq_u32_s16(vqrshlq_s16(va, vdupq_n_s16(-3))));
    int32x4_t w = vmovl_s16(vget_low_s16(va));
    w = vmulq_n_s32(w, 100000);
    row_u32("vqrshrn.s32 #4", vreinterpretq_u32_s16(vcombine_s16(vqrshrn_n_s32(w, 4), vqmovn_s32(w))));
    row_u32("vqmovun.s32", vreinterpretq_u32_u16(vcombine_u16(vqmovun_s32(w), vqshrun_n_s32(w, 8))));
    row_u32("vqabs/vqneg.s16", vreinterpretq_u32_s16(vcombine_s16(vget_low_s16(vqabsq_s16(va)), vget_low_s16(vqnegq_s16(va)))));
    row_u32("vqadd.s64", vreinterpretq_u32_s64(vqaddq_s64(vdupq_n_s64(0x7FFFFFFFFFFFFF00ll), vdupq_n_s64(0x1000))));
    row_u32("vhadd/vrhadd.u8", vreinterpretq_u32_u8(vcombine_u8(vhadd_u8(vdup_n_u8(255), vdup_n_u8(254)),
                                                                 vrhadd_u8(vdup_n_u8(255), vdup_n_u8(254)))));
    row_u32("vabal/vabdl.u8", vreinterpretq_u32_u16(vabal_u8(vabdl_u8(vdup_n_u8(3), vdup_n_u8(250)), vdup_n_u8(10), vdup_n_u8(0))));
    row_u32("vsra/vrsra", vrsraq_n_u32(vsraq_n_u32(vdupq_n_u32(1), vdupq_n_u32(0xFFFFFFFF), 4), vdupq_n_u32(0x17), 3));
    row_u32("vsli/vsri", vcombine_u32(vsli_n_u32(vdup_n_u32(0x12345678), vdup_n_u32(0xABCDEF01), 12),
                                     vsri_n_u32(vdup_n_u32(0x12345678), vdup_n_u32(0xABCDEF01), 12)));
    out_str("qc at the end");
    hx(fpscr() >> 27 & 1);
    nl();
    set_fpscr(0);
}

/* 5. Permutes and bit counts ------------------------------------------------ */
static void test_permute(void) {
    uint8x16_t x = vld1q_u8(buf + 1000);
    uint8x8x2_t tab = {{vget_low_u8(x), vget_high_u8(x)}};
    const u8 idx[8] = {15, 0, 14, 1, 200, 7, 8, 16};
    uint8x8_t t = vtbl2_u8(tab, vld1_u8(idx));
    row_d("vtbl2", vreinterpret_u64_u8(t));
    row_d("vtbx1", vreinterpret_u64_u8(vtbx1_u8(vdup_n_u8(0xEE), vget_low_u8(x), vld1_u8(idx))));
    uint16x8x2_t z = vzipq_u16(vreinterpretq_u16_u8(x), vdupq_n_u16(0xABCD));
    row_u32("vzip.16 lo", vreinterpretq_u32_u16(z.val[0]));
    row_u32("vzip.16 hi", vreinterpretq_u32_u16(z.val[1]));
    uint8x16x2_t u = vuzpq_u8(x, vrev64q_u8(x));
    row_u8x16("vuzp.8 even", u.val[0]);
    row_u8x16("vuzp.8 odd", u.val[1]);
    row_u8x16("vext #5", vextq_u8(x, vrev32q_u8(x), 5));
    row_u8x16("vrev16", vrev16q_u8(x));
    /* population count of the whole buffer */
    uint32x4_t pc = vdupq_n_u32(0);
    for (u32 i = 0; i < sizeof buf; i += 16) pc = vpadalq_u16(pc, vpaddlq_u8(vcntq_u8(vld1q_u8(buf + i))));
    u32 plain = 0;
    for (u32 i = 0; i < sizeof buf; i++)
        for (u32 v = buf[i]; v; v &= v - 1) plain++;
    u32 total = vgetq_lane_u32(pc, 0) + vgetq_lane_u32(pc, 1) + vgetq_lane_u32(pc, 2) + vgetq_lane_u32(pc, 3);
    out_str("vcnt popcount");
    hx(total);
    okbad(total == plain);
    int32x4_t s = vld1q_s32((const int32_t *)(buf + 1064));
    row_u32("vclz.32", vreinterpretq_u32_s32(vclzq_s32(vshrq_n_s32(s, 7))));
    row_u32("vcls.32", vreinterpretq_u32_s32(vclsq_s32(vshrq_n_s32(s, 3))));
    row_u32("vclz.8", vreinterpretq_u32_u8(vclzq_u8(x)));
    row_u32("vmvn/vbic/vorn", vreinterpretq_u32_u8(veorq_u8(vmvnq_u8(x), vbicq_u8(vornq_u8(x, vrev64q_u8(x)), vdupq_n_u8(0x0F)))));
}

/* 6. Float estimates and conversions ---------------------------------------- */
static void test_float(void) {
    const float v[8] __attribute__((aligned(16))) = {2.0f, 3.0f, 0.1f, 1e-39f, 1e30f, -7.25f, 65504.0f, 0.0f};
    float32x4_t a = vld1q_f32(v), b = vld1q_f32(v + 4);
    float32x4_t r = vrecpeq_f32(a);
    row_f32("vrecpe", r);
    r = vmulq_f32(r, vrecpsq_f32(a, r));
    r = vmulq_f32(r, vrecpsq_f32(a, r));
    row_f32("1/x newton", r);
    float32x4_t q = vrsqrteq_f32(vabsq_f32(b));
    row_f32("vrsqrte", q);
    q = vmulq_f32(q, vrsqrtsq_f32(vmulq_f32(vabsq_f32(b), q), q));
    row_f32("1/sqrt newton", q);
    row_u32("vrecpe.u32", vrecpeq_u32(vreinterpretq_u32_f32(a)));
    row_u32("vrsqrte.u32", vrsqrteq_u32(vreinterpretq_u32_f32(b)));
    row_u32("vcvt.s32.f32", vreinterpretq_u32_s32(vcvtq_s32_f32(vmulq_n_f32(b, 1000.0f))));
    row_u32("vcvt.u32.f32", vcvtq_u32_f32(vmulq_n_f32(a, 1e9f)));
    row_u32("vcvt.s32.f32 #16", vreinterpretq_u32_s32(vcvtq_n_s32_f32(b, 16)));
    row_f32("vcvt.f32.s32 #8", vcvtq_n_f32_s32(vld1q_s32((const int32_t *)(buf + 2000)), 8));
    float16x4_t h = vcvt_f16_f32(vcombine_f32(vget_low_f32(b), vget_high_f32(a)));
    row_d("vcvt.f16.f32", vreinterpret_u64_f16(h));
    row_f32("vcvt.f32.f16", vcvt_f32_f16(h));
    uint32x4_t gt = vcgtq_f32(a, b), ge = vcageq_f32(a, b);
    row_u32("vcgt/vacge", veorq_u32(gt, vshlq_n_u32(ge, 1)));
    row_f32("vbsl max", vbslq_f32(gt, a, b));
    row_f32("vmax/vmin", vaddq_f32(vmaxq_f32(a, b), vminq_f32(a, b)));
    row_f32("vabd/vpadd", vcombine_f32(vget_low_f32(vabdq_f32(a, b)), vpadd_f32(vget_low_f32(a), vget_high_f32(b))));
    out_str("fpscr flags");
    hx(fpscr() & 0x9F);
    nl();
}

void fp_run(void) {
    out_str("neonprog: Advanced SIMD real program\n");
    test_adler();
    test_matrix();
    test_image();
    test_saturation();
    test_permute();
    test_float();
    out_str("hash");
    hx(hash);
    nl();
    out_str("neonprog: done\n");
}
