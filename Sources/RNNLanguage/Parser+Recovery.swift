extension Parser {
  /// Skips to the next statement boundary at nesting `depth` (0 at top level, a block's depth inside
  /// it): past a newline or `;` with no extra `[`/`{` open, or up to (not past) a `}` closing the
  /// enclosing block, or to end of input. Brackets are counted iteratively, so any nesting is safe.
  /// Lexical errors met on the way are recorded too: they are independent of the syntax error.
  mutating func recover(toDepth depth: Int) {
    while true {
      let token: Token
      do {
        token = try peek()
      } catch {
        record(error)
        continue
      }
      switch token.kind {
      case .endOfInput:
        return
      case .newline, .semicolon:
        advance()
        if open.count <= depth { return }
      case .leftBracket, .leftBrace:
        advance()
        open.append(OpenDelimiter(isBrace: token.kind == .leftBrace, range: token.range))
      case .rightBracket:
        advance()
        if open.count > depth, open.last?.isBrace == false { open.removeLast() }
      case .rightBrace:
        if open.count <= depth {
          // Inside a block this `}` closes it: leave it for the block. At top level it is stray.
          if depth > 0 { return }
          advance()
          continue
        }
        advance()
        while open.count > depth, let popped = open.popLast(), !popped.isBrace {}
      default:
        advance()
      }
    }
  }
}
