// Runs one A32 instruction per input line (under qemu-arm -cpu cortex-a15):
// the word is written into an executable buffer between loads and stores of
// all 32 D registers and the FPSCR.
// Input line: <insn hex> <fpscr hex> <d0 hex> ... <d31 hex>
// Output line: UNDEF (SIGILL) | <fpscr hex> <d0> ... <d31>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <signal.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <stdlib.h>
struct st { uint64_t d[32]; uint32_t fpscr; };
static sigjmp_buf jb;
static void onill(int s) { siglongjmp(jb, 1); }
int main(void) {
  uint32_t *code = mmap(0, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
  struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = onill; sigaction(SIGILL, &sa, 0);
  static struct st in, out;
  char line[4096];
  while (fgets(line, sizeof line, stdin)) {
    char *p = line; uint32_t insn = strtoul(p, &p, 16);
    in.fpscr = strtoul(p, &p, 16);
    for (int i = 0; i < 32; i++) in.d[i] = strtoull(p, &p, 16);
    int k = 0;
    code[k++] = 0xECB00B20; // vldmia r0!, {d0-d15}
    code[k++] = 0xECF00B20; // vldmia r0!, {d16-d31}
    code[k++] = 0xE5902000; // ldr r2, [r0]
    code[k++] = 0xEEE12A10; // vmsr fpscr, r2
    code[k++] = insn;
    code[k++] = 0xECA10B20; // vstmia r1!, {d0-d15}
    code[k++] = 0xECE10B20; // vstmia r1!, {d16-d31}
    code[k++] = 0xEEF12A10; // vmrs r2, fpscr
    code[k++] = 0xE5812000; // str r2, [r1]
    code[k++] = 0xE12FFF1E; // bx lr
    __builtin___clear_cache((char*)code, (char*)(code + k));
    if (sigsetjmp(jb, 1)) { printf("UNDEF\n"); fflush(stdout); continue; }
    ((void (*)(struct st*, struct st*))code)(&in, &out);
    printf("%08x", out.fpscr);
    for (int i = 0; i < 32; i++) printf(" %016llx", (unsigned long long)out.d[i]);
    printf("\n"); fflush(stdout);
  }
  return 0;
}
