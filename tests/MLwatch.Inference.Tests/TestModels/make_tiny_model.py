"""Writes tiny/1/model.onnx: a 28x28 grayscale linear classifier whose logit k is (k - 4.5) * mean(input).

Bright images (positive normalized mean) score class 9, dark images class 0. Regenerate with:
    /usr/bin/python3 make_tiny_model.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

here = os.path.dirname(os.path.abspath(__file__))
pixels = 28 * 28
weights = np.tile((np.arange(10, dtype=np.float32) - 4.5) / pixels, (pixels, 1)).astype(np.float32)
bias = np.zeros(10, dtype=np.float32)

graph = helper.make_graph(
    [
        helper.make_node("Flatten", ["input"], ["flat"], axis=1),
        helper.make_node("MatMul", ["flat", "W"], ["scores"]),
        helper.make_node("Add", ["scores", "B"], ["logits"]),
    ],
    "tiny",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 1, 28, 28])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])],
    [numpy_helper.from_array(weights, "W"), numpy_helper.from_array(bias, "B")],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="mlwatch-tests")
model.ir_version = 8
onnx.checker.check_model(model)
os.makedirs(os.path.join(here, "tiny", "1"), exist_ok=True)
onnx.save(model, os.path.join(here, "tiny", "1", "model.onnx"))
