#!/usr/bin/env python3
"""Loads an `rnn` checkpoint of a tied model (`lstm … tie true`) into PyTorch's
word_language_model `RNNModel` built with `--tied` (`self.decoder.weight = self.encoder.weight`),
with `load_state_dict(strict=True)`, and prints as JSON the loss and the gradients of one chunk:
the tokens in TOKENS.json ([inputs..., last target]) read as one stream from a zero state. The
Swift test `TiedTorchTests` compares them with its own forward and backward.

    python3 scripts/python/tied_torch_check.py CHECKPOINT.safetensors TOKENS.json
"""

import json
import sys

import torch
import torch.nn as nn
from safetensors import safe_open
from safetensors.torch import load_file


class RNNModel(nn.Module):
    """word_language_model's RNNModel without dropout: Embedding -> RNN -> Linear, tied."""

    def __init__(self, cell, ntoken, ninp, nhid, nlayers):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        kind = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[cell]
        self.rnn = kind(ninp, nhid, nlayers)
        self.decoder = nn.Linear(nhid, ntoken)
        if nhid != ninp:
            raise ValueError("When using the tied flag, nhid must be equal to emsize")
        self.decoder.weight = self.encoder.weight


def main():
    checkpoint, tokens_path = sys.argv[1], sys.argv[2]
    with safe_open(checkpoint, "pt") as f:
        config = json.loads(f.metadata()["config"])
    assert config.get("tied") is True, "the checkpoint is not of a tied model"
    tensors = {k: v for k, v in load_file(checkpoint).items() if not k.startswith(("optimizer.", "state."))}
    model = RNNModel(config["cell"], config["vocab_size"], config["embed"], config["hidden"], config["layers"])
    model.load_state_dict(tensors, strict=True)
    assert model.decoder.weight is model.encoder.weight
    tokens = torch.tensor(json.load(open(tokens_path)), dtype=torch.long)
    inputs, targets = tokens[:-1].view(-1, 1), tokens[1:]
    output, _ = model.rnn(model.encoder(inputs))
    logits = model.decoder(output).view(-1, config["vocab_size"])
    loss = nn.functional.cross_entropy(logits, targets)
    loss.backward()
    grads = {name: p.grad.flatten().tolist() for name, p in model.named_parameters()}
    print(json.dumps({"loss": loss.item(), "parameters": len(grads), "grads": grads}))


if __name__ == "__main__":
    main()
