#!/usr/bin/env python3
"""PyTorch side of `rnn`'s checkpoints: rebuild the model from a `.safetensors` checkpoint, evaluate
it, continue training it (also with DistributedDataParallel under torchrun), and write a checkpoint
that `rnn` loads back.

The model is the one `rnn` trains, under the same tensor names:

    encoder  nn.Embedding(V, E)
    rnn      nn.RNN(tanh) / nn.LSTM / nn.GRU (E, H, L, dropout=p between layers), sequence-first
    drop     nn.Dropout(p)                      (no parameters)
    decoder  nn.Linear(H, V)

Checkpoint format (written by `rnn`, see Sources/RNNModels/Checkpoint/ModelCheckpoint.swift): one
safetensors file with the model tensors (`encoder.weight`, `rnn.weight_ih_l{k}`, `rnn.weight_hh_l{k}`,
`rnn.bias_ih_l{k}`, `rnn.bias_hh_l{k}`, `decoder.weight`, `decoder.bias`, F32, PyTorch's shapes and
gate order), optionally `rnn`'s training state under the prefixes `optimizer.` and `state.` (not
part of the model; `train` continues it, see below), and string metadata:

    format          "rnn-playground"
    format_version  "1"
    config          {"cell":"lstm","dropout":0,"embed":64,"hidden":128,"layers":2,"vocab_size":65}
    vocab           JSON array of one-character strings: the corpus's characters, sorted by code
                    point (a model carried to new text appends its new ones); a char model's ids
    tokenizer       word and BPE models: the serialised tokenizer (rnn_tokenizer.py reads it and
                    gives `rnn`'s ids); config.vocab_size is its token count
    crc32c          {"<tensor name>":"<8 lowercase hex digits>", ...}: CRC-32C (Castagnoli) of each
                    tensor's raw bytes, keys sorted, compact JSON; verified on load when present
    training, corpus, step, ...   optional, informative here

Loss: mean cross-entropy per predicted token, in nats. `evaluate` reads a text as ONE stream
from a zero state, carried to the end (chunks of 256 tokens, no resets), predicting tokens 1..N-1
from 0..N-2 -- exactly as `rnn`'s Evaluator does; bits per character as `rnn` prints them (for
word and BPE models the total bits over the text's characters).

Command line (from the repository root; needs `pip install torch safetensors`):

    python3 scripts/python/rnn_torch.py eval  CKPT TEXTFILE
    python3 scripts/python/rnn_torch.py train CKPT TEXTFILE --steps N --batch B --seq T --lr LR --out OUT
    torchrun --nproc_per_node=2 scripts/python/rnn_torch.py train CKPT TEXTFILE ... --out OUT
    python3 scripts/python/rnn_torch.py random --cell gru --hidden 16 --layers 2 --embed 8 --text FILE --out OUT
    python3 scripts/python/rnn_torch.py export CKPT --onnx OUT.onnx

`train` uses char-rnn batching (as scripts/python/torch_shakespeare.py and `rnn`): the first
`--train-fraction` (0.9) of the text is cut into B contiguous streams of S = len // B characters;
a cursor starts at 0, inputs = streams[:, c:c+T], targets = streams[:, c+1:c+T+1], c += T, and
c wraps to 0 when c + T + 1 > S; the hidden state starts at zero and is carried (detached) across
chunks and wraps. Adam (PyTorch defaults, learning rate --lr), global-norm gradient clipping at 5.
Under torchrun each of the W ranks takes its own B/W consecutive streams (B must be divisible by
W); DDP averages the gradients, which equals the gradient of the mean loss over all B*T
predictions, so the run is the same computation as one process with batch B. Rank 0 writes the
output file (atomically), with the training options, corpus fingerprint and tokenizer in its
metadata, and `rnn`'s training state continued: `state.step` advanced by the steps run, the per-step
losses (mean over all streams) appended to `state.train_losses`, the validation loss appended to
`state.validation_losses`, Adam's moments and step under `optimizer.` (started from the
checkpoint's when it was trained with Adam), the final cursor and hidden state, `state.rng` kept.
`rnn` then shows and plots both parts of the run and trains on from there. `--device` (cuda, mps,
cpu; default the best available) runs the same computation on a GPU, equal to the CPU's up to
float32 rounding order.

`export` writes the model as ONNX with PyTorch's exporter, the recurrent state as explicit inputs
and outputs (tokens [T, B] int64, h0 [, c0] [L, B, H] -> logits [T, B, V], hn [, cn]), so a runtime
samples step by step; `config`, `vocab` and `tokenizer` go into the ONNX metadata_props.
"""

import argparse
import json
import math
import os
import struct
import sys
import tempfile
import time
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rnn_tokenizer  # noqa: E402  (beside this file)

FORMAT = "rnn-playground"
FORMAT_VERSION = "1"
CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
TRAINING_PREFIXES = ("optimizer.", "state.")
EVAL_CHUNK = 256


# ----------------------------------------------------------------------------------------------
# CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, init and final xor 0xFFFFFFFF).
# Table-driven in pure Python for short inputs; for long ones the bytes are split into 2^k lanes
# that are advanced together with torch integer ops, and the lane CRCs are combined with the
# "append n zero bytes" operator (a 32x32 matrix over GF(2)) in a binary tree.

_POLY = 0x82F63B78


def _make_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ _POLY if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = _make_table()
_TABLE_T = torch.tensor(_TABLE, dtype=torch.int64)


def _crc_raw_py(data, crc=0):
    """Register update over `data` without init/final xor (linear in the register)."""
    table = _TABLE
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc


def _mat_apply(cols, x):
    """The 32x32 GF(2) matrix with columns `cols` times the 32-bit vector `x`."""
    r = 0
    i = 0
    while x:
        if x & 1:
            r ^= cols[i]
        x >>= 1
        i += 1
    return r


def _mat_mul(a, b):
    return [_mat_apply(a, c) for c in b]


_ZERO_BYTE = [_crc_raw_py(b"\x00", 1 << i) for i in range(32)]  # one zero byte appended


def _zeros_operator(n):
    """Matrix for appending n zero bytes to the register (repeated squaring)."""
    result = [1 << i for i in range(32)]
    power = _ZERO_BYTE
    while n:
        if n & 1:
            result = _mat_mul(power, result)
        n >>= 1
        if n:
            power = _mat_mul(power, power)
    return result


def _apply_vec(cols, x):
    """Matrix times every element of an int64 tensor of 32-bit registers (4 byte tables)."""
    out = torch.zeros_like(x)
    for k in range(4):
        table = [0] * 256
        for bit in range(8):
            col = cols[8 * k + bit]
            step = 1 << bit
            for v in range(step):
                table[v + step] = table[v] ^ col
        out ^= torch.tensor(table, dtype=torch.int64)[(x >> (8 * k)) & 0xFF]
    return out


def crc32c(data):
    """CRC-32C of a bytes-like object (check value: crc32c(b"123456789") == 0xE3069283)."""
    mv = memoryview(data).cast("B")
    n = len(mv)
    if n < 1 << 14:
        return _crc_raw_py(mv, 0xFFFFFFFF) ^ 0xFFFFFFFF
    lanes = 1 << min(14, max(1, (n // 1024).bit_length() - 1))  # power of two, lanes of >= 1 KiB
    length = n // lanes
    body = torch.frombuffer(bytearray(mv[: lanes * length]), dtype=torch.uint8).view(lanes, length)
    body = body.t().contiguous().to(torch.int64)  # [length, lanes]: row j = byte j of every lane
    reg = torch.zeros(lanes, dtype=torch.int64)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # thousands of tiny ops: threading only adds overhead
    try:
        for j in range(length):
            reg = _TABLE_T[(reg ^ body[j]) & 0xFF] ^ (reg >> 8)
    finally:
        torch.set_num_threads(threads)
    op = _zeros_operator(length)  # segments double in length at every level of the tree
    while reg.numel() > 1:  # combine neighbours: crc(A || B) = Z^|B| crc(A) ^ crc(B)
        reg = _apply_vec(op, reg[0::2]) ^ reg[1::2]
        op = _mat_mul(op, op)
    raw = int(reg[0])
    raw = _crc_raw_py(mv[lanes * length:], raw)
    # Initial register 0xFFFFFFFF contributes Z^n(0xFFFFFFFF) by linearity.
    return raw ^ _mat_apply(_zeros_operator(n), 0xFFFFFFFF) ^ 0xFFFFFFFF


def _compact_json(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# ----------------------------------------------------------------------------------------------
# Model


class CharRNN(nn.Module):
    """Embedding(V, E) -> RNN(tanh)/LSTM/GRU(E, H, L, dropout p) -> Dropout(p) -> Linear(H, V)."""

    def __init__(self, cell, vocab_size, embed, hidden, layers, dropout=0.0, tied=False):
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {', '.join(CELLS)}, not {cell!r}")
        self.cell, self.hidden, self.layers = cell, hidden, layers
        self.encoder = nn.Embedding(vocab_size, embed)
        kwargs = {"nonlinearity": "tanh"} if cell == "rnn" else {}
        # Dropout between layers only exists with two or more layers (PyTorch warns otherwise).
        self.rnn = CELLS[cell](embed, hidden, layers, dropout=dropout if layers > 1 else 0.0, **kwargs)
        self.drop = nn.Dropout(dropout)
        self.decoder = nn.Linear(hidden, vocab_size)
        self.tied = bool(tied)
        if self.tied:  # `rnn`'s `tie true` (word_language_model's --tied): one matrix, E = H
            if embed != hidden:
                raise ValueError(f"tied weights need embed == hidden, not {embed} and {hidden}")
            self.decoder.weight = self.encoder.weight

    @property
    def config(self):
        config = {
            "cell": self.cell, "layers": self.layers, "hidden": self.hidden,
            "embed": self.encoder.embedding_dim, "dropout": self.drop.p,
            "vocab_size": self.encoder.num_embeddings,
        }
        if self.tied:
            config["tied"] = True
        return config

    def zero_state(self, batch):
        h = torch.zeros(self.layers, batch, self.hidden, device=self.decoder.weight.device)
        return (h, torch.zeros_like(h)) if self.cell == "lstm" else h

    def forward(self, x, state):
        """x: [T, B] token ids; returns logits [T, B, V] and the final state."""
        out, state = self.rnn(self.encoder(x), state)
        return self.decoder(self.drop(out)), state


def _detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def _unwrap(model):
    return model.module if hasattr(model, "module") else model


# ----------------------------------------------------------------------------------------------
# Checkpoints


class CheckpointError(Exception):
    pass


def _read_header(path):
    """The safetensors header (JSON) and the offset of the data section."""
    with open(path, "rb") as f:
        prefix = f.read(8)
        if len(prefix) < 8:
            raise CheckpointError(f"{path}: too short to be a safetensors file")
        (n,) = struct.unpack("<Q", prefix)
        size = os.fstat(f.fileno()).st_size
        if n > min(size - 8, 100 << 20):
            raise CheckpointError(f"{path}: header length {n} does not fit the file ({size} bytes)")
        return json.loads(f.read(n).decode("utf-8")), 8 + n


def verify_checksums(path, header=None, data_start=None):
    """Checks every tensor's CRC-32C against the `crc32c` metadata. Returns the number checked,
    or None when the file has no `crc32c` entry; raises CheckpointError on any mismatch."""
    if header is None:
        header, data_start = _read_header(path)
    meta = header.get("__metadata__") or {}
    if "crc32c" not in meta:
        return None
    table = json.loads(meta["crc32c"])
    names = [k for k in header if k != "__metadata__"]
    if set(table) != set(names):
        missing = sorted(set(names) - set(table)) + sorted(set(table) - set(names))
        raise CheckpointError(f"{path}: crc32c table does not list exactly the tensors (e.g. {missing[0]!r})")
    with open(path, "rb") as f:
        for name in names:
            begin, end = header[name]["data_offsets"]
            f.seek(data_start + begin)
            data = f.read(end - begin)
            if len(data) != end - begin:
                raise CheckpointError(f"{path}: tensor {name!r} runs past the end of the file")
            got = crc32c(data)
            if got != int(table[name], 16):
                raise CheckpointError(
                    f"{path}: tensor {name!r} fails its checksum (crc32c {got:08x}, expected {table[name]})")
    return len(names)


def load_checkpoint(path, verbose=False):
    """Loads an `rnn` checkpoint (or one written by `save_checkpoint`) into a CharRNN.

    Keeps only the model tensors (drops `optimizer.*` and `state.*`), verifies the `crc32c`
    metadata when present, and calls `load_state_dict(strict=True)`.
    Returns (model, tokenizer, config, metadata): tokenizer the `rnn_tokenizer` tokenizer of the
    ids (metadata `tokenizer` for word and BPE models, else the char tokenizer of `vocab`), config
    the parsed `config` dict (with `vocab_size` filled in), metadata the raw `__metadata__` dict of
    strings (its `vocab` is the corpus's characters, for every kind of tokenizer).
    """
    from safetensors import safe_open

    header, data_start = _read_header(path)
    meta = dict(header.get("__metadata__") or {})
    if meta.get("format", FORMAT) != FORMAT:
        raise CheckpointError(f"{path}: metadata 'format' is {meta['format']!r}, expected {FORMAT!r}")
    if meta.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        raise CheckpointError(f"{path}: format_version {meta['format_version']} is not supported")
    if "config" not in meta or "vocab" not in meta:
        raise CheckpointError(f"{path}: the metadata needs 'config' and 'vocab'")
    config = json.loads(meta["config"])
    vocab = json.loads(meta["vocab"])
    if not all(isinstance(c, str) and len(c) == 1 for c in vocab):
        raise CheckpointError(f"{path}: every 'vocab' entry must be a one-character string")
    try:
        tokenizer = rnn_tokenizer.from_metadata(meta)
    except (rnn_tokenizer.TokenizerError, ValueError) as err:
        raise CheckpointError(f"{path}: metadata 'tokenizer': {err}") from None
    config.setdefault("vocab_size", tokenizer.vocab_size)
    if config["vocab_size"] != tokenizer.vocab_size:
        what = "the tokenizer has" if "tokenizer" in meta else "'vocab' lists"
        raise CheckpointError(f"{path}: config.vocab_size {config['vocab_size']} but {what} {tokenizer.vocab_size}")
    checked = verify_checksums(path, header, data_start)
    if verbose:
        print(f"{path}: " + (f"crc32c verified for {checked} tensors" if checked is not None
                             else "no crc32c metadata (tensor bytes not verified)"), file=sys.stderr)

    model = CharRNN(config["cell"], tokenizer.vocab_size, int(config["embed"]), int(config["hidden"]),
                    int(config["layers"]), float(config.get("dropout", 0.0)), tied=config.get("tied", False))
    tensors, dropped = {}, 0
    with safe_open(path, framework="pt") as f:
        for name in f.keys():
            if name.startswith(TRAINING_PREFIXES):
                dropped += 1
            else:
                tensors[name] = f.get_tensor(name)
    for name, t in tensors.items():
        if t.dtype != torch.float32:
            raise CheckpointError(f"{path}: tensor {name!r} is {t.dtype}, expected float32")
    if model.tied and "decoder.weight" not in tensors and "encoder.weight" in tensors:
        tensors["decoder.weight"] = tensors["encoder.weight"]  # a file with the tied matrix once
    model.load_state_dict(tensors, strict=True)
    if verbose and dropped:
        print(f"{path}: dropped {dropped} training-state tensors (optimizer.*, state.*)", file=sys.stderr)
    return model, tokenizer, config, meta


def load_training_state(path):
    """The `state.*` and `optimizer.*` tensors of a checkpoint, by name (empty when it has none)."""
    from safetensors import safe_open

    with safe_open(path, framework="pt") as f:
        return {name: f.get_tensor(name) for name in f.keys() if name.startswith(TRAINING_PREFIXES)}


def save_checkpoint(model, vocab, path, extra_metadata=None, checksums=True, training_state=None):
    """Writes the model tensors and `format`, `format_version`, `config`, `vocab` (and `crc32c`
    unless checksums=False) with `safetensors.torch.save_file`, atomically (temporary file in the
    same directory, fsync, rename, fsync of the directory). `extra_metadata` adds string entries
    (e.g. `training`, `corpus`, and `tokenizer` for a word or BPE model, whose token count is then
    the model's vocabulary size); it cannot override the reserved keys. `training_state` adds
    `state.*` and `optimizer.*` tensors (see `training_state_tensors`)."""
    from safetensors.torch import save_file

    model = _unwrap(model)
    # A tied model's state_dict lists the one matrix as both encoder.weight and decoder.weight, as
    # `rnn` writes it (so a strict load_state_dict works either way).
    tensors = {k: v.detach().to("cpu", torch.float32).contiguous() for k, v in model.state_dict().items()}
    if model.tied:
        tensors["decoder.weight"] = tensors["decoder.weight"].clone()  # safetensors stores no shared memory
    for name, t in (training_state or {}).items():
        tensors[name] = t.detach().to("cpu").contiguous()
    config = dict(model.config)
    metadata = {k: str(v) for k, v in (extra_metadata or {}).items()}
    if "tokenizer" in metadata:
        size = rnn_tokenizer.read(metadata["tokenizer"]).vocab_size
        if config["vocab_size"] != size:
            raise ValueError(f"the model has {config['vocab_size']} embeddings but the tokenizer {size} tokens")
    elif config["vocab_size"] != len(vocab):
        raise ValueError(f"the model has {config['vocab_size']} embeddings but the vocabulary {len(vocab)} characters")
    if len(set(vocab)) != len(vocab):  # sorted by code point until a model is extended (`train m corpus o`)
        raise ValueError("the vocabulary must list distinct characters")
    metadata.update({"format": FORMAT, "format_version": FORMAT_VERSION,
                     "config": _compact_json(config), "vocab": _compact_json(list(vocab))})
    metadata.pop("crc32c", None)
    if checksums:
        metadata["crc32c"] = _compact_json(
            {k: f"{crc32c(t.view(torch.uint8).numpy().tobytes()):08x}" for k, t in tensors.items()})
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".safetensors", dir=directory)
    os.close(fd)
    try:
        save_file(tensors, tmp, metadata=metadata)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dfd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


# ----------------------------------------------------------------------------------------------
# Text, evaluation, training


def read_text(path):
    """The file as a str of Unicode scalars, bytes exactly as `rnn` reads them (no newline
    translation, no BOM stripping)."""
    with open(path, "rb") as f:
        return f.read().decode("utf-8")


def encode(text, tokenizer, context="the text"):
    """The ids of `text` as a LongTensor, exactly as `rnn` encodes it (char, word or BPE)."""
    try:
        return torch.tensor(tokenizer.encode(text), dtype=torch.long)
    except rnn_tokenizer.TokenizerError as err:
        raise ValueError(f"{context}: {err}") from None


def split_text(text, train_fraction=0.9):
    """(train, validation) texts exactly as `rnn`'s CorpusSplits cuts one file with no test split:
    the first int(f * N) characters train, all the rest validate. A word or BPE corpus encodes each
    split on its own, as `rnn` does."""
    n_train = int(train_fraction * len(text))
    return text[:n_train], text[n_train:]


def fingerprint(data):
    """FNV-1a 64 of bytes: `rnn`'s corpus fingerprint."""
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


@torch.no_grad()
def evaluate(model, tokens, chunk=EVAL_CHUNK):
    """Mean cross-entropy (nats per token) of `model` over the LongTensor `tokens` read as one
    stream from a zero state, predicting tokens 1..N-1 from 0..N-2, as `rnn`'s Evaluator does."""
    model = _unwrap(model)
    device = model.decoder.weight.device
    n = len(tokens) - 1
    if n < 1:
        raise ValueError("the text to evaluate needs at least 2 tokens")
    was_training = model.training
    model.eval()
    state = model.zero_state(1)
    tokens = tokens.to(device)
    total = 0.0
    for start in range(0, n, chunk):
        end = min(start + chunk, n)
        logits, state = model(tokens[start:end].view(-1, 1), state)
        logp = F.log_softmax(logits.view(end - start, -1), dim=-1)
        total -= logp.gather(1, tokens[start + 1:end + 1].view(-1, 1)).double().sum().item()
    model.train(was_training)
    return total / n


def bits_per_char(loss, tokens, characters, tokenizer):
    """`rnn`'s bits per character for a mean loss over tokens 1..N-1 of a text of `characters`
    characters: loss / ln 2 for a char model (per predicted character); for word and BPE models the
    total bits over the characters of the text (so tokenizations compare)."""
    if tokenizer.kind == "char":
        return loss / math.log(2)
    return loss * (tokens - 1) / math.log(2) / max(1, characters)


def _distributed():
    """(rank, world) under torchrun, initialising the process group (NCCL on CUDA, else gloo);
    (0, 1) otherwise."""
    import torch.distributed as dist
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return 0, 1
    if not dist.is_initialized():
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    return dist.get_rank(), dist.get_world_size()


def best_device():
    """cuda when PyTorch sees a GPU, else mps (Apple), else cpu."""
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    return "mps" if mps is not None and mps.is_available() else "cpu"


def _adam_from_checkpoint(opt, model, saved, meta):
    """Restores `rnn`'s Adam moments and step count into the PyTorch Adam `opt` when the checkpoint
    was trained with Adam (same tensor names); returns the optimizer step restored (0 if none)."""
    training = json.loads(meta.get("training", "{}") or "{}")
    if (training.get("optimizer") or {}).get("kind") != "adam" or "optimizer.step" not in saved:
        return 0
    step = int(saved["optimizer.step"].view(-1)[0])
    for name, p in _unwrap(model).named_parameters():
        m, v = saved.get(f"optimizer.exp_avg.{name}"), saved.get(f"optimizer.exp_avg_sq.{name}")
        if m is None or v is None:
            return 0
        opt.state[p] = {"step": torch.tensor(float(step)), "exp_avg": m.to(p.device, torch.float32).clone(),
                        "exp_avg_sq": v.to(p.device, torch.float32).clone()}
    return step


def train(model, tokens, steps, batch, seq, lr, clip=5.0, rank=0, world=1, log_every=0, log=print,
          saved=None, meta=None):
    """Trains `model` in place for `steps` Adam steps on the token tensor with char-rnn batching
    (see the module docstring), on the model's device. With world > 1 the caller has initialised
    torch.distributed; this rank trains streams [rank*B/W, (rank+1)*B/W) through
    DistributedDataParallel. With `saved` (a checkpoint's training tensors) and `meta` an `rnn`
    Adam state continues. Returns a dict: `losses` (this rank's per-step losses), `state` (this
    rank's final hidden state), `cursor`, `wraps` (times the cursor went back to 0), `optimizer`,
    `optimizer_step` (Adam's step count at the end)."""
    if batch % world:
        raise ValueError(f"batch {batch} must be divisible by the number of processes {world}")
    S = len(tokens) // batch
    if S < seq + 1:
        raise ValueError(f"the training text ({len(tokens)} tokens) is too short for batch {batch} "
                         f"and seq {seq}: every stream needs {seq + 1} tokens")
    local = batch // world
    base = _unwrap(model)
    device = base.decoder.weight.device
    streams = tokens[:batch * S].view(batch, S)[rank * local:(rank + 1) * local].to(device)
    net = model
    if world > 1 and not isinstance(model, nn.parallel.DistributedDataParallel):
        net = nn.parallel.DistributedDataParallel(model)
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    first_step = _adam_from_checkpoint(opt, model, saved or {}, meta or {})
    state = base.zero_state(local)
    cursor, losses, wraps = 0, [], 0
    for step in range(1, steps + 1):
        if cursor + seq + 1 > S:
            cursor = 0
            wraps += 1
        x = streams[:, cursor:cursor + seq].t().contiguous()
        y = streams[:, cursor + 1:cursor + seq + 1].t().contiguous()
        cursor += seq
        state = _detach(state)
        logits, state = net(x, state)
        loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()  # DDP all-reduces (averages) the gradients here
        norm = torch.nn.utils.clip_grad_norm_(net.parameters(), clip)
        opt.step()
        losses.append(loss.item())
        if log_every and (step % log_every == 0 or step == steps):
            shown = losses[-1]
            if world > 1:  # every rank logs at the same steps: report the mean over all B streams
                import torch.distributed as dist
                t = torch.tensor([shown], dtype=torch.float64, device=device)
                dist.all_reduce(t)
                shown = t.item() / world
            log(f"step {step:>6}  loss {shown:.4f}  grad_norm {norm.item():.3f}")
    return {"losses": losses, "state": _detach(state), "cursor": cursor, "wraps": wraps, "optimizer": opt,
            "optimizer_step": first_step + steps}


def _training_metadata(batch, seq, lr, clip):
    """`rnn`'s `training` metadata for the options PyTorch trained with (Adam defaults)."""
    return _compact_json({
        "batch": batch, "seq": seq, "lr": lr, "clip": {"mode": "norm", "value": clip},
        "schedule": {"kind": "constant"},
        "optimizer": {"kind": "adam", "momentum": 0, "nesterov": False, "alpha": 0.99, "beta1": 0.9,
                      "beta2": 0.999, "eps": 1e-8, "weight_decay": 0},
    })


def _corpus_metadata(path):
    with open(path, "rb") as f:
        fp = fingerprint(f.read())
    return _compact_json({"path": os.path.abspath(path), "fingerprint": format(fp, "x")})


def _generator_words(seed):
    """Four nonzero U64 words (SplitMix64 of `seed`) for `state.rng` when the checkpoint had none."""
    import numpy as np
    words, x = [], seed & 0xFFFFFFFFFFFFFFFF
    for _ in range(4):
        x = (x + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        words.append((z ^ (z >> 31)) or 1)
    return torch.from_numpy(np.array(words, dtype=np.uint64))


def training_state_tensors(model, saved, run, batch, seq, losses, validation, seed):
    """`rnn`'s training state after a PyTorch run that continued a checkpoint whose training
    tensors are `saved` (maybe empty): the step count and epoch advanced, `losses` (the mean over
    all streams of each step) appended to `state.train_losses`, `validation` (step, nats per token)
    appended to `state.validation_losses` when given, the final cursor and hidden state (all B
    streams), the dropout generator kept, and Adam's moments under `rnn`'s names, so that `show`,
    `plot` and `history` in `rnn` cover both parts of the run and training continues from there."""
    base = _unwrap(model)
    one = lambda name: int(saved[name].view(-1)[0]) if name in saved else 0  # noqa: E731
    step = one("state.step") + len(losses)
    tensors = {
        "state.step": torch.tensor([step], dtype=torch.int64),
        "state.epoch": torch.tensor([one("state.epoch") + run["wraps"]], dtype=torch.int64),
        "state.batch_seq": torch.tensor([batch, seq], dtype=torch.int64),
        "state.cursors": torch.full((batch,), run["cursor"], dtype=torch.int64),
        "state.rng": saved["state.rng"] if "state.rng" in saved else _generator_words(seed),
        "state.train_losses": torch.cat([saved.get("state.train_losses", torch.zeros(0)).float(),
                                         torch.tensor(losses, dtype=torch.float32)]),
        "optimizer.step": torch.tensor([run["optimizer_step"]], dtype=torch.int64),
    }
    state = run["state"]
    names = ("state.hidden.h", "state.hidden.c") if base.cell == "lstm" else ("state.hidden.h",)
    for name, t in zip(names, state if isinstance(state, tuple) else (state,)):
        tensors[name] = t.float()
    previous = saved.get("state.validation_losses", torch.zeros(0, 2, dtype=torch.float64)).double()
    limits = saved.get("state.validation_limits")
    if validation is not None:
        previous = torch.cat([previous, torch.tensor([[float(step), validation]], dtype=torch.float64)])
        if limits is not None:
            limits = torch.cat([limits, torch.zeros(1, dtype=torch.int64)])
    tensors["state.validation_losses"] = previous
    if limits is not None:
        tensors["state.validation_limits"] = limits
    opt = run["optimizer"]
    for name, p in base.named_parameters():
        slot = opt.state.get(p, {})
        tensors[f"optimizer.exp_avg.{name}"] = slot.get("exp_avg", torch.zeros_like(p)).float()
        tensors[f"optimizer.exp_avg_sq.{name}"] = slot.get("exp_avg_sq", torch.zeros_like(p)).float()
    return tensors


# ----------------------------------------------------------------------------------------------
# ONNX export


class StepModel(nn.Module):
    """The model with its recurrent state as explicit inputs and outputs, for ONNX: tokens [T, B]
    (int64), h0 [L, B, H] (and c0 for the LSTM) -> logits [T, B, V], hn (and cn). Sampling feeds
    one token (T = 1) and the returned state back in."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, tokens, h0, c0=None):
        m = self.model
        state = (h0, c0) if m.cell == "lstm" else h0
        out, state = m.rnn(m.encoder(tokens), state)
        logits = m.decoder(out)
        return (logits, *state) if m.cell == "lstm" else (logits, state)


def export_onnx(model, path, meta, opset=17):
    """Writes `model` (eval mode, CPU) as ONNX with PyTorch's exporter: inputs `tokens`, `h0`
    (`c0`), outputs `logits`, `hn` (`cn`), the steps and batch axes dynamic. The checkpoint's
    `config`, `vocab` and `tokenizer` metadata are copied into the ONNX model's metadata_props so a
    runtime can tokenize as `rnn` does. Uses the torch.export-based exporter, or the TorchScript one
    for what that cannot export (the tanh RNN). Returns the input and output names and the exporter."""
    model = _unwrap(model).to("cpu").eval()
    lstm = model.cell == "lstm"
    tokens = torch.zeros(4, 1, dtype=torch.long)
    h0 = torch.zeros(model.layers, 1, model.hidden)
    inputs = ["tokens", "h0"] + (["c0"] if lstm else [])
    outputs = ["logits", "hn"] + (["cn"] if lstm else [])
    axes = {"tokens": {0: "steps", 1: "batch"}, "logits": {0: "steps", 1: "batch"}}
    for name in inputs[1:] + outputs[1:]:
        axes[name] = {1: "batch"}
    args = (tokens, h0, torch.zeros_like(h0)) if lstm else (tokens, h0)
    exporter = "torch.export (dynamo)"
    with torch.no_grad(), warnings.catch_warnings():
        # PyTorch warns that a batch size other than 1 needs h0/c0 as inputs: they are inputs here.
        warnings.filterwarnings("ignore", message=".*batch_size other than 1.*")
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*axis name.*")
        try:
            torch.onnx.export(StepModel(model), args, path, input_names=inputs, output_names=outputs,
                              dynamic_axes=axes, opset_version=opset, dynamo=True, external_data=False)
        except Exception:  # the tanh RNN does not export through torch.export (PyTorch 2.15)
            exporter = "TorchScript"
            torch.onnx.export(StepModel(model), args, path, input_names=inputs, output_names=outputs,
                              dynamic_axes=axes, opset_version=opset, dynamo=False)
    import onnx
    proto = onnx.load(path)
    for key in ("config", "vocab", "tokenizer"):
        if key in meta:
            entry = proto.metadata_props.add()
            entry.key, entry.value = key, meta[key]
    onnx.save(proto, path)
    return inputs, outputs, exporter


# ----------------------------------------------------------------------------------------------
# Command line


def cmd_eval(args):
    torch.set_num_threads(args.threads)
    model, tokenizer, _, _ = load_checkpoint(args.checkpoint, verbose=True)
    model.to(args.device or "cpu")
    text = read_text(args.text)
    tokens = encode(text, tokenizer, context=args.text)
    loss = evaluate(model, tokens)
    unit = "char" if tokenizer.kind == "char" else "token"
    print(f"tokenizer {tokenizer.kind}")
    print(f"loss_nats_per_{unit} {loss!r}")
    print(f"bits_per_char {bits_per_char(loss, len(tokens), len(text), tokenizer)!r}")
    print(f"tokens {len(tokens) - 1}")
    print(f"characters {len(text) - 1 if tokenizer.kind == 'char' else len(text)}")


def _gather_state(state, world):
    """The hidden state of all B streams (rank order) from each rank's B/W."""
    if world == 1:
        return state
    import torch.distributed as dist

    def gather(t):
        parts = [torch.zeros_like(t) for _ in range(world)]
        dist.all_gather(parts, t.contiguous())
        return torch.cat(parts, dim=1)

    return tuple(gather(t) for t in state) if isinstance(state, tuple) else gather(state)


def _mean_over_ranks(values, world, device):
    if world == 1:
        return list(values)
    import torch.distributed as dist
    t = torch.tensor(values, dtype=torch.float64, device=device)
    dist.all_reduce(t)
    return (t / world).tolist()


def _train_and_save(args, model, tokenizer, vocab, rank, world, source_meta=None, saved=None):
    """Trains on the leading `--train-fraction` of the text (each split encoded on its own, as
    `rnn`), evaluates the rest, and (rank 0) writes the checkpoint: the tokenizer kept, and with
    `saved` (the training tensors of the checkpoint continued, or {}) the training state advanced."""
    text = read_text(args.text)
    train_text, val_text = split_text(text, args.train_fraction)
    train_tokens = encode(train_text, tokenizer, context=args.text)
    val_tokens = encode(val_text, tokenizer, context=args.text)
    device = next(_unwrap(model).parameters()).device
    say = (lambda m: print(m, flush=True)) if rank == 0 else (lambda m: None)
    say(f"{args.text}: {len(text)} chars, {tokenizer.kind} tokens: train {len(train_tokens)}, validation "
        f"{len(val_tokens)}; {model.cell} L={model.layers} H={model.hidden}; Adam lr {args.lr}, clip {args.clip}, "
        f"B={args.batch} T={args.seq}, {world} process(es) x {torch.get_num_threads()} thread(s) on {device}")
    t0 = time.perf_counter()
    run = train(model, train_tokens, args.steps, args.batch, args.seq, args.lr, args.clip,
                rank=rank, world=world, log_every=args.log_every, log=say, saved=saved, meta=source_meta)
    elapsed = time.perf_counter() - t0
    losses = _mean_over_ranks(run["losses"], world, device)  # every step's loss over all B streams
    run["state"] = _gather_state(run["state"], world)
    last = losses[-1] if losses else float("nan")
    say(f"trained {args.steps} steps in {elapsed:.2f} s; last loss (all streams) {last:.6f}")
    if rank == 0:
        meta = {}
        if "tokenizer" in (source_meta or {}):
            meta["tokenizer"] = source_meta["tokenizer"]
        meta["training"] = _training_metadata(args.batch, args.seq, args.lr, args.clip)
        meta["corpus"] = _corpus_metadata(args.text)
        meta["trained_with"] = _compact_json({"tool": "scripts/python/rnn_torch.py", "torch": torch.__version__,
                                              "processes": world, "steps": args.steps, "device": str(device)})
        validation = None
        if len(val_tokens) >= 2:
            validation = evaluate(model, val_tokens)
            meta["val_loss"] = repr(validation)
            unit = "char" if tokenizer.kind == "char" else "token"
            say(f"val_loss_nats_per_{unit} {validation!r}")
        state = None
        if saved is not None:
            state = training_state_tensors(model, saved, run, args.batch, args.seq, losses, validation, args.seed)
            say(f"step {int(state['state.step'][0])} (this run {args.steps}); "
                f"{len(state['state.train_losses'])} training losses, "
                f"{len(state['state.validation_losses'])} validation losses in the history")
        save_checkpoint(model, vocab, args.out, extra_metadata=meta, checksums=not args.no_checksum,
                        training_state=state)
        say(f"wrote {args.out}")
    if world > 1:
        import torch.distributed as dist
        dist.barrier()
        dist.destroy_process_group()
        # torch 2.15's gloo backend sometimes aborts a rank at interpreter exit ("terminate called
        # without an active exception") after all work is done and the file is written; leave
        # without running the C++ destructors so a finished run always exits 0.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _setup(args):
    rank, world = _distributed()
    threads = args.threads or max(1, (os.cpu_count() or 1) // world)
    torch.set_num_threads(threads)
    torch.manual_seed(args.seed + rank)  # dropout masks differ per rank; DDP syncs the parameters
    device = args.device or best_device()
    if device == "cuda" and world > 1:
        device = f"cuda:{int(os.environ.get('LOCAL_RANK', rank)) % torch.cuda.device_count()}"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError("--device cuda: PyTorch sees no CUDA GPU")
    if device == "mps" and not best_device() == "mps":
        raise ValueError("--device mps: PyTorch sees no Apple GPU")
    return rank, world, torch.device(device)


def cmd_train(args):
    rank, world, device = _setup(args)
    model, tokenizer, _, meta = load_checkpoint(args.checkpoint, verbose=rank == 0)
    saved = load_training_state(args.checkpoint)
    model.to(device)
    _train_and_save(args, model, tokenizer, json.loads(meta["vocab"]), rank, world, source_meta=meta, saved=saved)


def cmd_random(args):
    rank, world, device = _setup(args)
    text = read_text(args.text)
    vocab = sorted(set(text))
    torch.manual_seed(args.seed)  # the same initial model on every rank
    model = CharRNN(args.cell, len(vocab), args.embed, args.hidden, args.layers, args.dropout).to(device)
    torch.manual_seed(args.seed + rank)
    _train_and_save(args, model, rnn_tokenizer.CharTokenizer(vocab), vocab, rank, world)


def cmd_export(args):
    model, _, config, meta = load_checkpoint(args.checkpoint, verbose=True)
    inputs, outputs, exporter = export_onnx(model, args.onnx, meta, opset=args.opset)
    print(f"wrote {args.onnx}: {config['cell']} L={config['layers']} H={config['hidden']} V={config['vocab_size']}; "
          f"inputs {', '.join(inputs)}; outputs {', '.join(outputs)}; PyTorch's {exporter} exporter")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)

    e = sub.add_parser("eval", help="loss of a checkpoint on a text (nats per token, bits per character)")
    e.add_argument("checkpoint")
    e.add_argument("text")
    e.add_argument("--threads", type=int, default=1)
    e.add_argument("--device", choices=["cuda", "mps", "cpu"], default=None, help="default cpu")
    e.set_defaults(func=cmd_eval)

    def training_options(p, steps):
        p.add_argument("--steps", type=int, default=steps)
        p.add_argument("--batch", type=int, default=32)
        p.add_argument("--seq", type=int, default=64)
        p.add_argument("--lr", type=float, default=2e-3)
        p.add_argument("--clip", type=float, default=5.0)
        p.add_argument("--train-fraction", type=float, default=0.9,
                       help="leading fraction of the text trained on; the rest is validated (as rnn)")
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--threads", type=int, default=0, help="per process; default cores / processes")
        p.add_argument("--device", choices=["cuda", "mps", "cpu"], default=None,
                       help="default: the best available (cuda, then mps, then cpu)")
        p.add_argument("--log-every", type=int, default=0)
        p.add_argument("--no-checksum", action="store_true", help="omit crc32c (as plain save_file would)")
        p.add_argument("--out", required=True)

    t = sub.add_parser("train", help="continue training a checkpoint (torchrun for DDP)")
    t.add_argument("checkpoint")
    t.add_argument("text")
    training_options(t, 1000)
    t.set_defaults(func=cmd_train)

    r = sub.add_parser("random", help="a fresh model over a text's vocabulary, trained a few steps")
    r.add_argument("--cell", choices=sorted(CELLS), default="gru")
    r.add_argument("--hidden", type=int, default=16)
    r.add_argument("--layers", type=int, default=2)
    r.add_argument("--embed", type=int, default=8)
    r.add_argument("--dropout", type=float, default=0.0)
    r.add_argument("--text", required=True)
    training_options(r, 5)
    r.set_defaults(func=cmd_random, batch=4, seq=16)

    x = sub.add_parser("export", help="write a checkpoint as ONNX (recurrent state as inputs/outputs)")
    x.add_argument("checkpoint")
    x.add_argument("--onnx", required=True, help="output .onnx file")
    x.add_argument("--opset", type=int, default=17)
    x.set_defaults(func=cmd_export)

    args = ap.parse_args(argv)
    try:
        args.func(args)
    except (CheckpointError, ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
