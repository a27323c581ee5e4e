"""Runs each line of a case file (asm text or 0xWORD, then |offset|be) under
qemu-arm in a harness and prints Swift table rows for NEONLoadStoreTests."""
import subprocess, sys, re
# (asm text or 0xWORD, offset of r0 in buffer, big-endian)
cases = [l.rstrip('\n') for l in open(sys.argv[1]) if l.strip() and not l.startswith('#')]
parsed = []
for c in cases:
    parts = [p.strip() for p in c.split('|')]
    text, off, be = parts[0], int(parts[1]) if len(parts) > 1 and parts[1] else 0, len(parts) > 2 and parts[2] == 'be'
    parsed.append((text, off, be))
# assemble
asm = ['.syntax unified', '.arm', '.fpu neon-vfpv4']
for t, _, _ in parsed:
    asm.append('.word ' + t if t.startswith('0x') else t)
open('cases.s', 'w').write('\n'.join(asm) + '\n')
subprocess.run(['arm-linux-gnueabihf-as', 'cases.s', '-o', 'cases.o'], check=True)
dump = subprocess.run(['arm-linux-gnueabihf-objdump', '-d', 'cases.o'], capture_output=True, text=True).stdout
words = [int(m.group(1), 16) for m in re.finditer(r'^\s*[0-9a-f]+:\s+([0-9a-f]{8})\s', dump, re.M)]
assert len(words) == len(parsed), (len(words), len(parsed))
c = ['#include <stdio.h>', '#include <stdint.h>', '#include <string.h>', '#include <signal.h>', '#include <setjmp.h>',
     'static sigjmp_buf jb; static volatile int sig;',
     'static void h(int s) { sig = s; siglongjmp(jb, 1); }',
     'static uint8_t buf[256] __attribute__((aligned(256)));',
     'static uint64_t din[8], dout[8]; static uint32_t rin[3], rout[3];']
for i, (t, off, be) in enumerate(parsed):
    c.append('static void case%d(void) { asm volatile("vldm %%[din], {d0-d7}\\n ldm %%[rin], {r0-r2}\\n %s .word 0x%08x\\n %s vstm %%[dout], {d0-d7}\\n stm %%[rout], {r0-r2}\\n" :: [din] "r"(din), [rin] "r"(rin), [dout] "r"(dout), [rout] "r"(rout) : "r0","r1","r2","d0","d1","d2","d3","d4","d5","d6","d7","memory"); }'
             % (i, 'setend be\\n' if be else '', words[i], 'setend le\\n' if be else ''))
c.append('typedef void (*fn)(void); static fn fns[] = {' + ','.join('case%d' % i for i in range(len(parsed))) + '};')
c.append('static int offs[] = {' + ','.join(str(o) for _, o, _ in parsed) + '};')
c.append('''
int main(void) {
  signal(SIGILL, h); signal(SIGBUS, h); signal(SIGSEGV, h);
  for (unsigned i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    uint8_t init[256];
    for (int j = 0; j < 256; j++) init[j] = j;
    memcpy(buf, init, 256);
    for (int k = 0; k < 8; k++) { uint64_t v = 0; for (int j = 0; j < 8; j++) v |= (uint64_t)(0x80 + 8*k + j) << (8*j); din[k] = v; }
    uint32_t b = (uint32_t)(uintptr_t)buf;
    rin[0] = b + 64 + offs[i]; rin[1] = 0x40; rin[2] = 0xF1E2D3C4;
    sig = 0;
    if (sigsetjmp(jb, 1) == 0) fns[i]();
    if (sig) { printf("%s\\n", sig == SIGILL ? "UNDEF" : sig == SIGBUS ? "BUS" : "SEGV"); continue; }
    char out[2000]; int n = 0; out[0] = 0;
    for (int k = 0; k < 8; k++) if (dout[k] != din[k]) n += sprintf(out + n, " d%d=%016llx", k, (unsigned long long)dout[k]);
    n += sprintf(out + n, " r0=+%d", (int)(rout[0] - b - 64));
    if (rout[1] != rin[1]) n += sprintf(out + n, " r1=%08x", rout[1]);
    if (rout[2] != rin[2]) n += sprintf(out + n, " r2=%08x", rout[2]);
    for (int j = 0; j < 256; j += 4) { uint32_t w; memcpy(&w, buf + j, 4); uint32_t w0; memcpy(&w0, init + j, 4); if (w != w0) n += sprintf(out + n, " m%d=%08x", j - 64, w); }
    printf("%s\\n", out + 1);
  }
  return 0;
}''')
open('cases.c', 'w').write('\n'.join(c) + '\n')
subprocess.run(['arm-linux-gnueabihf-gcc', '-O1', '-static', '-marm', '-mfpu=neon-vfpv4', '-mfloat-abi=hard', 'cases.c', '-o', 'cases'], check=True)
res = subprocess.run(['qemu-arm', '-cpu', 'cortex-a15', './cases'], capture_output=True, text=True).stdout.splitlines()
assert len(res) == len(parsed), res
for (t, off, be), w, r in zip(parsed, words, res):
    name = t if not t.startswith('0x') else 'raw'
    print('            (0x%08X, %d, %s, "%s"),   // %s' % (w, off, 'true' if be else 'false', r, name))
