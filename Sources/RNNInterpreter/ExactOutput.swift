import Foundation

/// With `RNN_EXACT_OUTPUT=1` in the environment, `eval` and `predict` also print their numbers at
/// full precision, one JSON object on a line after a key (`eval_exact {…}`, `predict_exact {…}`),
/// for tools that check another implementation against `rnn` (the PyTorch and ONNX round trips of
/// scripts/python). Off by default: the usual output is unchanged.
enum ExactOutput {
  static let enabled = ProcessInfo.processInfo.environment["RNN_EXACT_OUTPUT"] == "1"

  /// A JSON number: the shortest decimal that reads back as `x`, or null when not finite.
  static func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

  /// `probabilities` (rows of `columns`) as a JSON array of arrays of numbers.
  static func rows(_ probabilities: [Float], columns: Int) -> String {
    let rows = stride(from: 0, to: probabilities.count, by: columns).map { start in
      "[" + probabilities[start..<start + columns].map { number(Double($0)) }.joined(separator: ",") + "]"
    }
    return "[" + rows.joined(separator: ",") + "]"
  }
}
