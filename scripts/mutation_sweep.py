#!/usr/bin/env python3
"""Hostile files through the command line, as an attacker or a careless user would send them.

Mutates the bundled recordings, ONNX models and calibrated models (bit flips, truncation, huge
declared sizes, repeated chunks) and runs `info`, `inspect`, `ann-eval` and `evaluate` on each
with a 256 MB heap. Every run must end in success, or in exit code 1 or 2 with exactly one line of
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
        for n, (src, ext, commands) in enumerate(plan):
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
