import ArgumentParser
import RNNModels

/// One benchmark configuration: cell, H, L, B, T (E and V are shared), written `lstm:256:2:32:64`.
struct BenchConfiguration: Equatable, ExpressibleByArgument, CustomStringConvertible {
  var cell: CellKind
  var hidden: Int
  var layers: Int
  var batch: Int
  var seq: Int

  init(_ cell: CellKind, _ hidden: Int, _ layers: Int, _ batch: Int, _ seq: Int) {
    self.cell = cell
    self.hidden = hidden
    self.layers = layers
    self.batch = batch
    self.seq = seq
  }

  init?(argument: String) {
    let parts = argument.split(separator: ":").map(String.init)
    guard parts.count == 5, let cell = CellKind(rawValue: parts[0].lowercased()),
      let h = Int(parts[1]), let l = Int(parts[2]), let b = Int(parts[3]), let t = Int(parts[4]),
      h > 0, l > 0, b > 0, t > 0
    else { return nil }
    self.init(cell, h, l, b, t)
  }

  var description: String { "\(cell.rawValue):\(hidden):\(layers):\(batch):\(seq)" }

  /// The configurations the engine issue names.
  static let standard: [BenchConfiguration] = [
    .init(.lstm, 128, 1, 32, 64), .init(.lstm, 256, 2, 32, 64), .init(.lstm, 512, 2, 64, 64),
    .init(.gru, 256, 2, 32, 64), .init(.rnn, 256, 2, 32, 64),
  ]
}
