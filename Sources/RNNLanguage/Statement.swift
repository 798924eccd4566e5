/// `name arg arg …` — a command invocation with its flat argument list.
///
/// The parser does not know which identifiers are option names; the interpreter pairs
/// `option value` using its command table.
public struct Command: Sendable, Hashable {
  /// The command name (`train`, `sample`, `set`, …).
  public var name: Identifier
  /// The arguments, in source order.
  public var arguments: [Expression]
  /// From the name through the last argument.
  public var range: SourceRange

  /// Creates a command.
  public init(name: Identifier, arguments: [Expression], range: SourceRange) {
    self.name = name
    self.arguments = arguments
    self.range = range
  }
}

/// `{ statement; statement … }` — the body of a `for` or `repeat`.
public struct Block: Sendable, Hashable {
  /// The statements, in order.
  public var statements: [Statement]
  /// From `{` through `}`.
  public var range: SourceRange

  /// Creates a block.
  public init(statements: [Statement], range: SourceRange) {
    self.statements = statements
    self.range = range
  }
}

/// One statement of the command language.
public struct Statement: Sendable, Hashable {
  /// The kinds of statement.
  public enum Kind: Sendable, Hashable {
    /// `name arg arg …`
    case command(Command)
    /// `target = command …` binds the command's result in the session.
    case assignment(target: Identifier, command: Command)
    /// `for variable in iterable { … }`; the iterable is any expression (a list, a name).
    case forLoop(variable: Identifier, iterable: Expression, body: Block)
    /// `repeat count { … }`; the count is any expression.
    case repeatLoop(count: Expression, body: Block)
  }

  /// What it is.
  public var kind: Kind
  /// From its first token through its last (a block's `}`), separators excluded.
  public var range: SourceRange

  /// Creates a statement.
  public init(_ kind: Kind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}
