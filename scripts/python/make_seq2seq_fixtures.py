#!/usr/bin/env python3
"""Generate the PyTorch reference fixtures for the sequence-to-sequence model (Seq2SeqModel).

What it writes: Tests/RNNModelsTests/Fixtures/seq2seq_parity.json, one entry per cell (rnn, lstm,
gru) with and without attention ("gru", "gru_attention", ...). Each holds a tiny encoder-decoder
(Vs=7 source characters, Vt=6 target tokens = 5 characters + the start/end marker 0, E=5, H=6,
L=2), its parameters under the names the Swift checkpoint uses, one batch of B=3 pairs whose
sources share a length (Ts=4) and whose targets have different lengths (padded, masked with -1),
the batch's decoder inputs and targets, the mean masked cross-entropy, every parameter's gradient,
and three Adam steps on that batch (clip_grad_norm_ 0.4 over all parameters) with the losses,
the gradient norms before clipping and the parameters after.

The model (sequence-first, [T, B]):
    S, state = encoder.rnn(encoder.embedding(src))
    Q, _     = decoder.rnn(decoder.embedding(dec_in), state)
    attention (Luong, general score, no input feeding):
        K = attention.score(S); alpha = softmax_s(Q . K); C = alpha S
        Q~ = tanh(attention.combine(cat([C, Q])))
    logits = decoder.out(Q~ or Q)
    loss = cross_entropy(logits, targets, ignore_index=-1)   (mean over the unmasked tokens)

Every float is written as repr(float(x)) of a float32 value. Run from the repository root:
    python3 scripts/python/make_seq2seq_fixtures.py
Deterministic (seeded) on a given PyTorch version; the outputs are committed.
"""

import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

VS, VT, E, H, L = 7, 6, 5, 6, 2
SOURCES = [[1, 4, 0, 6], [3, 3, 2, 5], [6, 0, 1, 2]]
TARGETS = [[2, 5, 1], [4], [3, 3]]  # target tokens 1..VT-1, without the marker
ADAM = dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, clip_norm=0.4, steps=3)  # clipping triggers in some steps, not all

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "RNNModelsTests", "Fixtures",
                   "seq2seq_parity.json")


def flat(t):
    return [float(x) for x in t.detach().to(torch.float32).contiguous().view(-1).tolist()]


from seq2seq_torch import Seq2Seq  # noqa: E402  (the module shared with the benchmark)


def batch():
    """Time-major tensors exactly as Seq2SeqBatch builds them."""
    B, T = len(SOURCES), max(len(t) for t in TARGETS) + 1
    src = torch.tensor(SOURCES, dtype=torch.long).t().contiguous()
    dec_in = torch.zeros(T, B, dtype=torch.long)
    tgt = torch.full((T, B), -1, dtype=torch.long)
    for b, t in enumerate(TARGETS):
        for i, tok in enumerate(t):
            dec_in[i + 1, b] = tok
            tgt[i, b] = tok
        tgt[len(t), b] = 0
    return src, dec_in, tgt


def make(cell, attention, seed):
    torch.manual_seed(seed)
    model = Seq2Seq(cell, VS, VT, E, H, L, attention)
    with torch.no_grad():  # larger output weights so that the gradients are not tiny
        model.decoder.out.weight.mul_(3.0)
    src, dec_in, tgt = batch()
    params = {k: flat(v) for k, v in model.state_dict().items()}
    loss = F.cross_entropy(model(src, dec_in), tgt.view(-1), ignore_index=-1)
    model.zero_grad()
    loss.backward()
    grads = {k: flat(p.grad) for k, p in model.named_parameters()}
    opt = torch.optim.Adam(model.parameters(), lr=ADAM["lr"], betas=(ADAM["beta1"], ADAM["beta2"]), eps=ADAM["eps"])
    losses, norms = [], []
    for _ in range(ADAM["steps"]):
        opt.zero_grad()
        step_loss = F.cross_entropy(model(src, dec_in), tgt.view(-1), ignore_index=-1)
        step_loss.backward()
        norms.append(float(torch.nn.utils.clip_grad_norm_(model.parameters(), ADAM["clip_norm"])))
        losses.append(float(step_loss.detach()))
        opt.step()
    return {
        "cell": cell, "attention": attention, "sizes": dict(source_vocab=VS, target_tokens=VT, embed=E, hidden=H, layers=L),
        "sources": SOURCES, "targets": TARGETS,
        "decoder_inputs": dec_in.view(-1).tolist(), "target_tokens": tgt.view(-1).tolist(),
        "params": params, "loss": float(loss.detach()), "grads": grads,
        "adam": dict(ADAM, losses=losses, grad_norms=norms,
                     params_after={k: flat(v) for k, v in model.state_dict().items()}),
    }


def main():
    torch.set_default_dtype(torch.float32)
    out = {}
    for i, cell in enumerate(["rnn", "lstm", "gru"]):
        for attention in (False, True):
            out[cell + ("_attention" if attention else "")] = make(cell, attention, 100 + 2 * i + int(attention))
    with open(OUT, "w") as f:
        json.dump(out, f)
        f.write("\n")
    print("wrote", os.path.normpath(OUT), "torch", torch.__version__)


if __name__ == "__main__":
    main()
