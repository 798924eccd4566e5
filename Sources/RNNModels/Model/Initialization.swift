import NumericCore

/// PyTorch's default initialisation, drawn from the project's seeded generator (the values differ
/// from PyTorch's own generator, the distributions are the same):
/// - `encoder.weight` ~ N(0, 1) (`nn.Embedding`);
/// - every recurrent weight and bias ~ U(−1/√H, 1/√H) (`nn.RNN/LSTM/GRU.reset_parameters`);
/// - `decoder.weight`, `decoder.bias` ~ U(−1/√H, 1/√H) (`nn.Linear`: kaiming-uniform with a = √5
///   gives the bound 1/√fan_in; the bias bound is 1/√fan_in too).
/// Entries are filled in layout order, so a seed always gives the same model. Tied weights
/// (`ModelConfig.tied`) are initialised as the decoder's, U(−1/√H, 1/√H): an N(0, 1) output layer
/// would make the first logits about √H times too large (word_language_model's `init_weights`
/// gives its tied weight U(−0.1, 0.1) for the same reason).
public enum Initialization {
  public static func pytorchDefault(
    config: ModelConfig, layout: ParameterLayout, into parameters: UnsafeMutablePointer<Float>,
    rng: inout RandomGenerator
  ) {
    let bound = 1 / Float(config.hidden).squareRoot()
    for entry in layout.entries {
      let p = parameters + entry.offset
      if entry.name == "encoder.weight" && !config.tied {
        for i in 0..<entry.count { p[i] = rng.nextNormal() }
      } else {
        for i in 0..<entry.count { p[i] = rng.uniform(-bound, bound) }
      }
    }
  }
}
