#!/usr/bin/env python3
"""Hostile files through the command line, as an attacker or a careless user would send them.

Mutates the bundled recordings, ONNX models and calibrated models (bit flips, truncation, huge
declared sizes, repeated chunks), adds crafted ones (LZ4 and ZSTD compression bombs, packets that
declare up to 2^31-1 bytes or hold 40 MiB, absurd sensor sizes in DAT and EVT headers) and runs `info`,
`inspect`, `ann-eval` and `evaluate` on each with a 256 MB heap. Every run must end in success, or in exit code 1 or 2 with exactly one line of
error that names the file; never a stack trace, an OutOfMemoryError or a hang.

    python3 scripts/mutation_sweep.py [--cases N] [--seed S]     (after: mvn -q install -DskipTests)
"""
import argparse
import os
import random
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "app", "target", "spikeflux.jar")
EVENTS = os.path.join(ROOT, "io-aer", "src", "test", "resources", "events")
RECORDINGS = [os.path.join(EVENTS, f) for f in sorted(os.listdir(EVENTS)) if not f.endswith(".md")]
ONNX = [os.path.join(ROOT, "models", "fmnist_lenet.onnx"),
        os.path.join(ROOT, "engine", "src", "test", "resources", "onnx", "torch2_avgpool_pad.onnx"),
        os.path.join(ROOT, "engine", "src", "test", "resources", "onnx", "grouped_clip.onnx")]
SNN = [os.path.join(ROOT, "models", "nmnist_cnn.snn")]
BIG = [0x7FFFFFFF, 0xFFFFFFFF, 0x10000000, 0x40000000, 0x80000000, 0]


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    kind = rng.randrange(6)
    if kind == 0:  # bit flips
        for _ in range(rng.randint(1, 16)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
    elif kind == 1:  # truncation
        del b[rng.randrange(1, len(b)):]
    elif kind == 2:  # a huge or zero 32-bit word (sizes, counts, dims) near the start
        i = rng.randrange(min(len(b) - 4, 4096))
        b[i:i + 4] = struct.pack("<I", rng.choice(BIG))
    elif kind == 3:  # the same, anywhere
        i = rng.randrange(len(b) - 4)
        b[i:i + 4] = struct.pack("<I", rng.choice(BIG))
    elif kind == 4:  # a chunk repeated
        i = rng.randrange(len(b))
        j = min(len(b), i + rng.randint(1, 4096))
        b[i:i] = b[i:j] * rng.randint(1, 8)
    else:  # random bytes after a valid head
        i = rng.randrange(1, len(b))
        b[i:] = bytes(rng.randrange(256) for _ in range(min(len(b) - i, 65536)))
    return bytes(b)


def aedat4(compression, packets):
    """The bundled DVXplorer recording's header, declaring a compression (0 none, 1 LZ4, 3 ZSTD)
    and no data table, then the given (stream, declared size, body) packets."""
    with open(os.path.join(EVENTS, "dvxplorer_lite_sample.aedat4"), "rb") as f:
        all_ = f.read()
    size = struct.unpack_from("<i", all_, 14)[0]
    header = bytearray(all_[:18 + size])
    table = struct.unpack_from("<I", header, 18)[0]
    vtable = table - struct.unpack_from("<i", header, 18 + table)[0]
    struct.pack_into("<i", header, 18 + table + struct.unpack_from("<H", header, 18 + vtable + 4)[0], compression)
    struct.pack_into("<q", header, 18 + table + struct.unpack_from("<H", header, 18 + vtable + 6)[0], -1)
    out = bytearray(header)
    for stream, declared, body in packets:
        out += struct.pack("<ii", stream, declared) + body
    return bytes(out)


def lz4_bomb(length):
    """An LZ4 frame of one block: a literal repeated by one match of the given length."""
    extra = length - 4 - 15
    block = bytes([0x1F, ord("x"), 1, 0]) + b"\xff" * (extra // 255) + bytes([extra % 255])
    return struct.pack("<I", 0x184D2204) + bytes([0x60, 0x70, 0]) + struct.pack("<I", len(block)) + block + b"\0" * 4


def zstd_bomb(prefix, zeros):
    """A ZSTD frame: a raw block holding a flatbuffer size prefix, then RLE blocks of zeros."""
    out = bytearray(struct.pack("<I", 0xFD2FB528) + bytes([0, 0x38]))
    out += bytes([4 << 3, 0, 0]) + struct.pack("<I", prefix)
    blocks = (zeros + (1 << 17) - 1) >> 17
    for b in range(blocks):
        n = min(zeros - b * (1 << 17), 1 << 17)
        h = (1 if b == blocks - 1 else 0) | 1 << 1 | n << 3
        out += bytes([h & 0xFF, h >> 8 & 0xFF, h >> 16 & 0xFF, 0])
    return bytes(out)


def crafted():
    """The hostile files of the reliability issue, made on purpose rather than by chance."""
    cases = [("lz4-bomb-150MB.aedat4", aedat4(1, [(0, len(lz4_bomb(150_000_000)), lz4_bomb(150_000_000))])),
             ("zstd-bomb-1GiB.aedat4", aedat4(3, [(0, len(zstd_bomb((1 << 30) - 4, 1 << 30)),
                                                   zstd_bomb((1 << 30) - 4, 1 << 30))])),
             ("zstd-bomb-small-prefix.aedat4", aedat4(3, [(0, len(zstd_bomb(2 << 20, 1 << 30)),
                                                           zstd_bomb(2 << 20, 1 << 30))])),
             ("packet-40MiB-in-file.aedat4", aedat4(0, [(0, 40 << 20, bytes(40 << 20))])),
             ("skipped-packet-40MiB.aedat4", aedat4(0, [(7, 40 << 20, bytes(40 << 20))]))]
    for size in (1 << 28, 1 << 30, 0x7FFFFFFF, 0xFFFFFFFF - (1 << 32)):
        cases.append(("packet-size-%d.aedat4" % size, aedat4(1, [(0, size, bytes(1000))])))
    with open(os.path.join(EVENTS, "ncars_sample.dat"), "rb") as f:
        dat = f.read()
    i = dat.index(b"% Date")
    for width, height in ((b"99999999999", b"240"), (b"304", b"0"), (b"-5", b"240"), (b"2147483647", b"2147483647")):
        cases.append(("dat-%sx%s.dat" % (width.decode(), height.decode()),
                      dat[:i] + b"% Width " + width + b"\n% Height " + height + b"\n" + dat[i:]))
    for name in ("prophesee_gen3_evt2_sample.raw", "prophesee_gen41_evt3_sample.raw"):
        with open(os.path.join(EVENTS, name), "rb") as f:
            raw = f.read()
        for k, line in enumerate((b"% format EVT3;height=0;width=0", b"% format EVT2;height=99999999999;width=640",
                                  b"% geometry 2147483647x2147483647", b"% geometry 99999999999x5")):
            cases.append(("%s-header%d.raw" % (name[:15], k), line + b"\n" + raw))
    return cases


def run(args, path):
    cmd = ["java", "-Xmx256m", "-Djava.awt.headless=true", "--add-modules", "jdk.incubator.vector",
           "-Dspikeflux.home=" + ROOT, "-jar", JAR] + args
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, errors="replace")
    except subprocess.TimeoutExpired:
        return "hang (over 120 s)"
    err = [l for l in p.stderr.splitlines() if "Using incubator modules" not in l and l.strip()]
    if "OutOfMemoryError" in p.stderr:
        return "OutOfMemoryError"
    if p.returncode == 0:
        return None
    if p.returncode not in (1, 2):
        return "exit code %d: %s" % (p.returncode, " | ".join(err[:3]))
    errors = [l for l in err if "error" in l.lower()]
    if len(errors) != 1 or any(l.lstrip().startswith("at ") for l in err):
        return "not one line of error: " + " | ".join(err[:5])
    if os.path.basename(path) not in errors[0]:
        return "the error does not name the file: " + errors[0]
    if errors[0].count("at byte") > 1 or errors[0].count("offset") > 1:
        return "more than one offset: " + errors[0]
    if any(ord(ch) < 32 for ch in errors[0]):
        return "control characters from the file in the error: " + repr(errors[0])
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=60, help="mutations per kind of input (default 60)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    failures = []
    counts = {"ok": 0, "error": 0}
    with tempfile.TemporaryDirectory() as tmp:
        plan = []
        for k in range(a.cases):
            src = rng.choice(RECORDINGS)
            plan.append((src, os.path.splitext(src)[1] or ".bin", [["info", "{f}"]]))
        for k in range(a.cases // 2):
            plan.append((rng.choice(ONNX), ".onnx", [["inspect", "--model", "{f}"],
                                                      ["ann-eval", "--model", "{f}", "--limit", "5"]]))
        for k in range(a.cases // 2):
            plan.append((rng.choice(SNN), ".snn", [["inspect", "--model", "{f}"],
                                                    ["evaluate", "--model", "{f}", "--limit", "2", "--timesteps", "4"]]))
        for name, data in crafted():
            plan.append((name, data, [["info", "{f}"]]))
        for n, (src, ext, commands) in enumerate(plan):
            if isinstance(ext, bytes):  # crafted: name and contents
                data, path = ext, os.path.join(tmp, src)
            else:
                with open(src, "rb") as f:
                    data = mutate(f.read(), rng)
                path = os.path.join(tmp, "case%04d%s" % (n, ext))
            with open(path, "wb") as f:
                f.write(data)
            for c in commands:
                args = [x.replace("{f}", path) for x in c]
                problem = run(args, path)
                if problem:
                    failures.append("%s (%s from %s): %s" % (" ".join(c[:1]), os.path.basename(path),
                                                           os.path.basename(src), problem))
                    print("FAIL", failures[-1], flush=True)
                else:
                    counts["ok"] += 1
        print("%d runs on %d mutated files: %d clean (success or one named error), %d failures"
              % (counts["ok"] + len(failures), len(plan), counts["ok"], len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
