#!/usr/bin/env python3
"""Runs a .tflite file natively with Arm NN (Debian python3-pyarmnn: Arm NN's
TFLite parser and its CpuRef reference backend) on float32 rows, batch by
batch, and writes the outputs as little-endian float32.

A second, independent reader of the lab's .tflite files: it parses the
flatbuffer with Arm NN's own code and computes with its reference kernels
(integer graphs as dequantize -> float32 operator -> requantize).

  python3 tools/reference/armnn-tflite.py MODEL.tflite INPUTS.f32 ROWS OUTPUTS.f32

The model's batch dimension must be 1 or match ROWS' batches; rows are run one
at a time through a batch-1 model.
"""
import sys

import numpy as np
import pyarmnn as ann


def main(model_path: str, inputs_path: str, rows: int, outputs_path: str) -> None:
    parser = ann.ITfLiteParser()
    network = parser.CreateNetworkFromBinaryFile(model_path)
    graph = 0
    input_name = parser.GetSubgraphInputTensorNames(graph)[0]
    output_name = parser.GetSubgraphOutputTensorNames(graph)[0]
    input_binding = parser.GetNetworkInputBindingInfo(graph, input_name)
    output_binding = parser.GetNetworkOutputBindingInfo(graph, output_name)
    runtime = ann.IRuntime(ann.CreationOptions())
    optimized, messages = ann.Optimize(network, [ann.BackendId("CpuRef")], runtime.GetDeviceSpec(), ann.OptimizerOptions())
    network_id, _ = runtime.LoadNetwork(optimized)
    shape = [input_binding[1].GetShape()[i] for i in range(input_binding[1].GetNumDimensions())]
    if shape[0] != 1:
        raise SystemExit(f"{model_path}: batch {shape[0]}; write the model with batch 1")
    per_row = int(np.prod(shape[1:]))
    data = np.fromfile(inputs_path, dtype="<f4")
    if data.size != rows * per_row:
        raise SystemExit(f"{inputs_path}: {data.size} values, {rows} rows x {per_row} expected")
    outputs = []
    for r in range(rows):
        x = data[r * per_row:(r + 1) * per_row].reshape(shape).astype(np.float32)
        input_tensors = ann.make_input_tensors([input_binding], [x])
        output_tensors = ann.make_output_tensors([output_binding])
        runtime.EnqueueWorkload(network_id, input_tensors, output_tensors)
        outputs.append(ann.workload_tensors_to_ndarray(output_tensors)[0].astype("<f4").ravel())
    np.concatenate(outputs).astype("<f4").tofile(outputs_path)
    print(f"{model_path}: {rows} rows through Arm NN {ann.ARMNN_VERSION} CpuRef", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
