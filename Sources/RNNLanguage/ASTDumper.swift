/// Prints statements as an indented tree with `line:col-line:col` ranges (end exclusive). The output
/// is the golden test for the parser, so it is stable and shows every node and range:
///
/// ```
/// Assignment m @2:1-2:31
/// ├─ Target m @2:1-2:2
/// └─ Command lstm @2:5-2:31
///    ├─ Identifier shakes @2:10-2:16
///    ├─ Identifier hidden @2:17-2:23
///    └─ Number 128 @2:24-2:27
/// ```
public struct ASTDumper: Sendable {
  private let converter: SourceLocationConverter

  /// Creates a dumper for trees parsed from `file`.
  public init(file: SourceFile) {
    converter = SourceLocationConverter(file: file)
  }

  /// The dump of several statements, one tree after another; every line ends with `\n`.
  public func dump(_ statements: [Statement]) -> String {
    statements.map(dump).joined()
  }

  /// The dump of one statement.
  public func dump(_ statement: Statement) -> String {
    var out = ""
    write(node(statement), prefix: "", childPrefix: "", to: &out)
    return out
  }

  /// The dump of one expression.
  public func dump(_ expression: Expression) -> String {
    var out = ""
    write(node(expression), prefix: "", childPrefix: "", to: &out)
    return out
  }

  /// A label and its children; built first, then written with tree glyphs.
  private struct Node {
    var label: String
    var children: [Node] = []
  }

  private func at(_ range: SourceRange) -> String { "@" + converter.describe(range) }

  private func node(_ statement: Statement) -> Node {
    switch statement.kind {
    case .command(let command):
      return node(command)
    case .assignment(let target, let command):
      return Node(
        label: "Assignment \(target.name) \(at(statement.range))",
        children: [Node(label: "Target \(target.name) \(at(target.range))"), node(command)])
    case .forLoop(let variable, let iterable, let body):
      return Node(
        label: "For \(variable.name) \(at(statement.range))",
        children: [
          Node(label: "Variable \(variable.name) \(at(variable.range))"), node(iterable),
          node(body),
        ])
    case .repeatLoop(let count, let body):
      return Node(label: "Repeat \(at(statement.range))", children: [node(count), node(body)])
    }
  }

  private func node(_ command: Command) -> Node {
    Node(
      label: "Command \(command.name.name) \(at(command.range))",
      children: command.arguments.map(node))
  }

  private func node(_ block: Block) -> Node {
    Node(label: "Block \(at(block.range))", children: block.statements.map(node))
  }

  private func node(_ expression: Expression) -> Node {
    let range = at(expression.range)
    switch expression.kind {
    case .number(let n): return Node(label: "Number \(n.text) = \(n.value) \(range)")
    case .duration(let d): return Node(label: "Duration \(d.text) = \(d.seconds)s \(range)")
    case .string(let s): return Node(label: "String \(s.debugDescription) \(range)")
    case .bool(let b): return Node(label: "Bool \(b) \(range)")
    case .identifier(let name): return Node(label: "Identifier \(name) \(range)")
    case .list(let elements):
      return Node(label: "List[\(elements.count)] \(range)", children: elements.map(node))
    }
  }

  private func write(_ node: Node, prefix: String, childPrefix: String, to out: inout String) {
    out += prefix + node.label + "\n"
    for (i, child) in node.children.enumerated() {
      let last = i == node.children.count - 1
      write(
        child, prefix: childPrefix + (last ? "└─ " : "├─ "),
        childPrefix: childPrefix + (last ? "   " : "│  "), to: &out)
    }
  }
}
