"""Random cp11 VMOV scalar / VDUP words run under qemu-arm: writes random.txt
("word offset bigEndian outcome" lines, Rt in r1/r2)."""
import subprocess, sys, random
random.seed(int(sys.argv[1]))
N = int(sys.argv[2])
cases = []
while len(cases) < N:
    w = 0xEE000B10 | random.getrandbits(4) << 20 | random.getrandbits(4) << 16 | random.choice([1,2]) << 12 | random.getrandbits(3) << 5 | (random.getrandbits(4) if random.random() < 0.1 else 0); cases.append((w, 0, False)); continue
    w = (w & ~(0xF << 16))                                  # Rn = r0
    rm = random.choice([13, 15, 1, 1, 13, 15, 2])
    w = (w & ~0xF) | rm
    if random.random() < 0.85:
        w &= ~(1 << 22)                                     # D = 0 mostly
        w = (w & ~(0xF << 12)) | (random.randrange(0, 10) << 12)
    off = random.choice([0, 0, 0, 1, 2, 3, 4, 8, 16])
    be = random.random() < 0.3
    cases.append((w, off, be))
c = ['#include <stdio.h>', '#include <stdint.h>', '#include <string.h>', '#include <signal.h>', '#include <setjmp.h>',
     'static sigjmp_buf jb; static volatile int sig;',
     'static void h(int s) { sig = s; siglongjmp(jb, 1); }',
     'static uint8_t buf[256] __attribute__((aligned(256)));',
     'static uint64_t din[32], dout[32]; static uint32_t rin[3], rout[3];']
for i, (w, off, be) in enumerate(cases):
    c.append('static void case%d(void) { asm volatile("vldm %%[din], {d0-d15}\\n add r0, %%[din], #128\\n vldm r0, {d16-d31}\\n ldm %%[rin], {r0-r2}\\n %s .word 0x%08x\\n %s stm %%[rout], {r0-r2}\\n vstm %%[dout], {d0-d15}\\n add r0, %%[dout], #128\\n vstm r0, {d16-d31}\\n" :: [din] "r"(din), [rin] "r"(rin), [dout] "r"(dout), [rout] "r"(rout) : "r0","r1","r2","d0","d1","d2","d3","d4","d5","d6","d7","d8","d9","d10","d11","d12","d13","d14","d15","d16","d17","d18","d19","d20","d21","d22","d23","d24","d25","d26","d27","d28","d29","d30","d31","memory"); }'
             % (i, 'setend be\\n' if be else '', w, 'setend le\\n' if be else ''))
c.append('typedef void (*fn)(void); static fn fns[] = {' + ','.join('case%d' % i for i in range(len(cases))) + '};')
c.append('static int offs[] = {' + ','.join(str(o) for _, o, _ in cases) + '};')
c.append('''
int main(void) {
  signal(SIGILL, h); signal(SIGBUS, h); signal(SIGSEGV, h);
  for (unsigned i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    uint8_t init[256];
    for (int j = 0; j < 256; j++) init[j] = j;
    memcpy(buf, init, 256);
    for (int k = 0; k < 32; k++) { uint64_t v = 0; for (int j = 0; j < 8; j++) v |= (uint64_t)((0x80 + 8*k + j) & 0xFF) << (8*j); din[k] = v; }
    uint32_t b = (uint32_t)(uintptr_t)buf;
    rin[0] = b + 64 + offs[i]; rin[1] = 0x40; rin[2] = 0x18;
    sig = 0;
    if (sigsetjmp(jb, 1) == 0) fns[i]();
    if (sig) { printf("%s\\n", sig == SIGILL ? "UNDEF" : sig == SIGBUS ? "BUS" : "SEGV"); continue; }
    char out[4000]; int n = 0; out[0] = 0;
    for (int k = 0; k < 32; k++) if (dout[k] != din[k]) n += sprintf(out + n, " d%d=%016llx", k, (unsigned long long)dout[k]);
    n += sprintf(out + n, " r0=+%d", (int)(rout[0] - b - 64));
    if (rout[1] != rin[1]) n += sprintf(out + n, " r1=%08x", rout[1]);
    if (rout[2] != rin[2]) n += sprintf(out + n, " r2=%08x", rout[2]);
    for (int j = 0; j < 256; j += 4) { uint32_t w; memcpy(&w, buf + j, 4); uint32_t w0; memcpy(&w0, init + j, 4); if (w != w0) n += sprintf(out + n, " m%d=%08x", j - 64, w); }
    printf("%s\\n", out + 1);
  }
  return 0;
}''')
open('rand.c', 'w').write('\n'.join(c) + '\n')
subprocess.run(['arm-linux-gnueabihf-gcc', '-O1', '-static', '-marm', '-mfpu=neon-vfpv4', '-mfloat-abi=hard', 'rand.c', '-o', 'rand'], check=True)
res = subprocess.run(['qemu-arm', '-cpu', 'cortex-a15', './rand'], capture_output=True, text=True).stdout.splitlines()
assert len(res) == len(cases), (len(res), len(cases))
with open('random.txt', 'w') as f:
    for (w, off, be), r in zip(cases, res):
        f.write('%08x %d %d %s\n' % (w, off, 1 if be else 0, r))
