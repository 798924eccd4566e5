#!/usr/bin/env bash
# Training speed of the lecture's other forms, rnn beside PyTorch in the same run, alternating:
#   generator  LSTM H=128, E=32, the 10 labels' one-hot concatenated to every input, words of
#              corpora/words-by-language.tsv, Adam lr 3e-3, clip 5;
#   tagger     GRU H=64, E=32, Linear(64, 2) at every step, property quotes of
#              corpora/linux-kernel-c.txt, batch 16 chunks of 100 characters, Adam lr 3e-3, clip 5.
# The generator is measured two ways, each rnn beside the same computation in PyTorch:
#   padded batch  B words side by side, padded to the longest + 1, the padding masked out of the
#                 loss (the mean over the batch's real characters: rnn's `fit g … batch B`, PyTorch's
#                 cross_entropy(…, ignore_index=-100));
#   word at a time  one word per update from a zero state (rnn's `batch 1`), B·steps updates.
# rnn's figure is what `fit` prints (training only, after building); PyTorch's is timed after 5
# warm-up updates. Reports training examples/s and characters/s (predicted characters: word + end,
# or chunk), and rnn's lead over PyTorch (the ratio of characters/s; medians of the rounds).
# Usage: bash scripts/bench-forms.sh [rounds] [steps] [threads] [batch]
#        (default 3 rounds, 200 steps, 2 threads, batch 32)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"; steps="${2:-200}"; threads="${3:-2}"; batch="${4:-32}"
swift build -c release --product rnn >&2
RNN=.build/release/rnn ROUNDS="$rounds" STEPS="$steps" THREADS="$threads" BATCH="$batch" python3 - <<'PY'
import os, re, subprocess, time, statistics
import torch, torch.nn as nn, torch.nn.functional as F

rounds, steps, threads = int(os.environ["ROUNDS"]), int(os.environ["STEPS"]), int(os.environ["THREADS"])
B = int(os.environ["BATCH"])
torch.set_num_threads(threads)
torch.manual_seed(1)

def rnn_fit(build, batch=16, updates=steps):
    out = subprocess.run([os.environ["RNN"], "-e", build, "-e", f"fit m steps {updates} batch {batch} lr 0.003 every {updates}"],
                         capture_output=True, text=True, check=True).stdout
    m = re.search(r"([\d,]+) examples, ([\d,]+) characters in ([\d.]+) s", out)
    n, c, s = int(m.group(1).replace(",", "")), int(m.group(2).replace(",", "")), float(m.group(3))
    return n / s, c / s

# --- the generator in PyTorch
pairs = [l.rstrip("\n").split("\t", 1) for l in open("corpora/words-by-language.tsv", encoding="utf-8") if "\t" in l]
labels = sorted({p[0] for p in pairs}); chars = sorted(set("".join(p[1] for p in pairs)) | {"\n"})
idx = {c: i for i, c in enumerate(chars)}; V, C = len(chars), len(labels)
words = [([idx[c] for c in w], labels.index(l)) for l, w in pairs]

class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder, self.rnn, self.decoder = nn.Embedding(V, 32), nn.LSTM(32 + C, 128), nn.Linear(128, V)
    def loss(self, batch, padded):
        seqs = [([0] + w, w + [0], l) for w, l in batch]     # token 0 is "\n", the boundary
        if not padded:
            total = 0
            for x, y, l in seqs:
                x = torch.tensor(x).view(-1, 1); onehot = F.one_hot(torch.full((len(y), 1), l), C).float()
                out, _ = self.rnn(torch.cat([self.encoder(x), onehot], 2))
                total = total + F.cross_entropy(self.decoder(out.view(-1, 128)), torch.tensor(y))
            return total / len(seqs)
        T = max(len(x) for x, _, _ in seqs)
        x = torch.tensor([s[0] + [0] * (T - len(s[0])) for s in seqs]).t()
        y = torch.tensor([s[1] + [-100] * (T - len(s[1])) for s in seqs]).t()
        onehot = F.one_hot(torch.tensor([s[2] for s in seqs]), C).float().expand(T, -1, -1)
        out, _ = self.rnn(torch.cat([self.encoder(x), onehot], 2))
        return F.cross_entropy(self.decoder(out.reshape(-1, 128)), y.reshape(-1), ignore_index=-100)

def torch_generator(padded):
    """B words per update, padded; or one word per update, B·steps of them."""
    model = Generator(); opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    size, updates = (B, steps) if padded else (1, B * steps)
    n = c = 0
    for k in range(updates + 5):
        if k == 5: start = time.perf_counter()
        batch = [words[(k * size + i) % len(words)] for i in range(size)]
        loss = model.loss(batch, padded); opt.zero_grad(); loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5); opt.step()
        if k >= 5: n += size; c += sum(len(w) + 1 for w, _ in batch)
    s = time.perf_counter() - start
    return n / s, c / s

# --- the tagger in PyTorch
text = open("corpora/linux-kernel-c.txt", encoding="utf-8").read()
tvocab = {c: i for i, c in enumerate(sorted(set(text)))}
def quotes(chunk):
    inside, out = False, []
    for ch in chunk:
        if ch == '"': inside = not inside
        out.append(1 if inside else 0)
    return out
chunks = [text[i:i + 100] for i in range(0, len(text) * 9 // 10 - 100, 100)]
data = [([tvocab[c] for c in ch], quotes(ch)) for ch in chunks]

def torch_tagger():
    enc, rnn, head = nn.Embedding(len(tvocab), 32), nn.GRU(32, 64), nn.Linear(64, 2)
    params = [*enc.parameters(), *rnn.parameters(), *head.parameters()]
    opt = torch.optim.Adam(params, lr=3e-3)
    for k in range(steps + 5):
        if k == 5: start = time.perf_counter()
        batch = [data[(k * 16 + i) % len(data)] for i in range(16)]
        x = torch.tensor([b[0] for b in batch]).t(); y = torch.tensor([b[1] for b in batch]).t()
        out, _ = rnn(enc(x))
        loss = F.cross_entropy(head(out.reshape(-1, 64)), y.reshape(-1))
        opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(params, 5); opt.step()
    s = time.perf_counter() - start
    return 16 * steps / s, 1600 * steps / s

padded, single = f"generator (batch {B}, padded)", "generator (word at a time)"
runs = {k: [] for k in [f"rnn {padded}", f"torch {padded}", f"rnn {single}", f"torch {single}", "rnn tagger", "torch tagger"]}
build = 'm = generator "corpora/words-by-language.tsv" cell lstm hidden 128 embed 32'
for r in range(rounds):
    runs[f"rnn {padded}"].append(rnn_fit(build, batch=B))
    runs[f"torch {padded}"].append(torch_generator(True))
    runs[f"rnn {single}"].append(rnn_fit(build, batch=1, updates=B * steps))
    runs[f"torch {single}"].append(torch_generator(False))
    runs["rnn tagger"].append(rnn_fit('c = corpus "corpora/linux-kernel-c.txt"\nm = tagger c property quotes cell gru hidden 64 embed 32 length 100'))
    runs["torch tagger"].append(torch_tagger())
    print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1][1]:,.0f}" for k, v in runs.items()) + " chars/s", flush=True)
print(f"{rounds} rounds of {steps} updates (word at a time: {B * steps}), {threads} threads, PyTorch {torch.__version__}; median of rounds")
print(f"{'':40} {'examples/s':>11} {'chars/s':>10}")
for k, v in runs.items():
    print(f"{k:40} {statistics.median(e for e, _ in v):11,.0f} {statistics.median(c for _, c in v):10,.0f}")
for k in runs:
    if k.startswith("torch"):
        rnn = statistics.median(c for _, c in runs["rnn" + k[len("torch"):]])
        print(f"rnn / {k}: {rnn / statistics.median(c for _, c in runs[k]):.2f}x")
PY
