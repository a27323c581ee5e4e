/* VFP oracle: runs A32 instruction words under qemu-arm -cpu cortex-a15 and
 * prints the resulting state. Input lines on stdin:
 *   insn[,insn...] fpscr apsr d0 d1 d2 d3 d4 d5 d6 d7 r4 r5 r6 r7   (hex)
 * Output per line: fpscr apsr d0..d7 r4..r7 (hex), or "SIGILL". */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <signal.h>
#include <setjmp.h>
#include <sys/mman.h>

struct state { uint64_t d[8]; uint32_t r[4]; uint32_t fpscr, apsr; };
extern void run_stub(struct state *s, void *code);
static sigjmp_buf jb;
static void on_ill(int sig) { (void)sig; siglongjmp(jb, 1); }

int main(void) {
    uint32_t *code = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    signal(SIGILL, on_ill);
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        struct state s; memset(&s, 0, sizeof s);
        char insns[1024];
        if (sscanf(line, "%1023s", insns) != 1) continue;
        char *p = line + strlen(insns);
        s.fpscr = strtoul(p, &p, 16); s.apsr = strtoul(p, &p, 16);
        for (int i = 0; i < 8; i++) s.d[i] = strtoull(p, &p, 16);
        for (int i = 0; i < 4; i++) s.r[i] = strtoul(p, &p, 16);
        int n = 0;
        for (char *t = strtok(insns, ","); t; t = strtok(0, ",")) code[n++] = strtoul(t, 0, 16);
        code[n++] = 0xe12fff1e; /* bx lr */
        __builtin___clear_cache((char *)code, (char *)(code + n));
        if (sigsetjmp(jb, 1)) { __asm__ volatile("vmsr fpscr, %0" :: "r"(0)); printf("SIGILL\n"); fflush(stdout); continue; }
        run_stub(&s, code);
        printf("%08x %08x", s.fpscr, s.apsr);
        for (int i = 0; i < 8; i++) printf(" %016llx", (unsigned long long)s.d[i]);
        for (int i = 0; i < 4; i++) printf(" %08x", s.r[i]);
        printf("\n"); fflush(stdout);
    }
    return 0;
}
