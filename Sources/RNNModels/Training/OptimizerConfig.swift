/// Which update rule, and its hyper-parameters, with PyTorch's defaults and equations:
///
/// - `sgd`:     `b = μ·b + g` (first step `b = g`); `p −= lr·b` (Nesterov: `p −= lr·(g + μ·b)`).
/// - `adagrad`: `s += g²`; `p −= lr · g / (√s + ε)` (min-char-rnn's rule; ε = 1e-10 as PyTorch).
/// - `rmsprop`: `v = α·v + (1−α)·g²`; `p −= lr · g / (√v + ε)` (char-rnn uses α = 0.95).
/// - `adam`:    `m = β₁m + (1−β₁)g`, `v = β₂v + (1−β₂)g²`, `p −= lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)`.
/// - `adamw`:   as Adam, after the decoupled decay `p *= 1 − lr·λ`.
///
/// `weightDecay` λ adds `λ·p` to the gradient (L2) for every rule but AdamW.
public struct OptimizerConfig: Sendable, Equatable, Codable {
  public enum Kind: String, Sendable, Equatable, CaseIterable, Codable {
    case sgd, adagrad, rmsprop, adam, adamw
  }

  public var kind: Kind
  public var momentum: Float
  public var nesterov: Bool
  public var alpha: Float
  public var beta1: Float
  public var beta2: Float
  public var epsilon: Float
  public var weightDecay: Float

  public init(
    kind: Kind, momentum: Float = 0, nesterov: Bool = false, alpha: Float = 0.99,
    beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float? = nil, weightDecay: Float? = nil
  ) {
    self.kind = kind
    self.momentum = momentum
    self.nesterov = nesterov
    self.alpha = alpha
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon ?? (kind == .adagrad ? 1e-10 : 1e-8)
    self.weightDecay = weightDecay ?? (kind == .adamw ? 0.01 : 0)
  }

  /// Names of the per-parameter state slots this rule keeps (PyTorch's state names).
  public var slotNames: [String] {
    switch kind {
    case .sgd: momentum != 0 ? ["momentum_buffer"] : []
    case .adagrad: ["sum"]
    case .rmsprop: ["square_avg"]
    case .adam, .adamw: ["exp_avg", "exp_avg_sq"]
    }
  }

  /// Checks ranges; the message names the option and the allowed range.
  public func validate() throws(ModelError) {
    func check(_ ok: Bool, _ message: String) throws(ModelError) {
      if !ok { throw .invalidArgument(message) }
    }
    try check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got \(momentum)")
    try check(alpha > 0 && alpha < 1, "alpha must be in (0, 1), got \(alpha)")
    try check(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got \(beta1)")
    try check(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got \(beta2)")
    try check(epsilon > 0 && epsilon.isFinite, "epsilon must be > 0, got \(epsilon)")
    try check(weightDecay >= 0 && weightDecay.isFinite, "weight decay must be ≥ 0, got \(weightDecay)")
    try check(!nesterov || momentum > 0, "nesterov needs momentum > 0")
  }
}
