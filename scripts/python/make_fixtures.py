#!/usr/bin/env python3
"""Generate the PyTorch reference fixtures that the Swift tests compare against.

What it writes (all into Tests/RNNModelsTests/Fixtures/):
  parity_rnn.json, parity_lstm.json, parity_gru.json
      A tiny Embedding -> nn.RNN(tanh)/nn.LSTM/nn.GRU -> Linear model (V=7, E=5, H=6, L=2, B=3,
      T=4, float32, sequence-first inputs [T, B]): its parameters, a random initial state, three
      chunks of a char-rnn style token stream, the loss/logits/gradients/final state of chunk 0,
      and a three-step truncated-BPTT Adam run (clip_grad_norm_ 1.0, state detached between
      chunks) with the losses, the global gradient norms before clipping, the final parameters,
      the final state and the logits of chunk 0 re-evaluated from h0 with the final parameters.
  optimizers.json
      One parameter vector and six gradient vectors fed (via p.grad) to SGD (plain, momentum,
      Nesterov), Adagrad, RMSprop (two alphas), Adam, Adam with L2 weight decay and AdamW, with the
      parameters after every step; clip_grad_norm_/clip_grad_value_ results; and the learning
      rate at steps 0..29 of StepLR, ExponentialLR and a warm-up + cosine LambdaLR (the lambda is
      spelled out in the JSON).

Every float is a float32 value written as repr(float(x)), which round-trips exactly.
Layouts: tensors flat row-major; logits row t*B + b; hidden states [L, B, H].

Run from the repository root:
    python3 scripts/python/make_fixtures.py
Needs `pip install torch` (PyTorch is used only to generate fixtures and by the benchmark peer;
the Swift tests never need it). The outputs are committed, so this only has to be re-run when the
fixtures must change. The output is deterministic (seeded) on a given PyTorch version.
"""

import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

V, E, H, L, B, T = 7, 5, 6, 2, 3, 4
N_CHUNKS = 3
# Per cell, chosen so that clipping triggers in some Adam steps and not in others.
DECODER_SCALE = {"rnn": 3.0, "lstm": 6.0, "gru": 2.8}
ADAM = dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, clip_norm=1.0)

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "RNNModelsTests", "Fixtures")


def flat(t):
    """A tensor as a flat list of exactly representable float32 numbers."""
    t = t.detach().to(torch.float32).contiguous().view(-1)
    return [float(x) for x in t.tolist()]


class CharModel(nn.Module):
    """Embedding(V, E) -> RNN/LSTM/GRU(E, H, L) -> Linear(H, V), sequence-first."""

    def __init__(self, cell, vocab, embed, hidden, layers):
        super().__init__()
        self.cell = cell
        self.encoder = nn.Embedding(vocab, embed)
        rnn_class = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
        kwargs = dict(nonlinearity="tanh") if cell == "rnn" else {}
        self.rnn = rnn_class(embed, hidden, layers, dropout=0.0, **kwargs)
        self.decoder = nn.Linear(hidden, vocab)

    def forward(self, x, state):
        # x: [T, B] int64 -> logits [T*B, V], row t*B + b
        out, state = self.rnn(self.encoder(x), state)
        return self.decoder(out.reshape(-1, out.shape[-1])), state


def detach_state(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def split_state(state):
    return (state[0], state[1]) if isinstance(state, tuple) else (state, None)


def make_parity(cell, seed):
    torch.manual_seed(seed)
    model = CharModel(cell, V, E, H, L)
    # Default init (uniform +-1/sqrt(H)) already gives every bias random non-zero values. The decoder
    # is drawn wider than its default so that logits are peaked and the gradient norm exceeds the clip
    # threshold (1.0) in at least one Adam step (checked in main()).
    with torch.no_grad():
        model.decoder.weight.mul_(DECODER_SCALE[cell])
        model.decoder.bias.mul_(DECODER_SCALE[cell])
    h0 = torch.randn(L, B, H) * 0.5
    c0 = torch.randn(L, B, H) * 0.5 if cell == "lstm" else None
    state0 = (h0, c0) if cell == "lstm" else h0

    # char-rnn style data: B contiguous streams; chunk k = streams[:, kT : kT+T], targets shifted by one.
    streams = torch.randint(0, V, (B, N_CHUNKS * T + 1))
    chunks = []
    for k in range(N_CHUNKS):
        x = streams[:, k * T:(k + 1) * T].t().contiguous()          # [T, B]
        y = streams[:, k * T + 1:(k + 1) * T + 1].t().contiguous()  # [T, B]
        chunks.append((x, y))

    names = [n for n, _ in model.named_parameters()]
    fixture = {
        "cell": cell, "vocab_size": V, "embed": E, "hidden": H, "layers": L, "batch": B, "seq": T,
        "params": {n: {"shape": list(p.shape), "data": flat(p)} for n, p in model.named_parameters()},
        "h0": flat(h0),
    }
    if c0 is not None:
        fixture["c0"] = flat(c0)
    fixture["chunks"] = [{"inputs": x.reshape(-1).tolist(), "targets": y.reshape(-1).tolist()} for x, y in chunks]

    params = list(model.parameters())
    opt = torch.optim.Adam(params, lr=ADAM["lr"], betas=(ADAM["beta1"], ADAM["beta2"]), eps=ADAM["eps"])
    state = state0
    losses, norms = [], []
    for k, (x, y) in enumerate(chunks):
        logits, state = model(x, state)
        loss = F.cross_entropy(logits, y.view(-1))
        loss.backward()
        if k == 0:
            h, c = split_state(state)
            fixture["loss"] = float(loss.item())
            fixture["logits"] = flat(logits)
            fixture["grads"] = {n: flat(p.grad) for n, p in model.named_parameters()}
            fixture["hT"] = flat(h)
            if c is not None:
                fixture["cT"] = flat(c)
        total = torch.nn.utils.clip_grad_norm_(params, ADAM["clip_norm"])
        losses.append(float(loss.item()))
        norms.append(float(total.item()))
        opt.step()
        opt.zero_grad()
        state = detach_state(state)

    h, c = split_state(state)
    with torch.no_grad():
        logits_after, _ = model(chunks[0][0], state0)
    adam = dict(ADAM)
    adam.update({
        "losses": losses,
        "grad_norms": norms,  # global L2 norm before clipping, per step (clipping happens when > clip_norm)
        "params_after": {n: flat(p) for n, p in model.named_parameters()},
        "hT_after": flat(h),
    })
    if c is not None:
        adam["cT_after"] = flat(c)
    adam["logits_after"] = flat(logits_after)
    fixture["adam"] = adam
    assert list(fixture["params"]) == names
    return fixture, norms


def run_optimizer(name, cls, options, p0, grads):
    p = nn.Parameter(p0.clone())
    opt = cls([p], **options)
    after = []
    for g in grads:
        p.grad = g.clone()
        opt.step()
        after.append(flat(p))
    return {"name": name, "optimizer": cls.__name__, "options": options, "after": after}


def lr_trace(make_scheduler, steps=30, base_lr=0.1):
    p = nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=base_lr)
    sched = make_scheduler(opt)
    lrs = []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return lrs


def make_optimizers(seed=1234):
    torch.manual_seed(seed)
    n = 20
    p0 = torch.randn(n)
    grads = [torch.randn(n) * (0.5 + 0.5 * k) for k in range(6)]
    runs = [
        run_optimizer("sgd", torch.optim.SGD, {"lr": 0.1}, p0, grads),
        run_optimizer("sgd_momentum", torch.optim.SGD, {"lr": 0.1, "momentum": 0.9}, p0, grads),
        run_optimizer("sgd_nesterov", torch.optim.SGD, {"lr": 0.1, "momentum": 0.9, "nesterov": True}, p0, grads),
        run_optimizer("adagrad", torch.optim.Adagrad,
                      {"lr": 0.1, "lr_decay": 0.0, "weight_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10},
                      p0, grads),
        run_optimizer("rmsprop_alpha0.99", torch.optim.RMSprop, {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}, p0, grads),
        run_optimizer("rmsprop_alpha0.95", torch.optim.RMSprop, {"lr": 0.01, "alpha": 0.95, "eps": 1e-8}, p0, grads),
        run_optimizer("adam", torch.optim.Adam, {"lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8}, p0, grads),
        run_optimizer("adam_weight_decay", torch.optim.Adam,
                      {"lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.1}, p0, grads),
        run_optimizer("adamw", torch.optim.AdamW,
                      {"lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.1}, p0, grads),
    ]

    # Clipping (a single tensor; the norm is the global L2 norm over all gradients).
    g = torch.randn(n) * 0.3
    gn = nn.Parameter(torch.zeros(n)); gn.grad = g.clone()
    total = torch.nn.utils.clip_grad_norm_([gn], 0.5)
    gv = nn.Parameter(torch.zeros(n)); gv.grad = g.clone()
    torch.nn.utils.clip_grad_value_([gv], 0.05)
    assert float(total) > 0.5, "clip fixture must actually clip"
    clip = {
        "grads": flat(g), "max_norm": 0.5,
        "norm_formula": "total = sqrt(sum g^2); coef = min(1, max_norm / (total + 1e-6)); g *= coef",
        "after_norm_clip": flat(gn.grad), "total_norm": float(total.item()),
        "clip_value": 0.05, "after_value_clip": flat(gv.grad),
    }

    warmup, total_steps = 5, 30

    def warmup_cosine(s):
        if s < warmup:
            return s / warmup
        return 0.5 * (1.0 + math.cos(math.pi * (s - warmup) / (total_steps - warmup)))

    schedules = {
        "base_lr": 0.1, "steps": 30,
        "note": "lr[s] is the learning rate used by optimizer step s (s = 0..29); scheduler.step() after each step",
        "step_lr": {"step_size": 5, "gamma": 0.5, "formula": "base_lr * gamma ** (s // step_size)",
                    "lr": lr_trace(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=5, gamma=0.5))},
        "exponential_lr": {"gamma": 0.9, "formula": "base_lr * gamma ** s",
                           "lr": lr_trace(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9))},
        "warmup_cosine": {"warmup": warmup, "total": total_steps,
                          "lambda": "s < warmup ? s / warmup : 0.5 * (1 + cos(pi * (s - warmup) / (total - warmup)))",
                          "formula": "base_lr * lambda(s)",
                          "lr": lr_trace(lambda o: torch.optim.lr_scheduler.LambdaLR(o, warmup_cosine))},
    }
    return {"p0": flat(p0), "grads": [flat(g_) for g_ in grads], "runs": runs, "clip": clip, "schedules": schedules}


def write(name, obj):
    path = os.path.normpath(os.path.join(OUT_DIR, name))
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def main():
    torch.set_default_dtype(torch.float32)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT_DIR, exist_ok=True)
    for cell, seed in (("rnn", 1), ("lstm", 2), ("gru", 3)):
        fixture, norms = make_parity(cell, seed)
        clipped = [x > ADAM["clip_norm"] for x in norms]
        print(f"{cell}: losses {['%.6f' % x for x in fixture['adam']['losses']]} "
              f"grad norms before clip {['%.4f' % x for x in norms]} (clip triggers: {clipped})")
        if not any(clipped):
            sys.exit(f"{cell}: clipping never triggered; choose another seed")
        write(f"parity_{cell}.json", fixture)
    write("optimizers.json", make_optimizers())


if __name__ == "__main__":
    main()
