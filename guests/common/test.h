/* Minimal self-checking harness: PASS/FAIL lines per named test, DONE last. */
#ifndef TEST_H
#define TEST_H
#include "guest.h"

void t_begin(const char *name);
void t_eq(const char *what, u32 got, u32 want);
void t_end(void);
void t_done(void) __attribute__((noreturn));
#define t_true(what, cond) t_eq((what), (cond) ? 1u : 0u, 1u)

#endif
