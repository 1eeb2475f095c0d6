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
