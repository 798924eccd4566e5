#!/usr/bin/env python3
"""Generate the small .safetensors fixtures read by Tests/SafeTensorsTests (run once; outputs are committed).

    python3 scripts/python/make_safetensors_fixtures.py

Writes into Tests/SafeTensorsTests/Fixtures/:
  torch_rnn_tiny.safetensors  safetensors.torch.save_file of an Embedding(5,3) -> LSTM(3,4) -> Linear(4,5)
                              state dict whose values are arange-based (exact in F32), metadata {"format": "pt"}.
  torch_all_dtypes.safetensors  one tensor per dtype the Swift reader supports (F64 F32 F16 BF16 I64 I32 I16
                              I8 U64 U32 U16 U8 BOOL) with known values, plus a scalar (shape []) and an empty
                              (shape [0, 3]) tensor; no metadata.
  numpy_empty.safetensors     safetensors.numpy.save_file({}) -- a file with no tensors.
None of them carries the Swift library's crc32c checksum metadata: they exercise the "no checksum" path.
Values are documented next to each tensor so the Swift tests can assert them exactly.
"""
import os

import numpy as np
import torch
from safetensors.numpy import save_file as save_numpy
from safetensors.torch import save_file as save_torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "SafeTensorsTests", "Fixtures")


def rnn_tiny():
    # value of element k (row-major) of every tensor is (k - offset) / 8, offset = numel // 2
    def ramp(*shape):
        n = int(np.prod(shape))
        return ((torch.arange(n, dtype=torch.float32) - n // 2) / 8).reshape(*shape)

    model = torch.nn.ModuleDict({
        "encoder": torch.nn.Embedding(5, 3),
        "rnn": torch.nn.LSTM(3, 4, num_layers=1),
        "decoder": torch.nn.Linear(4, 5),
    })
    state = {name: ramp(*t.shape) for name, t in model.state_dict().items()}
    model.load_state_dict(state)  # proves the names/shapes are what PyTorch expects
    save_torch(state, os.path.join(OUT, "torch_rnn_tiny.safetensors"), metadata={"format": "pt"})


def all_dtypes():
    t = {
        "f64": torch.tensor([1.5, -2.25, 1e300], dtype=torch.float64),
        "f32": torch.tensor([[0.5, -1.0], [3.25, 1e-3]], dtype=torch.float32),
        "f16": torch.tensor([1.0, -0.5, 65504.0, 2.0 ** -24], dtype=torch.float16),
        "bf16": torch.tensor([1.0, -3.0, 0.15625], dtype=torch.bfloat16),
        "i64": torch.tensor([-(2 ** 63), -1, 2 ** 63 - 1], dtype=torch.int64),
        "i32": torch.tensor([-(2 ** 31), 7], dtype=torch.int32),
        "i16": torch.tensor([-(2 ** 15), 300], dtype=torch.int16),
        "i8": torch.tensor([-128, 127, 0], dtype=torch.int8),
        "u64": torch.tensor([0, 2 ** 63 - 1], dtype=torch.uint64),
        "u32": torch.tensor([0, 2 ** 31 - 1], dtype=torch.uint32),
        "u16": torch.tensor([0, 2 ** 15 - 1], dtype=torch.uint16),
        "u8": torch.tensor([0, 1, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True], dtype=torch.bool),
        "scalar": torch.tensor(42.0, dtype=torch.float32),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
    }
    save_torch(t, os.path.join(OUT, "torch_all_dtypes.safetensors"))


def empty():
    save_numpy({}, os.path.join(OUT, "numpy_empty.safetensors"))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    rnn_tiny()
    all_dtypes()
    empty()
    for name in sorted(os.listdir(OUT)):
        path = os.path.join(OUT, name)
        with open(path, "rb") as f:
            n = int.from_bytes(f.read(8), "little")
            print(f"{name}: {os.path.getsize(path)} bytes, header {n}: {f.read(n)[:120]!r}")
