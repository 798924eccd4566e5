/// Runs `body(i)` for every `i` in `0..<n`, possibly at the same time on several threads (each call
/// touches only what part `i` owns), and returns when all have. This module has no threads of its
/// own: a caller that has them (the corpus loader, through `Parallel`) passes its fork–join here.
public typealias PartRunner = (_ n: Int, _ body: (Int) -> Void) -> Void

/// The `PartRunner` of one thread: `body(0)`, `body(1)`, … in order.
public func runInOrder(_ n: Int, _ body: (Int) -> Void) {
  for i in 0..<n { body(i) }
}
