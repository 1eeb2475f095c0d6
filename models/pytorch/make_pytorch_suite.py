#!/usr/bin/env python3
"""Trains and exports the PyTorch model suite SpikeFlux must import: networks written the way
people write them (max pooling, in-graph input normalisation, BatchNorm, nn.Sequential with
AvgPool2d, a MobileNet-style block with ReLU6 and depthwise convs), trained briefly on
Fashion-MNIST and exported with torch.onnx.export exactly as a user would (dynamic batch).

Run with Debian's python3-torch and python3-onnx (CPU, ~10 minutes on 2 cores):
    /usr/bin/python3 models/pytorch/make_pytorch_suite.py [--only NAME,...] [--epochs N]
Reads /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist).
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
           "Ankle boot"]


def idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class MnistExample(nn.Module):
    """pytorch/examples mnist/main.py, unchanged."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.dropout2(x)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


class BnNormalised(nn.Module):
    """Normalises its input in the graph and flattens with view(x.size(0), -1)."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor(0.2860))
        self.register_buffer("std", torch.tensor(0.3530))
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(32)
        self.fc1 = nn.Linear(32 * 7 * 7, 100)
        self.fc2 = nn.Linear(100, 10)

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = F.avg_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.avg_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        x = x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


def sequential_lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.AvgPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


class MaxPoolFirst(nn.Module):
    """The classic LeNet idiom relu(max_pool(conv(x))): pooling before the ReLU."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, 5)
        self.conv2 = nn.Conv2d(10, 20, 5)
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2(x), 2))
        x = x.view(-1, 320)
        x = F.relu(self.fc1(x))
        return F.softmax(self.fc2(x), dim=1)


def conv_bn_relu6(cin, cout, k, stride=1, groups=1):
    return [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout),
            nn.ReLU6(inplace=True)]


class MobileNetBlock(nn.Module):
    """A stem conv then depthwise-separable blocks (MobileNet v1), BN + ReLU6, AdaptiveAvgPool2d(1)."""

    def __init__(self):
        super().__init__()
        layers = conv_bn_relu6(1, 16, 3)
        layers += conv_bn_relu6(16, 16, 3, stride=2, groups=16) + conv_bn_relu6(16, 32, 1)
        layers += conv_bn_relu6(32, 32, 3, stride=2, groups=32) + conv_bn_relu6(32, 64, 1)
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(64, 10)

    def forward(self, x):
        x = self.pool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


class Unsupported(nn.Module):
    """Untrained; operators with no spiking form, for the report that lists them all."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3)
        self.conv2 = nn.Conv2d(8, 8, 3)
        self.fc = nn.Linear(8 * 5 * 5, 10)

    def forward(self, x):
        x = torch.sigmoid(self.conv1(x))
        x = F.max_pool2d(x, 2, ceil_mode=True)
        x = F.leaky_relu(self.conv2(x), 0.1)
        x = F.max_pool2d(x, 2)
        return torch.tanh(self.fc(torch.flatten(x, 1)))


# name -> (factory, opset, epochs, trained)
SUITE = {
    "torch_mnist_example": (MnistExample, 13, 2, True),
    "torch_bn_normalised": (BnNormalised, 13, 2, True),
    "torch_sequential_lenet": (sequential_lenet, 13, 3, True),
    "torch_maxpool_first": (MaxPoolFirst, 11, 3, True),
    "torch_mobilenet_block": (MobileNetBlock, 13, 3, True),
    "torch_unsupported": (Unsupported, 13, 0, False),
}
# the same trained weights exported again at other opsets
REEXPORTS = {"torch_bn_normalised_opset17": ("torch_bn_normalised", 17),
             "torch_sequential_lenet_opset9": ("torch_sequential_lenet", 9)}


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(x[i:i + 1000]).argmax(1) for i in range(0, len(x), 1000)])
    return (pred == y).float().mean().item()


def train(model, x, y, epochs):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=epochs * (len(x) // 128 + 1))
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(x))
        for b in range(0, len(x), 128):
            i = perm[b:b + 128]
            out = model(x[i])
            # log_softmax / softmax outputs: train on the logits' cross-entropy either way
            loss = F.nll_loss(torch.log(out.clamp_min(1e-12)), y[i]) if isinstance(model, MaxPoolFirst) \
                else (F.nll_loss(out, y[i]) if isinstance(model, MnistExample) else F.cross_entropy(out, y[i]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()


def export(model, name, opset, acc):
    path = os.path.join(HERE, name + ".onnx")
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, opset_version=opset, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}})
    m = onnx.load(path)
    props = {"dataset": "fashion-mnist", "classes": json.dumps(CLASSES), "input": "frame",
             "input_range": "[0,1]", "exported_by": "torch %s, opset %d" % (torch.__version__, opset)}
    if acc is not None:
        props["ann_test_accuracy"] = "%.4f" % acc
    for k, v in props.items():
        e = m.metadata_props.add()
        e.key, e.value = k, v
    onnx.save(m, path)
    print("%s: opset %d, %s" % (path, opset, "" if acc is None else "test accuracy %.4f" % acc), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", help="comma-separated model names (re-exports follow their source)")
    ap.add_argument("--epochs", type=int)
    args = ap.parse_args()
    torch.manual_seed(1)
    torch.set_num_threads(os.cpu_count())
    xtr = torch.tensor(idx("train-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255
    ytr = torch.tensor(idx("train-labels-idx1-ubyte.gz"), dtype=torch.long)
    xte = torch.tensor(idx("t10k-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255
    yte = torch.tensor(idx("t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
    trained = {}
    for name, (factory, opset, epochs, do_train) in SUITE.items():
        if args.only and name not in args.only.split(","):
            continue
        model = factory()
        acc = None
        if do_train:
            start = time.time()
            train(model, xtr, ytr, args.epochs or epochs)
            acc = accuracy(model, xte, yte)
            print("%s trained in %.0f s" % (name, time.time() - start), flush=True)
        trained[name] = (model, acc)
        export(model, name, opset, acc)
    for name, (source, opset) in REEXPORTS.items():
        if source in trained:
            export(trained[source][0], name, opset, trained[source][1])


if __name__ == "__main__":
    main()
