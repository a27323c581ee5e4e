# Usage: mkcase.py cases.txt /path/to/neon-oracle > rows.swift
# Case lines: <asm, or .word 0x... @ name> ; d2=0x.. d3=0x.. ; fpscr=0x..
# Prints Swift NEONQEMUCase rows with the state qemu-arm leaves.
import sys, subprocess, os, re, tempfile
oracle = sys.argv[2]
tmp = tempfile.mkdtemp()
specs = []
for line in open(sys.argv[1]):
    line = line.rstrip('\n')
    if not line.strip() or line.startswith('#'): continue
    parts = [p.strip() for p in line.split(';')]
    asm = parts[0]
    regs = {}
    fpscr = 0
    for p in parts[1:]:
        for tok in p.split():
            k, v = tok.split('=')
            if k == 'fpscr': fpscr = int(v, 16)
            else: regs[int(k[1:])] = int(v, 16)
    specs.append((asm, regs, fpscr))
src = '.syntax unified\n.arm\n.fpu neon-vfpv4\n' + '\n'.join(a if a.startswith('.word') else a for a, _, _ in specs) + '\n'
open(os.path.join(tmp, 't.s'), 'w').write(src)
subprocess.check_call(['arm-none-eabi-as', '-march=armv7-a', '-mfpu=neon-vfpv4', os.path.join(tmp, 't.s'), '-o', os.path.join(tmp, 't.o')])
subprocess.check_call(['arm-none-eabi-objcopy', '-O', 'binary', '-j', '.text', os.path.join(tmp, 't.o'), os.path.join(tmp, 't.bin')])
b = open(os.path.join(tmp, 't.bin'), 'rb').read()
words = [int.from_bytes(b[4*i:4*i+4], 'little') for i in range(len(b)//4)]
assert len(words) == len(specs), (len(words), len(specs))
inp = ''
for w, (a, regs, fp) in zip(words, specs):
    inp += '%08x %08x ' % (w, fp) + ' '.join('%016x' % regs.get(i, 0) for i in range(32)) + '\n'
out = subprocess.run(['qemu-arm', '-cpu', 'cortex-a15', oracle], input=inp, capture_output=True, text=True).stdout.splitlines()
for w, (a, regs, fp), o in zip(words, specs, out):
    name = a if not a.startswith('.word') else a.replace('.word', 'word').split('@')[-1].strip()
    if a.startswith('.word') and '@' in a: name = a.split('@')[1].strip()
    ins = ', '.join('%d: 0x%016X' % (k, v) for k, v in sorted(regs.items())) or ':'
    if o == 'UNDEF':
        print('        C("%s", 0x%08X, in: [%s], undefined: true),' % (name, w, ins))
        continue
    f = o.split()
    fo = int(f[0], 16); ds = [int(x, 16) for x in f[1:]]
    outs = ', '.join('%d: 0x%016X' % (i, ds[i]) for i in range(32) if ds[i] != regs.get(i, 0)) or ':'
    fps = '' if fp == 0 else ', fpscr: 0x%08X' % fp
    print('        C("%s", 0x%08X%s, in: [%s],\n          out: [%s], fpscrOut: 0x%08X),' % (name, w, fps, ins, outs, fo))
