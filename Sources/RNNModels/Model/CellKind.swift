/// The recurrent cell of every layer, with PyTorch's equations and gate order.
///
/// - `rnn`:  `h' = tanh(W_ih x + b_ih + W_hh h + b_hh)` (one gate block).
/// - `lstm`: gates in order **i, f, g, o** (4 blocks of H rows in `weight_ih`/`weight_hh`):
///   `i = σ(·)`, `f = σ(·)`, `g = tanh(·)`, `o = σ(·)`, `c' = f ⊙ c + i ⊙ g`, `h' = o ⊙ tanh(c')`.
/// - `gru`:  gates in order **r, z, n** (3 blocks):
///   `r = σ(W_ir x + b_ir + W_hr h + b_hr)`, `z = σ(W_iz x + b_iz + W_hz h + b_hz)`,
///   `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`, `h' = (1 − z) ⊙ n + z ⊙ h`.
public enum CellKind: String, Sendable, Equatable, CaseIterable, Codable {
  case rnn, lstm, gru

  /// G: the number of H-sized gate blocks in `weight_ih` / `weight_hh` (1, 4 or 3).
  public var gateCount: Int {
    switch self {
    case .rnn: 1
    case .lstm: 4
    case .gru: 3
    }
  }

  /// Whether the cell carries a second state vector (the LSTM's cell state c).
  public var hasCellState: Bool { self == .lstm }

  /// The display name used in messages ("LSTM").
  public var displayName: String { rawValue.uppercased() }
}
