#!/usr/bin/env python3
"""
Minimal character-level vanilla RNN model -- the numpy baseline for `rnn`'s benchmarks.

The algorithm is Andrej Karpathy's min-char-rnn.py (https://gist.github.com/karpathy/d4dee566867f8291f086),
"Minimal character-level Vanilla RNN model. Written by Andrej Karpathy (@karpathy)", BSD License.
This is a rewrite of it for Python 3 with the same model, initialisation, loss, backward pass,
element-wise gradient clipping at 5, Adagrad update and data sweep; the only additions are command-line
options (a text file, a number of iterations, how often to sample, a seed) and a characters-per-second
report.

Model: one-hot x (V) -> h = tanh(Wxh x + Whh h + bh) (H = 100) -> y = Why h + by, softmax; loss is the
sum of cross-entropies over seq_length = 25 steps; Adagrad with learning rate 0.1
(param -= lr * dparam / sqrt(mem + 1e-8)); the hidden state is carried from chunk to chunk and reset when
the data pointer wraps to the start of the file.

Run from the repository root:
    python3 scripts/python/min_char_rnn.py --file ../shared/corpora/tinyshakespeare.txt --iters 2000
Prints the smoothed loss and a 200-character sample every --sample-every iterations (100 as in the
original; 0 turns it off), then training characters per second (seq_length * iterations / seconds spent
in lossFun and the update, sampling excluded). Needs only numpy (no torch). Timings are wall-clock and
noisy on a shared machine.
"""

import argparse
import time

import numpy as np

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--file", default="input.txt", help="plain text file to train on")
ap.add_argument("--iters", type=int, default=0, help="iterations to run (0 = forever, as the original)")
ap.add_argument("--sample-every", type=int, default=100, help="sample 200 chars every N iterations (0 = never)")
ap.add_argument("--seed", type=int, default=None, help="numpy random seed (the original does not seed)")
args = ap.parse_args()
if args.seed is not None:
    np.random.seed(args.seed)

# data I/O
data = open(args.file, "r", encoding="utf-8").read()  # should be simple plain text file
chars = list(set(data))
data_size, vocab_size = len(data), len(chars)
print("data has %d characters, %d unique." % (data_size, vocab_size))
char_to_ix = {ch: i for i, ch in enumerate(chars)}
ix_to_char = {i: ch for i, ch in enumerate(chars)}

# hyperparameters
hidden_size = 100  # size of hidden layer of neurons
seq_length = 25  # number of steps to unroll the RNN for
learning_rate = 1e-1

# model parameters
Wxh = np.random.randn(hidden_size, vocab_size) * 0.01  # input to hidden
Whh = np.random.randn(hidden_size, hidden_size) * 0.01  # hidden to hidden
Why = np.random.randn(vocab_size, hidden_size) * 0.01  # hidden to output
bh = np.zeros((hidden_size, 1))  # hidden bias
by = np.zeros((vocab_size, 1))  # output bias


def lossFun(inputs, targets, hprev):
    """
    inputs,targets are both list of integers.
    hprev is Hx1 array of initial hidden state
    returns the loss, gradients on model parameters, and last hidden state
    """
    xs, hs, ys, ps = {}, {}, {}, {}
    hs[-1] = np.copy(hprev)
    loss = 0
    # forward pass
    for t in range(len(inputs)):
        xs[t] = np.zeros((vocab_size, 1))  # encode in 1-of-k representation
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(np.dot(Wxh, xs[t]) + np.dot(Whh, hs[t - 1]) + bh)  # hidden state
        ys[t] = np.dot(Why, hs[t]) + by  # unnormalized log probabilities for next chars
        ps[t] = np.exp(ys[t]) / np.sum(np.exp(ys[t]))  # probabilities for next chars
        loss += -np.log(ps[t][targets[t], 0])  # softmax (cross-entropy loss)
    # backward pass: compute gradients going backwards
    dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1  # backprop into y
        dWhy += np.dot(dy, hs[t].T)
        dby += dy
        dh = np.dot(Why.T, dy) + dhnext  # backprop into h
        dhraw = (1 - hs[t] * hs[t]) * dh  # backprop through tanh nonlinearity
        dbh += dhraw
        dWxh += np.dot(dhraw, xs[t].T)
        dWhh += np.dot(dhraw, hs[t - 1].T)
        dhnext = np.dot(Whh.T, dhraw)
    for dparam in [dWxh, dWhh, dWhy, dbh, dby]:
        np.clip(dparam, -5, 5, out=dparam)  # clip to mitigate exploding gradients
    return loss, dWxh, dWhh, dWhy, dbh, dby, hs[len(inputs) - 1]


def sample(h, seed_ix, n):
    """
    sample a sequence of integers from the model
    h is memory state, seed_ix is seed letter for first time step
    """
    x = np.zeros((vocab_size, 1))
    x[seed_ix] = 1
    ixes = []
    for t in range(n):
        h = np.tanh(np.dot(Wxh, x) + np.dot(Whh, h) + bh)
        y = np.dot(Why, h) + by
        p = np.exp(y) / np.sum(np.exp(y))
        ix = np.random.choice(range(vocab_size), p=p.ravel())
        x = np.zeros((vocab_size, 1))
        x[ix] = 1
        ixes.append(ix)
    return ixes


n, p = 0, 0
mWxh, mWhh, mWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
mbh, mby = np.zeros_like(bh), np.zeros_like(by)  # memory variables for Adagrad
smooth_loss = -np.log(1.0 / vocab_size) * seq_length  # loss at iteration 0
train_seconds = 0.0
wall_start = time.perf_counter()
while args.iters == 0 or n < args.iters:
    # prepare inputs (we're sweeping from left to right in steps seq_length long)
    if p + seq_length + 1 >= len(data) or n == 0:
        hprev = np.zeros((hidden_size, 1))  # reset RNN memory
        p = 0  # go from start of data
    inputs = [char_to_ix[ch] for ch in data[p:p + seq_length]]
    targets = [char_to_ix[ch] for ch in data[p + 1:p + seq_length + 1]]

    # sample from the model now and then
    if args.sample_every and n % args.sample_every == 0:
        sample_ix = sample(hprev, inputs[0], 200)
        txt = "".join(ix_to_char[ix] for ix in sample_ix)
        print("----\n %s \n----" % (txt,))

    t0 = time.perf_counter()
    # forward seq_length characters through the net and fetch gradient
    loss, dWxh, dWhh, dWhy, dbh, dby, hprev = lossFun(inputs, targets, hprev)
    smooth_loss = smooth_loss * 0.999 + loss * 0.001

    # perform parameter update with Adagrad
    for param, dparam, mem in zip([Wxh, Whh, Why, bh, by],
                                  [dWxh, dWhh, dWhy, dbh, dby],
                                  [mWxh, mWhh, mWhy, mbh, mby]):
        mem += dparam * dparam
        param += -learning_rate * dparam / np.sqrt(mem + 1e-8)  # adagrad update
    train_seconds += time.perf_counter() - t0
    if args.sample_every and n % args.sample_every == 0:
        print("iter %d, loss: %f" % (n, smooth_loss))  # print progress

    p += seq_length  # move data pointer
    n += 1  # iteration counter

wall = time.perf_counter() - wall_start
print("iterations %d, smoothed loss %.4f (nats per %d chars; %.4f per char)" % (n, smooth_loss, seq_length,
                                                                                 smooth_loss / seq_length))
print("training: %.0f chars/s (%d chars in %.2f s, sampling excluded; wall %.2f s)"
      % (n * seq_length / train_seconds, n * seq_length, train_seconds, wall))
