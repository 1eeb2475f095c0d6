#!/usr/bin/env python3
"""Makes small ONNX fixtures for operators the five reference models do not use.

Run with Debian's python3-onnx (numpy + onnx only):  python3 make_extra_models.py
The Java tests compare SpikeFlux's forward pass on these files against onnxruntime.
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)


def init(name, arr):
    return numpy_helper.from_array(np.asarray(arr, dtype=np.float32), name)


def save(graph, name, opset=13):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="spikeflux-fixtures")
    model.ir_version = 7
    helper.set_model_props(model, {"classes": '["a","b","c","d","e"]', "input": "frame"})
    onnx.checker.check_model(model)
    onnx.save(model, name)


# 1) Conv with bias + BatchNormalization + pads, AveragePool with pads and count_include_pad=0,
#    Reshape to [N,-1] via a Constant, Dropout, Gemm transB=1 with bias, Identity, MatMul + Add bias.
x = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 2, 9, 8])
y = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])
inits = [
    init("w1", rng.normal(0, 0.4, (6, 2, 3, 3))), init("b1", rng.normal(0, 0.2, 6)),
    init("bn_s", rng.uniform(0.5, 1.5, 6)), init("bn_b", rng.normal(0, 0.2, 6)),
    init("bn_m", rng.normal(0, 0.2, 6)), init("bn_v", rng.uniform(0.5, 2.0, 6)),
    init("w2", rng.normal(0, 0.3, (4, 6, 2, 2))),
    init("g1", rng.normal(0, 0.2, (7, 4 * 5 * 4))), init("g1b", rng.normal(0, 0.1, 7)),
    init("m2", rng.normal(0, 0.3, (7, 5))), init("m2b", rng.normal(0, 0.1, 5)),
]
nodes = [
    helper.make_node("Conv", ["input", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1], strides=[1, 1],
                     kernel_shape=[3, 3]),
    helper.make_node("BatchNormalization", ["c1", "bn_s", "bn_b", "bn_m", "bn_v"], ["bn1"], name="bn1", epsilon=1e-5),
    helper.make_node("Relu", ["bn1"], ["r1"], name="relu1"),
    helper.make_node("AveragePool", ["r1"], ["p1"], name="pool1", kernel_shape=[3, 3], strides=[2, 2],
                     pads=[1, 1, 1, 1], count_include_pad=0),
    helper.make_node("Conv", ["p1", "w2"], ["c2"], name="conv2", pads=[1, 0, 0, 1], strides=[1, 1]),
    helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
    helper.make_node("Constant", [], ["shape"], name="shape",
                     value=helper.make_tensor("shape_v", TensorProto.INT64, [2], [0, -1])),
    helper.make_node("Reshape", ["r2", "shape"], ["flat"], name="reshape"),
    helper.make_node("Dropout", ["flat"], ["drop"], name="drop"),
    helper.make_node("Gemm", ["drop", "g1", "g1b"], ["fc1"], name="fc1", transB=1, alpha=0.9, beta=1.1),
    helper.make_node("Relu", ["fc1"], ["r3"], name="relu3"),
    helper.make_node("Identity", ["r3"], ["id"], name="identity"),
    helper.make_node("MatMul", ["id", "m2"], ["mm"], name="fc2"),
    helper.make_node("Add", ["mm", "m2b"], ["logits"], name="fc2_bias"),
]
save(helper.make_graph(nodes, "extra_ops", [x], [y], inits), "extra_ops.onnx")

# 2) An operator SpikeFlux rejects by name.
x2 = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 4])
y2 = helper.make_tensor_value_info("out", TensorProto.FLOAT, ["N", 4])
save(helper.make_graph([helper.make_node("Sigmoid", ["input"], ["out"], name="squash")], "bad_op", [x2], [y2], []),
     "unsupported_sigmoid.onnx")

# 3) Identity and Dropout between a Conv and its BatchNormalization: the BN still folds into the conv.
x3 = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 1, 6, 6])
y3 = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])
inits3 = [
    init("w", rng.normal(0, 0.5, (3, 1, 3, 3))),
    init("s", rng.uniform(0.5, 1.5, 3)), init("b", rng.normal(0, 0.2, 3)),
    init("m", rng.normal(0, 0.2, 3)), init("v", rng.uniform(0.5, 2.0, 3)),
    init("fc", rng.normal(0, 0.3, (3 * 6 * 6, 5))),
]
nodes3 = [
    helper.make_node("Conv", ["input", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
    helper.make_node("Identity", ["c"], ["c_id"], name="id"),
    helper.make_node("Dropout", ["c_id"], ["c_drop"], name="drop"),
    helper.make_node("BatchNormalization", ["c_drop", "s", "b", "m", "v"], ["bn"], name="bn"),
    helper.make_node("Relu", ["bn"], ["r"], name="relu"),
    helper.make_node("Flatten", ["r"], ["f"], name="flat"),
    helper.make_node("MatMul", ["f", "fc"], ["logits"], name="fc"),
]
save(helper.make_graph(nodes3, "aliases_before_bn", [x3], [y3], inits3), "aliases_before_bn.onnx")

# 4) The conv output reaches its BatchNormalization through an Identity and also a residual Add:
#    folding the BN into the conv would change the residual branch, so the import must refuse.
nodes4 = [
    helper.make_node("Conv", ["input", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
    helper.make_node("Identity", ["c"], ["c_id"], name="id"),
    helper.make_node("BatchNormalization", ["c_id", "s", "b", "m", "v"], ["bn"], name="bn"),
    helper.make_node("Add", ["bn", "c"], ["sum"], name="residual"),
    helper.make_node("Relu", ["sum"], ["r"], name="relu"),
    helper.make_node("Flatten", ["r"], ["f"], name="flat"),
    helper.make_node("MatMul", ["f", "fc"], ["logits"], name="fc"),
]
save(helper.make_graph(nodes4, "shared_conv_output", [x3], [y3], inits3), "shared_conv_output.onnx")

# 5) Grouped and depthwise convolutions with ReLU6 (Clip 0..6, bounds as inputs since opset 11),
#    BatchNormalization after a depthwise conv, asymmetric pads, a channel multiplier.
x5 = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 4, 10, 10])
y5 = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])
inits5 = [
    init("gw", rng.normal(0, 0.4, (8, 2, 3, 3))), init("gb", rng.normal(0, 0.2, 8)),
    init("dw", rng.normal(0, 0.5, (8, 1, 3, 3))),
    init("s", rng.uniform(0.5, 1.5, 8)), init("b", rng.normal(0, 0.2, 8)),
    init("m", rng.normal(0, 0.2, 8)), init("v", rng.uniform(0.5, 2.0, 8)),
    init("mw", rng.normal(0, 0.5, (16, 2, 1, 1))),
    init("lo", 0.0), init("hi", 6.0), init("hi2", 1.5),
    init("fc", rng.normal(0, 0.5, (5, 16))), init("fcb", rng.normal(0, 0.1, 5)),
]
nodes5 = [
    helper.make_node("Conv", ["input", "gw", "gb"], ["c1"], name="grouped", group=2, pads=[1, 1, 1, 1]),
    helper.make_node("Clip", ["c1", "lo", "hi"], ["r1"], name="relu6_1"),
    helper.make_node("Conv", ["r1", "dw"], ["c2"], name="depthwise", group=8, strides=[2, 2], pads=[1, 1, 0, 0]),
    helper.make_node("BatchNormalization", ["c2", "s", "b", "m", "v"], ["bn"], name="bn"),
    helper.make_node("Clip", ["bn", "lo", "hi2"], ["r2"], name="relu_cap"),
    helper.make_node("Conv", ["r2", "mw"], ["c3"], name="multiplier", group=4),
    helper.make_node("Relu", ["c3"], ["r3"], name="relu3"),
    helper.make_node("GlobalAveragePool", ["r3"], ["gap"], name="gap"),
    helper.make_node("Flatten", ["gap"], ["f"], name="flat"),
    helper.make_node("Gemm", ["f", "fc", "fcb"], ["logits"], name="fc", transB=1),
]
save(helper.make_graph(nodes5, "grouped_clip", [x5], [y5], inits5), "grouped_clip.onnx")

# 6) In-graph normalisation of a 2-channel input, then a Pad (pads as an input, opset 11) before a
#    padded Conv (border outputs get their own bias), a ceil-mode MaxPool before its ReLU, a
#    second MaxPool, x.view(x.size(0), -1) as Shape/Gather/Unsqueeze/Concat, log-softmax output.
x6 = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 2, 12, 12])
y6 = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])
inits6 = [
    init("mean", np.array([0.3, 0.6]).reshape(1, 2, 1, 1)), init("std", np.array([0.25, 0.5]).reshape(1, 2, 1, 1)),
    numpy_helper.from_array(np.array([0, 0, 1, 2, 0, 0, 2, 1], dtype=np.int64), "pads"),
    init("w", rng.normal(0, 0.4, (6, 2, 3, 3))), init("wb", rng.normal(0, 0.2, 6)),
    numpy_helper.from_array(np.array(0, dtype=np.int64), "zero"),
    numpy_helper.from_array(np.array([-1], dtype=np.int64), "minus_one"),
    init("fc", rng.normal(0, 0.3, (5, 96))), init("fcb", rng.normal(0, 0.1, 5)),
]
nodes6 = [
    helper.make_node("Sub", ["input", "mean"], ["centred"], name="sub"),
    helper.make_node("Div", ["centred", "std"], ["normed"], name="div"),
    helper.make_node("Pad", ["normed", "pads"], ["padded"], name="pad"),
    helper.make_node("Conv", ["padded", "w", "wb"], ["c"], name="conv", pads=[1, 0, 0, 1]),
    helper.make_node("MaxPool", ["c"], ["mp"], name="pool1", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                     ceil_mode=1),
    helper.make_node("Relu", ["mp"], ["r"], name="relu"),
    helper.make_node("MaxPool", ["r"], ["mp2"], name="pool2", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Shape", ["mp2"], ["shape"], name="shape"),
    helper.make_node("Gather", ["shape", "zero"], ["batch"], name="gather", axis=0),
    helper.make_node("Unsqueeze", ["batch"], ["batch1"], name="unsqueeze", axes=[0]),
    helper.make_node("Concat", ["batch1", "minus_one"], ["target"], name="concat", axis=0),
    helper.make_node("Reshape", ["mp2", "target"], ["flat"], name="reshape"),
    helper.make_node("Gemm", ["flat", "fc", "fcb"], ["scores"], name="fc", transB=1),
    helper.make_node("LogSoftmax", ["scores"], ["logits"], name="log_softmax", axis=1),
]
save(helper.make_graph(nodes6, "normalised_pad_maxpool", [x6], [y6], inits6), "normalised_pad_maxpool.onnx", opset=11)

# 7) Normalisation after flattening: a per-feature constant in ONNX's C,H,W order on a 2-channel
#    image, then a scalar Div, folded into the dense layer.
x7 = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 2, 3, 3])
y7 = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])
inits7 = [init("mean", rng.uniform(0, 1, 18)), init("scale", 0.5), init("fc", rng.normal(0, 0.5, (18, 5)))]
nodes7 = [
    helper.make_node("Flatten", ["input"], ["f"], name="flat"),
    helper.make_node("Sub", ["f", "mean"], ["centred"], name="sub"),
    helper.make_node("Div", ["centred", "scale"], ["normed"], name="div"),
    helper.make_node("MatMul", ["normed", "fc"], ["logits"], name="fc"),
]
save(helper.make_graph(nodes7, "normalised_mlp", [x7], [y7], inits7), "normalised_mlp.onnx")

# 8) Opset 21, Keras layout as tf2onnx writes it: NHWC input transposed to NCHW, SAME padding,
#    a Pad with an axes input (opset 18), transposed back to NHWC before a Reshape.
x8 = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 8, 8, 3])
y8 = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])
inits8 = [
    init("w", rng.normal(0, 0.4, (4, 3, 3, 3))), init("wb", rng.normal(0, 0.2, 4)),
    numpy_helper.from_array(np.array([0, 0, 1, 1], dtype=np.int64), "pads"),
    numpy_helper.from_array(np.array([2, 3], dtype=np.int64), "pad_axes"),
    init("fc", rng.normal(0, 0.5, (36, 5))), init("fcb", rng.normal(0, 0.1, 5)),
]
nodes8 = [
    helper.make_node("Transpose", ["input"], ["nchw"], name="to_nchw", perm=[0, 3, 1, 2]),
    helper.make_node("Conv", ["nchw", "w", "wb"], ["c"], name="conv", auto_pad="SAME_UPPER", kernel_shape=[3, 3]),
    helper.make_node("Relu", ["c"], ["r"], name="relu"),
    helper.make_node("Pad", ["r", "pads", "", "pad_axes"], ["padded"], name="pad"),
    helper.make_node("AveragePool", ["padded"], ["p"], name="pool", kernel_shape=[3, 3], strides=[3, 3]),
    helper.make_node("Transpose", ["p"], ["nhwc"], name="to_nhwc", perm=[0, 2, 3, 1]),
    helper.make_node("Constant", [], ["target"], name="target", value_ints=[-1, 36]),
    helper.make_node("Reshape", ["nhwc", "target"], ["flat"], name="reshape"),
    helper.make_node("MatMul", ["flat", "fc"], ["mm"], name="fc"),
    helper.make_node("Add", ["mm", "fcb"], ["logits"], name="fc_bias"),
]
model8 = helper.make_model(helper.make_graph(nodes8, "nhwc_opset21", [x8], [y8], inits8),
                           opset_imports=[helper.make_opsetid("", 21)], producer_name="spikeflux-fixtures")
model8.ir_version = 10  # opset 21 needs IR 10; this onnx may predate it, so no checker here
onnx.save(model8, "nhwc_opset21.onnx")

# 9) What torch 2.x exports for nn.AvgPool2d (count_include_pad=True): a Pad from a Constant in
#    front of every AveragePool, all zeros for AvgPool2d(2) and [0,0,1,1,0,0,1,1] for
#    AvgPool2d(3, 2, padding=1), whose zeros then count in the divisor.
x9 = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 1, 8, 8])
y9 = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])
inits9 = [init("w", rng.normal(0, 0.5, (3, 1, 3, 3))), init("fc", rng.normal(0, 0.5, (5, 3 * 2 * 2)))]
nodes9 = [
    helper.make_node("Conv", ["input", "w"], ["c"], name="/f/f.0/Conv", pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c"], ["r"], name="/f/f.1/Relu"),
    helper.make_node("Constant", [], ["zero_pads"], name="/f/f.2/Constant",
                     value=helper.make_tensor("zp", TensorProto.INT64, [8], [0] * 8)),
    helper.make_node("Pad", ["r", "zero_pads"], ["p0"], name="/f/f.2/Pad", mode="constant"),
    helper.make_node("AveragePool", ["p0"], ["a0"], name="/f/f.2/AveragePool", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Constant", [], ["one_pads"], name="/f/f.3/Constant",
                     value=helper.make_tensor("op", TensorProto.INT64, [8], [0, 0, 1, 1, 0, 0, 1, 1])),
    helper.make_node("Pad", ["a0", "one_pads"], ["p1"], name="/f/f.3/Pad", mode="constant"),
    helper.make_node("AveragePool", ["p1"], ["a1"], name="/f/f.3/AveragePool", kernel_shape=[3, 3], strides=[2, 2]),
    helper.make_node("Flatten", ["a1"], ["flat"], name="/f/f.4/Flatten"),
    helper.make_node("Gemm", ["flat", "fc"], ["logits"], name="/f/f.5/Gemm", transB=1),
]
save(helper.make_graph(nodes9, "torch2_avgpool_pad", [x9], [y9], inits9), "torch2_avgpool_pad.onnx")

# 10) BatchNormalization after the ReLU (conv -> relu -> bn), moved through a max pool into the
#     padded conv after it, and a BatchNorm1d after a dense layer's ReLU.
x10 = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 2, 8, 8])
y10 = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])
inits10 = [
    init("w1", rng.normal(0, 0.5, (4, 2, 3, 3))), init("b1", rng.normal(0, 0.2, 4)),
    init("s", rng.uniform(0.5, 1.5, 4)), init("b", rng.normal(0, 0.2, 4)),
    init("m", rng.normal(0, 0.2, 4)), init("v", rng.uniform(0.5, 2.0, 4)),
    init("w2", rng.normal(0, 0.5, (6, 4, 3, 3))),
    init("fc1", rng.normal(0, 0.5, (6, 7))), init("fc1b", rng.normal(0, 0.1, 7)),
    init("s1", rng.uniform(0.5, 1.5, 7)), init("b1d", rng.normal(0, 0.2, 7)),
    init("m1", rng.normal(0, 0.2, 7)), init("v1", rng.uniform(0.5, 2.0, 7)),
    init("fc2", rng.normal(0, 0.5, (7, 5))),
]
nodes10 = [
    helper.make_node("Conv", ["input", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
    helper.make_node("BatchNormalization", ["r1", "s", "b", "m", "v"], ["bn1"], name="bn1"),
    helper.make_node("MaxPool", ["bn1"], ["p1"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Conv", ["p1", "w2"], ["c2"], name="conv2", pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
    helper.make_node("GlobalAveragePool", ["r2"], ["gap"], name="gap"),
    helper.make_node("Flatten", ["gap"], ["f"], name="flat"),
    helper.make_node("MatMul", ["f", "fc1"], ["mm1"], name="fc1"),
    helper.make_node("Add", ["mm1", "fc1b"], ["d1"], name="fc1_bias"),
    helper.make_node("Relu", ["d1"], ["r3"], name="relu3"),
    helper.make_node("BatchNormalization", ["r3", "s1", "b1d", "m1", "v1"], ["bn2"], name="bn2"),
    helper.make_node("MatMul", ["bn2", "fc2"], ["logits"], name="fc2"),
]
save(helper.make_graph(nodes10, "bn_after_relu", [x10], [y10], inits10), "bn_after_relu.onnx")

# 11) x.float() on the input (a Cast to FLOAT) and nn.AdaptiveMaxPool2d(1) (GlobalMaxPool).
x11 = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 1, 6, 6])
y11 = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])
inits11 = [init("w", rng.normal(0, 0.5, (4, 1, 3, 3))), init("fc", rng.normal(0, 0.5, (5, 4)))]
nodes11 = [
    helper.make_node("Cast", ["input"], ["xf"], name="to_float", to=TensorProto.FLOAT),
    helper.make_node("Conv", ["xf", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c"], ["r"], name="relu"),
    helper.make_node("GlobalMaxPool", ["r"], ["gmp"], name="gmp"),
    helper.make_node("Flatten", ["gmp"], ["f"], name="flat"),
    helper.make_node("Gemm", ["f", "fc"], ["logits"], name="fc", transB=1),
]
save(helper.make_graph(nodes11, "global_max_pool", [x11], [y11], inits11), "global_max_pool.onnx")

# 12) A per-channel Mul after an AveragePool (carried into the next layer), then a Flatten and a
#     BatchNorm1d over the flattened C,H,W features (its parameters reordered to channel-last).
x12 = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 2, 6, 6])
y12 = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])
inits12 = [
    init("w", rng.normal(0, 0.5, (3, 2, 3, 3))), init("k", rng.uniform(0.5, 2.0, (1, 3, 1, 1))),
    init("s", rng.uniform(0.5, 1.5, 27)), init("b", rng.normal(0, 0.2, 27)),
    init("m", rng.normal(0, 0.2, 27)), init("v", rng.uniform(0.5, 2.0, 27)),
    init("fc", rng.normal(0, 0.5, (5, 27))),
]
nodes12 = [
    helper.make_node("Conv", ["input", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c"], ["r"], name="relu"),
    helper.make_node("AveragePool", ["r"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Mul", ["p", "k"], ["scaled"], name="scale"),
    helper.make_node("Flatten", ["scaled"], ["f"], name="flat"),
    helper.make_node("BatchNormalization", ["f", "s", "b", "m", "v"], ["bn"], name="bn1d"),
    helper.make_node("Gemm", ["bn", "fc"], ["logits"], name="fc", transB=1),
]
save(helper.make_graph(nodes12, "bn1d_after_flatten", [x12], [y12], inits12), "bn1d_after_flatten.onnx")

# 13) A conv that leaves a 1x1 map (LeNet-5's C5), a per-channel Sub on it, a 1x1 conv, and
#     x.view(x.size(0), -1) whose Shape must report [N,C,1,1].
x13 = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 1, 5, 5])
y13 = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])
inits13 = [
    init("w", rng.normal(0, 0.5, (4, 1, 5, 5))), init("wb", rng.normal(0, 0.2, 4)),
    init("off", rng.normal(0, 0.2, (1, 4, 1, 1))), init("w2", rng.normal(0, 0.5, (6, 4, 1, 1))),
    numpy_helper.from_array(np.array(0, dtype=np.int64), "zero"),
    numpy_helper.from_array(np.array([-1], dtype=np.int64), "minus_one"),
    init("fc", rng.normal(0, 0.5, (5, 6))),
]
nodes13 = [
    helper.make_node("Conv", ["input", "w", "wb"], ["c"], name="c5"),
    helper.make_node("Relu", ["c"], ["r"], name="relu"),
    helper.make_node("Sub", ["r", "off"], ["centred"], name="sub"),
    helper.make_node("Conv", ["centred", "w2"], ["c2"], name="pointwise"),
    helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
    helper.make_node("Shape", ["r2"], ["shape"], name="shape"),
    helper.make_node("Gather", ["shape", "zero"], ["batch"], name="gather", axis=0),
    helper.make_node("Unsqueeze", ["batch"], ["batch1"], name="unsqueeze", axes=[0]),
    helper.make_node("Concat", ["batch1", "minus_one"], ["target"], name="concat", axis=0),
    helper.make_node("Reshape", ["r2", "target"], ["flat"], name="reshape"),
    helper.make_node("Gemm", ["flat", "fc"], ["logits"], name="fc", transB=1),
]
save(helper.make_graph(nodes13, "one_by_one_map", [x13], [y13], inits13), "one_by_one_map.onnx", opset=11)

# 14) Keras via tf2onnx with a Rescaling layer: NHWC input, Mul by 1/255, then the Transpose.
x14 = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 6, 6, 2])
y14 = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])
inits14 = [init("rescale", 1 / 255), init("w", rng.normal(0, 0.5, (3, 2, 3, 3))),
           init("fc", rng.normal(0, 0.5, (48, 5)))]
nodes14 = [
    helper.make_node("Mul", ["input", "rescale"], ["scaled"], name="rescaling"),
    helper.make_node("Transpose", ["scaled"], ["nchw"], name="to_nchw", perm=[0, 3, 1, 2]),
    helper.make_node("Conv", ["nchw", "w"], ["c"], name="conv", pads=[0, 0, 0, 0]),
    helper.make_node("Relu", ["c"], ["r"], name="relu"),
    helper.make_node("Transpose", ["r"], ["nhwc"], name="to_nhwc", perm=[0, 2, 3, 1]),
    helper.make_node("Flatten", ["nhwc"], ["f"], name="flat"),
    helper.make_node("MatMul", ["f", "fc"], ["logits"], name="fc"),
]
save(helper.make_graph(nodes14, "keras_rescaling", [x14], [y14], inits14), "keras_rescaling.onnx")
