import Foundation
import RNNInterpreter

/// A name in the session, as completion sees it.
public struct CompletionName: Sendable, Equatable {
  /// What a name refers to.
  public enum Kind: Sendable, Equatable { case corpus, model, form, other }

  /// The name.
  public var name: String
  /// What it refers to.
  public var kind: Kind

  /// Creates a name.
  public init(_ name: String, _ kind: Kind) {
    self.name = name
    self.kind = kind
  }

  /// The names in `session`, in binding order.
  public static func all(in session: Session) -> [CompletionName] {
    session.names.map { name in
      if session.corpus(name) != nil { return CompletionName(name, .corpus) }
      if session.model(name) != nil { return CompletionName(name, .model) }
      if ["generator", "tagger"].contains(session[name]?.kindName) { return CompletionName(name, .form) }
      return CompletionName(name, .other)
    }
  }
}

/// Tab completion, driven by ``CommandTable``: command names at the start of a statement, the
/// options of the command being typed (not yet given), the values an option accepts (choices,
/// `true`/`false`, names of session objects of the right kind), session names for positionals,
/// and file paths inside an open string. Pure: readline is only the caller.
public struct Completer: Sendable {
  /// Words of the language that start statements but are not commands.
  static let keywords = ["for", "repeat"]

  /// The session's names.
  public var names: [CompletionName]
  /// Lists a directory: entry names and whether each is a directory (`nil` when unreadable).
  public var listDirectory: @Sendable (String) -> [(name: String, isDirectory: Bool)]?

  /// Creates a completer; directories are listed from the real file system by default.
  public init(
    names: [CompletionName],
    listDirectory: @escaping @Sendable (String) -> [(name: String, isDirectory: Bool)]? =
      Completer.localDirectory
  ) {
    self.names = names
    self.listDirectory = listDirectory
  }

  /// What to offer for the word that ends at the cursor.
  public struct Result: Sendable, Equatable {
    /// Full replacements for the word, sorted.
    public var candidates: [String]
    /// Whether the word is a file path inside a string (a completed file then closes the string).
    public var isPath: Bool
  }

  /// Completes `word`, the text between the last word break and the cursor; `before` is the input
  /// before that word (earlier lines of a block included).
  public func complete(before: String, word: String) -> Result {
    let context = StatementContext(before)
    if context.inString {
      return Result(
        candidates: paths(completing: context.stringSoFar + word, word: word), isPath: true)
    }
    let words = context.words
    let options: [String]
    if words.isEmpty {
      options = CommandTable.allNames + Self.keywords
    } else if words[0] == "for" {
      options = words.count >= 3 ? names.map(\.name) : (words.count == 2 ? ["in"] : [])
    } else if words[0] == "repeat" {
      options = []
    } else if let spec = CommandTable.spec(named: words[0]) {
      options = arguments(of: spec, given: Array(words.dropFirst()))
    } else {
      options = []
    }
    let matches = Set(options.filter { $0.hasPrefix(word) })
    return Result(candidates: matches.sorted(), isPath: false)
  }

  /// Candidates after `spec`'s name, given the words already typed after it.
  private func arguments(of spec: CommandSpec, given: [String]) -> [String] {
    var result: [String] = []
    if let last = given.last, let option = spec.option(named: last) {
      // A boolean option may stand alone (`keep_best` means true), so the next option fits too.
      guard option.type == .bool else { return values(of: option.type) }
      result = values(of: .bool)
    }
    let used = Set(given)
    result += spec.options.map(\.name).filter { !used.contains($0) }
    // Positionals come first: offer names of the kind the next one wants.
    let positionalCount = given.count { word in spec.option(named: word) == nil }
    if positionalCount < spec.positionals.count || spec.positionals.last?.isVariadic == true {
      let index = min(positionalCount, spec.positionals.count - 1)
      if index >= 0 { result += values(of: spec.positionals[index].type) }
    }
    return result
  }

  /// What a value of `type` can be.
  private func values(of type: ParameterType) -> [String] {
    switch type {
    case .choice(let words): words
    case .bool: ["true", "false"]
    case .corpus: names.filter { $0.kind == .corpus }.map(\.name)
    case .model: names.filter { $0.kind == .model }.map(\.name)
    case .anyModel, .modelOrLog: names.filter { $0.kind == .model || $0.kind == .form }.map(\.name)
    case .object, .any, .real, .integer, .duration: names.map(\.name)
    case .command: CommandTable.all.map(\.name)
    case .string, .strings: []
    }
  }

  /// Paths that start with `prefix` (the string typed so far); returned as replacements for `word`
  /// (its last part, after any word break inside the string). Directories end with `/`.
  private func paths(completing prefix: String, word: String) -> [String] {
    let slash = prefix.lastIndex(of: "/")
    let directory = slash.map { String(prefix[...$0]) } ?? ""
    let stem = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
    var listed = directory.isEmpty ? "." : directory
    if listed.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
      listed = home + listed.dropFirst()
    }
    guard let entries = listDirectory(listed) else { return [] }
    let typedBeforeWord = prefix.dropLast(word.count)
    return entries.filter {
      $0.name.hasPrefix(stem) && (stem.hasPrefix(".") || !$0.name.hasPrefix("."))
    }
    .map { entry in
      let full = directory + entry.name + (entry.isDirectory ? "/" : "")
      return String(full.dropFirst(typedBeforeWord.count))
    }
    .sorted()
  }

  /// Lists a directory of the local file system.
  public static let localDirectory: @Sendable (String) -> [(name: String, isDirectory: Bool)]? = {
    path in
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return nil }
    return names.map { name in
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isDirectory)
      return (name, isDirectory.boolValue)
    }
  }
}

/// The statement being typed, as far as completion needs it: its words (after `name =`), and
/// whether the cursor is inside a string (and what of it was typed).
struct StatementContext {
  var words: [String] = []
  var inString = false
  var stringSoFar = ""

  init(_ text: String) {
    var current = ""
    var escaped = false
    var inComment = false
    func endWord() {
      if !current.isEmpty { words.append(current) }
      current = ""
    }
    for ch in text {
      if inComment {
        if ch == "\n" { inComment = false }
        continue
      }
      if inString {
        if escaped {
          escaped = false
          stringSoFar.append(ch)
        } else if ch == "\\" {
          escaped = true
        } else if ch == "\"" {
          inString = false
          words.append("\"")
        } else {
          stringSoFar.append(ch)
        }
        continue
      }
      switch ch {
      case "\"":
        endWord()
        inString = true
        stringSoFar = ""
      case "#":
        endWord()
        inComment = true
      case "\n", ";", "{", "}":
        endWord()
        words = []
      case " ", "\t", ",", "[", "]": endWord()
      case "=":
        endWord()
        if words.count == 1 { words = [] }
      default: current.append(ch)
      }
    }
    endWord()
  }
}
