#!/usr/bin/env python3
"""PyTorch reference fixtures for the one-to-many generator and the per-step tagger.

What it writes (into Tests/RNNModelsTests/Fixtures/):
  forms_generator_{rnn,lstm,gru}.json
      PyTorch's "generate names by language" network: Embedding(V, E) whose output is concatenated
      with the label's one-hot vector (C labels) at every step -> nn.RNN/LSTM/GRU(E + C, H, L) ->
      Linear(H, V), V = 7 with token 0 the word boundary, E = 5, H = 6, C = 3, L = 2. Three words
      of different lengths and labels, each read from a zero state with input [0, w...] and target
      [w..., 0]; the loss of a word is its mean cross-entropy per predicted character, a batch's
      the mean over its words. Stored: the parameters (PyTorch names; rnn.weight_ih_l0 is
      [G*H, E + C], the label columns last), each word's loss, the batch loss and every gradient
      of it, and two Adam steps (lr 0.01, clip_grad_norm_ 1.0) with their losses, gradient norms
      before clipping, and the parameters after. Under "padded", the same words as one mini-batch
      side by side (sequence-first [T, B], rows t*B + b), padded to the longest + 1 with the
      boundary as input and ignore_index as target: the loss is the mean cross-entropy over all
      the batch's predicted characters (the padding masked); every gradient of it from the same
      parameters, and three Adam steps as above on the first batch, the second, and a third of two
      short words (T*B below V, so rnn's layer 0 multiplies rows instead of using its token table).
  forms_tagger_{rnn,lstm,gru}.json
      Embedding(V, E) -> nn.RNN/LSTM/GRU(E, H, L) -> Linear(H, K) at every step, K = 3 tags, B = 3
      chunks of T = 4 characters side by side (sequence-first [T, B], rows t*B + b), zero initial
      state; the loss is the mean cross-entropy over the T*B characters. Stored: the parameters
      (head.weight, head.bias for the Linear), the inputs and tags, the loss, the logits, every
      gradient, and two Adam steps as above on two batches.

Every float is a float32 value written as repr(float(x)), which round-trips exactly.

Run from the repository root:
    python3 scripts/python/make_forms_fixtures.py
The outputs are committed; the Swift tests (FormParityTests) never need PyTorch.
"""

import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

V, E, H, L, C, K, B, T = 7, 5, 6, 2, 3, 3, 3, 4
ADAM = dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, clip_norm=1.0)
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "RNNModelsTests", "Fixtures")
RNN = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def flat(t):
    t = t.detach().to(torch.float32).contiguous().view(-1)
    return [float(x) for x in t.tolist()]


def recurrent(cell, inputs, hidden, layers):
    kwargs = dict(nonlinearity="tanh") if cell == "rnn" else {}
    return RNN[cell](inputs, hidden, layers, **kwargs)


class Generator(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.encoder = nn.Embedding(V, E)
        self.rnn = recurrent(cell, E + C, H, L)
        self.decoder = nn.Linear(H, V)

    def word_loss(self, word, label):
        x = torch.tensor([0] + word).view(-1, 1)            # [T, 1]
        y = torch.tensor(word + [0])
        onehot = torch.zeros(len(word) + 1, 1, C)
        onehot[:, :, label] = 1
        out, _ = self.rnn(torch.cat([self.encoder(x), onehot], dim=2))
        return F.cross_entropy(self.decoder(out.view(-1, H)), y)

    def padded_loss(self, words):
        T = max(len(w) for w, _ in words) + 1
        x = torch.tensor([[0] + w + [0] * (T - 1 - len(w)) for w, _ in words]).t()       # [T, B]
        y = torch.tensor([w + [0] + [-100] * (T - 1 - len(w)) for w, _ in words]).t()
        onehot = F.one_hot(torch.tensor([l for _, l in words]), C).float().expand(T, -1, -1)
        out, _ = self.rnn(torch.cat([self.encoder(x), onehot], dim=2))
        return F.cross_entropy(self.decoder(out.reshape(-1, H)), y.reshape(-1), ignore_index=-100)


class Tagger(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.encoder = nn.Embedding(V, E)
        self.rnn = recurrent(cell, E, H, L)
        self.head = nn.Linear(H, K)

    def forward(self, x):                                    # x: [T, B]
        out, _ = self.rnn(self.encoder(x))
        return self.head(out.reshape(-1, H))


def adam_run(model, batches, loss_of):
    params = list(model.parameters())
    opt = torch.optim.Adam(params, lr=ADAM["lr"], betas=(ADAM["beta1"], ADAM["beta2"]), eps=ADAM["eps"])
    losses, norms = [], []
    for batch in batches:
        loss = loss_of(batch)
        loss.backward()
        norms.append(float(torch.nn.utils.clip_grad_norm_(params, ADAM["clip_norm"]).item()))
        losses.append(float(loss.item()))
        opt.step()
        opt.zero_grad()
    result = dict(ADAM)
    result.update(losses=losses, grad_norms=norms, params_after={n: flat(p) for n, p in model.named_parameters()})
    return result


def make_generator(cell, seed):
    torch.manual_seed(seed)
    model = Generator(cell)
    with torch.no_grad():
        model.decoder.weight.mul_(3.0)
    words = [([3, 1, 4, 1, 5], 0), ([2, 6], 2), ([5, 3, 2, 6, 4, 4, 1], 1)]
    second = [([1, 1, 2], 1), ([6, 5, 4, 3], 0), ([4], 2)]
    params = {n: {"shape": list(p.shape), "data": flat(p)} for n, p in model.named_parameters()}
    initial = {n: p.detach().clone() for n, p in model.state_dict().items()}
    word_losses = [float(model.word_loss(w, l).item()) for w, l in words]
    loss = sum(model.word_loss(w, l) for w, l in words) / len(words)
    loss.backward()
    grads = {n: flat(p.grad) for n, p in model.named_parameters()}
    model.zero_grad()
    adam = adam_run(model, [words, second], lambda ws: sum(model.word_loss(w, l) for w, l in ws) / len(ws))
    return {
        "cell": cell, "vocab_size": V, "embed": E, "hidden": H, "layers": L, "labels": C, "boundary": 0,
        "params": params, "words": [w for w, _ in words], "word_labels": [l for _, l in words],
        "second_words": [w for w, _ in second], "second_labels": [l for _, l in second],
        "word_losses": word_losses, "loss": float(loss.item()), "grads": grads, "adam": adam,
        "padded": make_padded(model, initial, words, second),
    }


def make_padded(model, initial, words, second):
    model.load_state_dict(initial)
    model.zero_grad()
    third = [([3], 0), ([5, 2], 1)]
    loss = model.padded_loss(words)
    loss.backward()
    grads = {n: flat(p.grad) for n, p in model.named_parameters()}
    model.zero_grad()
    adam = adam_run(model, [words, second, third], model.padded_loss)
    return {
        "third_words": [w for w, _ in third], "third_labels": [l for _, l in third],
        "loss": float(loss.item()), "grads": grads, "adam": adam,
    }


def make_tagger(cell, seed):
    torch.manual_seed(seed)
    model = Tagger(cell)
    with torch.no_grad():
        model.head.weight.mul_(3.0)
    batches = [(torch.randint(0, V, (T, B)), torch.randint(0, K, (T, B))) for _ in range(2)]
    params = {n: {"shape": list(p.shape), "data": flat(p)} for n, p in model.named_parameters()}
    x, y = batches[0]
    logits = model(x)
    loss = F.cross_entropy(logits, y.reshape(-1))
    loss.backward()
    grads = {n: flat(p.grad) for n, p in model.named_parameters()}
    model.zero_grad()
    adam = adam_run(model, batches, lambda b: F.cross_entropy(model(b[0]), b[1].reshape(-1)))
    return {
        "cell": cell, "vocab_size": V, "embed": E, "hidden": H, "layers": L, "tags": K, "batch": B, "seq": T,
        "params": params, "inputs": [b[0].reshape(-1).tolist() for b in batches],
        "targets": [b[1].reshape(-1).tolist() for b in batches],
        "loss": float(loss.item()), "logits": flat(logits), "grads": grads, "adam": adam,
    }


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
    for cell, seed in (("rnn", 11), ("lstm", 12), ("gru", 13)):
        g = make_generator(cell, seed)
        print(f"generator {cell}: loss {g['loss']:.6f}, Adam grad norms {['%.4f' % x for x in g['adam']['grad_norms']]}")
        write(f"forms_generator_{cell}.json", g)
        t = make_tagger(cell, seed)
        print(f"tagger {cell}: loss {t['loss']:.6f}, Adam grad norms {['%.4f' % x for x in t['adam']['grad_norms']]}")
        write(f"forms_tagger_{cell}.json", t)


if __name__ == "__main__":
    main()
