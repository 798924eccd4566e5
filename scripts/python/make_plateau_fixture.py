#!/usr/bin/env python3
"""Writes Tests/RNNModelsTests/Fixtures/plateau.json: the learning rates PyTorch's
ReduceLROnPlateau (mode "min", threshold 1e-4 relative, eps 1e-8) gives after each of a hand-made
sequence of validation losses, for a few settings of factor, patience, cooldown and min_lr.
`rnn`'s `schedule plateau` (PlateauState) must give the same rates (PlateauTests).

    python3 scripts/python/make_plateau_fixture.py
"""

import json
import pathlib

import torch

# Falls, a plateau inside the 1e-4 relative threshold, a rise, a new best, a long plateau (so that
# the floor is reached), a tiny improvement below the threshold, then improvements again.
LOSSES = [
    2.0, 1.8, 1.7, 1.69995, 1.7, 1.71, 1.72, 1.65, 1.66, 1.66, 1.66, 1.66, 1.66, 1.66, 1.66, 1.66,
    1.66, 1.66, 1.66, 1.649999, 1.64999, 1.6, 1.61, 1.62, 1.63, 1.64, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5,
]

SETTINGS = [
    {"lr": 0.002, "factor": 0.5, "patience": 3, "cooldown": 0, "floor": 0.01},
    {"lr": 0.002, "factor": 0.1, "patience": 10, "cooldown": 0, "floor": 0.0},
    {"lr": 0.01, "factor": 0.5, "patience": 1, "cooldown": 2, "floor": 0.1},
    {"lr": 0.1, "factor": 0.3, "patience": 0, "cooldown": 0, "floor": 0.05},
]


def rates(setting):
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=setting["lr"])
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
        optimizer, mode="min", factor=setting["factor"], patience=setting["patience"],
        threshold=1e-4, threshold_mode="rel", cooldown=setting["cooldown"],
        min_lr=setting["lr"] * setting["floor"], eps=1e-8)
    out = []
    for loss in LOSSES:
        scheduler.step(loss)
        out.append(optimizer.param_groups[0]["lr"])
    return out


def main():
    cases = [dict(setting, rates=rates(setting)) for setting in SETTINGS]
    fixture = {"torch_version": torch.__version__, "losses": LOSSES, "cases": cases}
    path = pathlib.Path(__file__).resolve().parents[2] / "Tests/RNNModelsTests/Fixtures/plateau.json"
    path.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
