/* VFP operations the C compiler does not emit by itself (or that must run
 * under a specific FPSCR), spelled out as inline assembly. */
#ifndef FPOPS_H
#define FPOPS_H
#include "fpio.h"

static inline double vsqrt64(double x) {
    double r;
    __asm__("vsqrt.f64 %P0, %P1" : "=w"(r) : "w"(x));
    return r;
}
static inline float vsqrt32(float x) {
    float r;
    __asm__("vsqrt.f32 %0, %1" : "=t"(r) : "t"(x));
    return r;
}
static inline double vabs64(double x) {
    double r;
    __asm__("vabs.f64 %P0, %P1" : "=w"(r) : "w"(x));
    return r;
}
static inline u32 fpscr_read(void) {
    u32 v;
    __asm__ volatile("vmrs %0, fpscr" : "=r"(v));
    return v;
}
static inline void fpscr_write(u32 v) {
    __asm__ volatile("vmsr fpscr, %0" ::"r"(v));
}

#endif
