extension Parser {
  /// `for …`, `repeat …`, `name = command …` or `command …`.
  mutating func parseStatement() throws(ParseError) -> Statement {
    let first = try peek()
    guard case .identifier(let name) = first.kind else { throw unexpected(first, .statement) }
    switch name {
    case "for": return try parseFor()
    case "repeat": return try parseRepeat()
    default: break
    }
    advance()
    let head = Identifier(name, first.range)
    guard try peek().kind == .equals else {
      let command = try parseCommand(name: head)
      return Statement(.command(command), command.range)
    }
    advance()
    let commandName = try expectIdentifier(.commandName)
    let command = try parseCommand(name: commandName)
    return Statement(.assignment(target: head, command: command), first.range.union(command.range))
  }

  /// The arguments after a command name: expressions up to the end of the statement.
  mutating func parseCommand(name: Identifier) throws(ParseError) -> Command {
    var arguments: [Expression] = []
    var range = name.range
    while try peek().kind.startsExpression {
      let argument = try parseExpression()
      range = range.union(argument.range)
      arguments.append(argument)
    }
    return Command(name: name, arguments: arguments, range: range)
  }

  /// `for variable in iterable { … }`
  mutating func parseFor() throws(ParseError) -> Statement {
    let keyword = try peek()
    advance()
    let variableToken = try peek()
    let variable = try expectIdentifier(.loopVariable)
    let inToken = try peek()
    if variable.name == "in" && inToken.kind != .identifier("in") {
      throw unexpected(variableToken, .loopVariable)  // `for in [1] {…}`: the variable is missing
    }
    guard inToken.kind == .identifier("in") else { throw unexpected(inToken, .keywordIn) }
    advance()
    let iterable = try parseExpression()
    let body = try parseBlock()
    return Statement(
      .forLoop(variable: variable, iterable: iterable, body: body), keyword.range.union(body.range))
  }

  /// `repeat count { … }`
  mutating func parseRepeat() throws(ParseError) -> Statement {
    let keyword = try peek()
    advance()
    let count = try parseExpression()
    let body = try parseBlock()
    return Statement(.repeatLoop(count: count, body: body), keyword.range.union(body.range))
  }

  /// `{ statements }`. An error in a body statement is recorded and parsing resumes at the next body
  /// statement; if any body statement failed, the block throws once it is closed.
  mutating func parseBlock() throws(ParseError) -> Block {
    let brace = try peek()
    guard brace.kind == .leftBrace else { throw unexpected(brace, .blockOpen) }
    advance()
    try push(brace)
    let depth = open.count
    var statements: [Statement] = []
    var failed = false
    while true {
      let token: Token
      do {
        token = try peek()
      } catch {
        record(error)
        failed = true
        recover(toDepth: depth)
        continue
      }
      switch token.kind {
      case .newline, .semicolon:
        advance()
        continue
      case .rightBrace:
        advance()
        open.removeSubrange((depth - 1)...)
        if failed, let last = errors.last { throw last }
        return Block(statements: statements, range: brace.range.union(token.range))
      case .endOfInput:
        // An inner construct already reported the end of input: one error is enough.
        if failed, let last = errors.last, last.isIncompleteInput { throw last }
        open.removeSubrange(depth...)
        throw unexpected(token, .statement)
      default:
        do {
          let statement = try parseStatement()
          try expectStatementEnd(after: statement)
          statements.append(statement)
        } catch {
          record(error)
          failed = true
          recover(toDepth: depth)
        }
      }
    }
  }

  /// After a statement: consumes a separator, or stops before a `}` closing the enclosing block or at
  /// end of input; anything else is an error.
  mutating func expectStatementEnd(after statement: Statement) throws(ParseError) {
    let token = try peek()
    switch token.kind {
    case .newline, .semicolon:
      advance()
    case .endOfInput:
      return
    case .rightBrace where open.last?.isBrace == true:
      return
    default:
      switch statement.kind {
      case .forLoop, .repeatLoop: throw unexpected(token, .endOfStatement)
      default: throw unexpected(token, .argumentOrEnd)
      }
    }
  }

  /// Consumes an identifier or throws, leaving the offending token unconsumed.
  mutating func expectIdentifier(_ expected: Expectation) throws(ParseError) -> Identifier {
    let token = try peek()
    guard case .identifier(let name) = token.kind else { throw unexpected(token, expected) }
    advance()
    return Identifier(name, token.range)
  }
}
