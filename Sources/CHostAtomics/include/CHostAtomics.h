// Compare-and-swap on guest RAM for the exclusive monitor (LDREX/STREX).
// Swift's Synchronization atomics need owned storage; guest RAM is raw memory.
#ifndef CHOSTATOMICS_H
#define CHOSTATOMICS_H
#include <stdint.h>
#include <stdbool.h>

static inline bool armv_cas8(void *p, uint8_t expected, uint8_t desired) {
    return __atomic_compare_exchange_n((uint8_t *)p, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
static inline bool armv_cas16(void *p, uint16_t expected, uint16_t desired) {
    return __atomic_compare_exchange_n((uint16_t *)p, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
static inline bool armv_cas32(void *p, uint32_t expected, uint32_t desired) {
    return __atomic_compare_exchange_n((uint32_t *)p, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
static inline bool armv_cas64(void *p, uint64_t expected, uint64_t desired) {
    return __atomic_compare_exchange_n((uint64_t *)p, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
static inline void armv_fence(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
// A word shared with generated code (which reads it with a plain load):
// the JIT's exit-request flag, set by other threads.
static inline void armv_store32(void *p, uint32_t v) { __atomic_store_n((uint32_t *)p, v, __ATOMIC_RELEASE); }
static inline uint32_t armv_load32(const void *p) { return __atomic_load_n((const uint32_t *)p, __ATOMIC_ACQUIRE); }
// The code-granule bits of a RAM page (one bit per 256 bytes holding decoded
// or translated code): cores set them while decoding, storing threads clear
// them, concurrently; a lost update would hide code from invalidation.
static inline void armv_fetch_or16(void *p, uint16_t v) { __atomic_fetch_or((uint16_t *)p, v, __ATOMIC_SEQ_CST); }
static inline uint16_t armv_fetch_and16(void *p, uint16_t v) {
    return __atomic_fetch_and((uint16_t *)p, v, __ATOMIC_SEQ_CST);
}
static inline uint16_t armv_load16(const void *p) { return __atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED); }
#endif
