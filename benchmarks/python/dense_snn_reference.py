#!/usr/bin/python3
"""Dense time-stepped SNN simulation in PyTorch (CPU): the reference SpikeFlux's event-driven
engine is compared with in BENCHMARKS.md. It runs the ONNX model's layers as IF neurons with reset
to zero on Poisson inputs, the way the paper's Python code and most conversion tools simulate:
every layer computes its full (dense) input current each step. The thresholds do not change the
cost of a dense simulation, so they are all 1 here.

    /usr/bin/python3 benchmarks/python/dense_snn_reference.py models/fmnist_vgg.onnx --images 2000 --steps 64 --threads 2
"""
import argparse
import gzip
import time

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def load_images(n):
    with gzip.open('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz') as f:
        data = np.frombuffer(f.read(), np.uint8, offset=16)
    return torch.from_numpy(data[:n * 784].reshape(n, 1, 28, 28).astype(np.float32) / 255.0)


def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return list(a.ints) if a.ints else (a.i if a.type == onnx.AttributeProto.INT else a.f)
    return default


def build(model):
    """The model as a list of (op, inputs, output, fn) with ReLUs marked as IF layers."""
    g = model.graph
    w = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in g.initializer}
    ops = []
    for n in g.node:
        t = n.op_type
        if t == 'Conv':
            pads = attr(n, 'pads', [0, 0, 0, 0])
            stride = attr(n, 'strides', [1, 1])
            weight = w[n.input[1]]
            bias = w[n.input[2]] if len(n.input) > 2 else None
            ops.append(('lin', n.input[0], n.output[0],
                        lambda x, weight=weight, bias=bias, s=stride, p=pads: F.conv2d(x, weight, bias, s, (p[0], p[1]))))
        elif t == 'AveragePool':
            k = attr(n, 'kernel_shape')
            s = attr(n, 'strides', k)
            ops.append(('lin', n.input[0], n.output[0], lambda x, k=k, s=s: F.avg_pool2d(x, k, s)))
        elif t == 'GlobalAveragePool':
            ops.append(('lin', n.input[0], n.output[0], lambda x: x.mean(dim=(2, 3), keepdim=True)))
        elif t in ('Flatten', 'Reshape'):
            ops.append(('lin', n.input[0], n.output[0], lambda x: x.flatten(1)))
        elif t == 'MatMul':
            weight = w[n.input[1]]
            ops.append(('lin', n.input[0], n.output[0], lambda x, weight=weight: x @ weight))
        elif t == 'Gemm':
            weight = w[n.input[1]]
            bias = w[n.input[2]] if len(n.input) > 2 else None
            tb = attr(n, 'transB', 0)
            ops.append(('lin', n.input[0], n.output[0],
                        lambda x, weight=weight, bias=bias, tb=tb: F.linear(x, weight if tb else weight.t(), bias)))
        elif t == 'Add':
            ops.append(('add', n.input, n.output[0], None))
        elif t == 'Relu':
            ops.append(('if', n.input[0], n.output[0], None))
        elif t in ('Dropout', 'Identity'):
            ops.append(('lin', n.input[0], n.output[0], lambda x: x))
        else:
            raise SystemExit(f'unsupported op {t}')
    ops.append(('if', g.output[0].name, '__out__', None))
    return g.input[0].name, ops


def simulate(inp, ops, images, steps, gen):
    membranes = {}
    counts = None
    for _ in range(steps):
        vals = {inp: (torch.rand(images.shape, generator=gen) < images).float()}
        for kind, src, dst, fn in ops:
            if kind == 'lin':
                vals[dst] = fn(vals[src])
            elif kind == 'add':
                vals[dst] = vals[src[0]] + vals[src[1]]
            else:
                v = membranes.get(dst)
                v = vals[src] if v is None else v + vals[src]
                spikes = (v >= 1.0).float()
                membranes[dst] = v * (1 - spikes)
                vals[dst] = spikes
        counts = vals['__out__'] if counts is None else counts + vals['__out__']
    return counts


def main():
    p = argparse.ArgumentParser()
    p.add_argument('model')
    p.add_argument('--images', type=int, default=2000)
    p.add_argument('--steps', type=int, default=64)
    p.add_argument('--batch', type=int, default=100)
    p.add_argument('--threads', type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    inp, ops = build(onnx.load(a.model))
    images = load_images(a.images)
    gen = torch.Generator().manual_seed(1)
    with torch.no_grad():
        simulate(inp, ops, images[:a.batch], 4, gen)  # warm-up
        start = time.time()
        for b in range(0, a.images, a.batch):
            simulate(inp, ops, images[b:b + a.batch], a.steps, gen)
        wall = time.time() - start
    print(f'{a.model}: {a.images} images x {a.steps} steps in {wall:.1f} s = '
          f'{a.images * a.steps / wall:,.0f} image-steps/s (PyTorch {torch.__version__}, {a.threads} threads, batch {a.batch})')


if __name__ == '__main__':
    main()
