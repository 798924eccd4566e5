import ArgumentParser
import RNNModels

/// One benchmark configuration: cell, H, L, B, T (E and V are shared), written `lstm:256:2:32:64`,
/// trained with Adam (lr 2e-3, global-norm clip 5); with a sixth field `adagrad`
/// (`rnn:100:1:1:25:adagrad`), min-char-rnn's Adagrad (lr 0.1, element-wise clip 5) instead.
struct BenchConfiguration: Equatable, ExpressibleByArgument, CustomStringConvertible {
  var cell: CellKind
  var hidden: Int
  var layers: Int
  var batch: Int
  var seq: Int
  var adagrad = false

  init(_ cell: CellKind, _ hidden: Int, _ layers: Int, _ batch: Int, _ seq: Int, adagrad: Bool = false) {
    self.cell = cell
    self.hidden = hidden
    self.layers = layers
    self.batch = batch
    self.seq = seq
    self.adagrad = adagrad
  }

  init?(argument: String) {
    let parts = argument.split(separator: ":").map(String.init)
    guard parts.count == 5 || (parts.count == 6 && ["adam", "adagrad"].contains(parts[5].lowercased())),
      let cell = CellKind(rawValue: parts[0].lowercased()),
      let h = Int(parts[1]), let l = Int(parts[2]), let b = Int(parts[3]), let t = Int(parts[4]),
      h > 0, l > 0, b > 0, t > 0
    else { return nil }
    self.init(cell, h, l, b, t, adagrad: parts.count == 6 && parts[5].lowercased() == "adagrad")
  }

  var description: String { "\(cell.rawValue):\(hidden):\(layers):\(batch):\(seq)" + (adagrad ? ":adagrad" : "") }

  /// How this configuration trains.
  var trainingOptions: TrainingOptions {
    adagrad
      ? TrainingOptions(
        batch: batch, seq: seq, learningRate: 0.1, optimizer: OptimizerConfig(kind: .adagrad), clipping: .value(5))
      : TrainingOptions(batch: batch, seq: seq, learningRate: 2e-3)
  }

  /// The configurations the performance issue names: four sizes, each for LSTM, GRU and RNN.
  static let standard: [BenchConfiguration] = [(128, 1, 32, 64), (256, 2, 32, 64), (512, 2, 64, 64), (1024, 1, 64, 100)]
    .flatMap { h, l, b, t in [CellKind.lstm, .gru, .rnn].map { BenchConfiguration($0, h, l, b, t) } }

  /// min-char-rnn's own setting: vanilla RNN, H=100, one stream, T=25, Adagrad.
  static let minCharRNN = BenchConfiguration(.rnn, 100, 1, 1, 25, adagrad: true)
}
