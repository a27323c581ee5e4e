#!/usr/bin/env python3
"""Turns cases.txt into Swift test rows whose expected values come from
qemu-arm -cpu cortex-a15 running the oracle (build it first, see README).

cases.txt line:  asm[; asm...] | fpscr | apsr | d0 d1 d2 d3 | r4 r5 r6 r7
A D value is hex, or s:LO:HI for two singles (S2n = LO, S2n+1 = HI).
Usage: gen-cases.py cases.txt /tmp/vfp-oracle > rows.swift"""
import subprocess, sys, tempfile, os

def assemble(lines):
    src = "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as d:
        o = os.path.join(d, "x.o")
        subprocess.run(["arm-none-eabi-as", "-march=armv7-a", "-mfpu=vfpv4", "-mfloat-abi=hard", "-o", o, "-"],
                       input=src.encode(), check=True)
        out = subprocess.run(["arm-none-eabi-objdump", "-d", o], capture_output=True, check=True).stdout.decode()
    words = []
    for l in out.splitlines():
        parts = l.split("\t")
        if len(parts) >= 2 and parts[0].strip().endswith(":") and len(parts[1].strip()) == 8:
            words.append(int(parts[1].strip(), 16))
    assert len(words) == len(lines), (lines, out)
    return words

def dval(t):
    if t.startswith("s:"):
        _, lo, hi = t.split(":")
        return int(hi, 16) << 32 | int(lo, 16)
    return int(t, 16)

cases = []
for line in open(sys.argv[1]):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    asm, fpscr, apsr, ds, rs = [x.strip() for x in line.split("|")]
    lines = [a.strip() for a in asm.split(";")]
    d = [dval(t) for t in ds.split()] + [0] * 4
    r = [int(t, 16) for t in rs.split()] + [0] * 4
    cases.append((asm, assemble(lines), int(fpscr, 16), int(apsr, 16), d[:4], r[:4]))

inp = "".join("%s %x %x %s %s\n" % (",".join("%08x" % w for w in ws), f, a,
              " ".join("%x" % v for v in d + [0] * 4), " ".join("%x" % v for v in r))
              for (_, ws, f, a, d, r) in cases)
out = subprocess.run(["qemu-arm", "-cpu", "cortex-a15", sys.argv[2]], input=inp.encode(),
                     capture_output=True, check=True).stdout.decode().splitlines()
for (asm, ws, f, a, d, r), o in zip(cases, out):
    h = lambda v, n: "0x%0*X" % (n, v)
    if o == "SIGILL":
        print('        C("%s", [%s], fpscr: %s, undefined: true),' % (asm, ", ".join(h(w, 8) for w in ws), h(f, 8)))
        continue
    v = o.split()
    of, oa = int(v[0], 16), int(v[1], 16) & 0xF8000000
    od = [int(x, 16) for x in v[2:6]]
    orr = [int(x, 16) for x in v[10:14]]
    print('        C("%s", [%s], fpscr: %s, apsr: %s,\n          d: [%s], r: [%s],\n          fpscrOut: %s, apsrOut: %s,\n          dOut: [%s], rOut: [%s]),' % (
        asm, ", ".join(h(w, 8) for w in ws), h(f, 8), h(a, 8),
        ", ".join(h(x, 16) for x in d), ", ".join(h(x, 8) for x in r),
        h(of, 8), h(oa, 8), ", ".join(h(x, 16) for x in od), ", ".join(h(x, 8) for x in orr)))
