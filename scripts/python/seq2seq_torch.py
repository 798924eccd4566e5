"""The PyTorch twin of `rnn`'s Seq2SeqModel (Sources/RNNModels/Forms): embedding, encoder RNN,
decoder RNN started from the encoder's last state, optional Luong "general" attention without
input feeding, output layer. Tensor names match `rnn`'s seq2seq checkpoints. Used by
make_seq2seq_fixtures.py (the parity fixtures) and bench_seq2seq.py (the peer in the benchmark)."""

import torch
import torch.nn as nn


class Seq2Seq(nn.Module):
    """src `[S, B]`, dec_in `[T, B]` token ids → logits `[T·B, vt]`."""

    def __init__(self, cell, vs, vt, embed, hidden, layers, attention):
        super().__init__()
        rnn = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.encoder = nn.Module()
        self.encoder.embedding = nn.Embedding(vs, embed)
        self.encoder.rnn = rnn(embed, hidden, layers)
        self.decoder = nn.Module()
        self.decoder.embedding = nn.Embedding(vt, embed)
        self.decoder.rnn = rnn(embed, hidden, layers)
        self.decoder.out = nn.Linear(hidden, vt)
        self.use_attention = attention
        if attention:
            self.attention = nn.Module()
            self.attention.score = nn.Linear(hidden, hidden, bias=False)
            self.attention.combine = nn.Linear(2 * hidden, hidden, bias=False)

    def forward(self, src, dec_in):
        S, state = self.encoder.rnn(self.encoder.embedding(src))
        Q, _ = self.decoder.rnn(self.decoder.embedding(dec_in), state)
        if self.use_attention:
            K = self.attention.score(S)
            alpha = torch.softmax(torch.einsum("tbh,sbh->bts", Q, K), dim=-1)
            C = torch.einsum("bts,sbh->tbh", alpha, S)
            Q = torch.tanh(self.attention.combine(torch.cat([C, Q], dim=-1)))
        return self.decoder.out(Q).reshape(-1, self.decoder.out.out_features)
