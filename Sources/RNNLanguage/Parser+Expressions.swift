extension Parser {
  /// A literal, a name or a list. The offending token is left unconsumed on error.
  mutating func parseExpression() throws(ParseError) -> Expression {
    let token = try peek()
    let kind: Expression.Kind
    switch token.kind {
    case .number(let number): kind = .number(number)
    case .duration(let duration): kind = .duration(duration)
    case .string(let string): kind = .string(string)
    case .bool(let bool): kind = .bool(bool)
    case .identifier(let name): kind = .identifier(name)
    case .leftBracket:
      advance()
      return try parseList(opener: token)
    default:
      throw unexpected(token, .expression)
    }
    advance()
    return Expression(kind, token.range)
  }

  /// The rest of a list after its `[`: elements separated by commas, newlines allowed anywhere
  /// between them, an optional trailing comma.
  mutating func parseList(opener: Token) throws(ParseError) -> Expression {
    try push(opener)
    var elements: [Expression] = []
    while true {
      try skipNewlines()
      let token = try peek()
      if token.kind == .rightBracket {
        advance()
        open.removeLast()
        return Expression(.list(elements), opener.range.union(token.range))
      }
      elements.append(try parseExpression())
      try skipNewlines()
      let separator = try peek()
      switch separator.kind {
      case .comma: advance()
      case .rightBracket: continue
      default: throw unexpected(separator, .listSeparator)
      }
    }
  }
}
