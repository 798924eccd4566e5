/// Help text and the Markdown command reference, both generated from ``CommandTable``.
public enum HelpFormatter {
  /// `help`: every command with its summary, then the language in brief; prose wrapped at word
  /// boundaries to `columns` (the terminal's width; 80 when output is not a terminal).
  public static func overview(columns: Int = 80) -> String {
    let width = (CommandTable.all.map { $0.name.count }.max() ?? 0) + 2
    var lines = ["Commands (help COMMAND for details):"]
    for spec in CommandTable.all {
      let aliases = spec.aliases.isEmpty ? "" : " (also: \(spec.aliases.joined(separator: ", ")))"
      lines += wrap(spec.summary + aliases, columns: columns, first: "  " + Formatting.pad(spec.name, width))
    }
    lines.append("")
    lines += wrap("Statements: one per line or separated by ';'; '#' starts a comment.", columns: columns)
    for (form, meaning) in [
      ("name = command …", "bind a corpus or model to a name"),
      ("for x in [a, b, …] { … }", "run a block once per value; x is usable as a value"),
      ("repeat N { … }", "run a block N times"),
    ] {
      lines += wrap(meaning, columns: columns, first: "  " + Formatting.pad(form, 34))
    }
    lines += wrap(
      "Values: numbers (2e-3), strings (\"a\\n\"), durations (30s, 2m), true/false, names, [lists].",
      columns: columns)
    return lines.joined(separator: "\n")
  }

  /// `help COMMAND`: usage, help text, parameters with types, ranges and defaults, examples; prose
  /// wrapped at word boundaries to `columns`, parameter descriptions with a hanging indent.
  public static func commandHelp(_ spec: CommandSpec, columns: Int = 80) -> String {
    var lines =
      ["usage: \(spec.usage)", ""] + wrap(spec.summary, columns: columns) + [""]
      + wrap(spec.help, columns: columns)
    if !spec.aliases.isEmpty {
      lines += ["", "Also spelled: " + spec.aliases.joined(separator: ", ")]
    }
    let parameters = spec.positionals + spec.options
    if !parameters.isEmpty {
      lines.append("")
      let width = (parameters.map { $0.name.count }.max() ?? 0) + 2
      if !spec.positionals.isEmpty { lines.append("Arguments:") }
      for p in spec.positionals {
        lines += wrap(describe(p), columns: columns, first: "  " + Formatting.pad(p.name, width))
      }
      if !spec.options.isEmpty { lines.append("Options:") }
      for p in spec.options {
        lines += wrap(describe(p), columns: columns, first: "  " + Formatting.pad(p.name, width))
      }
    }
    if !spec.examples.isEmpty {
      lines += ["", "Examples:"] + spec.examples.map { "  " + $0 }
    }
    return lines.joined(separator: "\n")
  }

  /// `text` as lines of at most `columns` characters, broken only between words (a word longer
  /// than a line gets a line of its own); the first line starts with `first`, the others are
  /// indented as far (a hanging indent).
  static func wrap(_ text: String, columns: Int, first: String = "") -> [String] {
    let indent = String(repeating: " ", count: first.count)
    if text.contains("\n") {  // paragraphs (and line breaks) of the text are kept
      return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().flatMap {
        wrap(String($0.element), columns: columns, first: $0.offset == 0 ? first : indent)
      }
    }
    let limit = columns  // a word that does not fit still gets a line of its own
    var lines: [String] = []
    var line = first
    var lineHasWord = false
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      if lineHasWord && line.count + 1 + word.count > limit {
        lines.append(line)
        line = indent
        lineHasWord = false
      }
      line += (lineHasWord ? " " : "") + word
      lineHasWord = true
    }
    lines.append(line)
    return lines
  }

  /// `Training steps. (integer in 0...100000000; default 100)`
  static func describe(_ p: ParameterSpec) -> String {
    var detail = p.type.description
    if let d = p.defaultDescription {
      detail += "; default \(d)"
    } else if !p.isRequired && p.positionalPlaceholder == nil {
      detail += "; optional"
    }
    return "\(p.help) (\(detail))"
  }

  /// The command reference in Markdown (`docs/commands.md`), generated from the table.
  public static func markdown() -> String {
    var out = """
      # Command reference

      <!-- Generated from the command table (Sources/RNNInterpreter); do not edit by hand.
           Regenerate: RNN_RECORD_GOLDEN=1 swift test --filter CommandReferenceTests -->

      Statements run one per line (or separated by `;`); `#` starts a comment. `name = command …` binds \
      the result of a command that produces one (a corpus or a model). Blocks: `for x in [a, b] { … }` \
      and `repeat N { … }`. Values: numbers (`500`, `2e-3`), strings with escapes (`"a\\n"`), \
      durations (`30s`, `2m`, `1h`), `true`/`false`, names and lists. Arguments come first, then \
      `option value` pairs.

      | Command | Summary |
      |---|---|

      """
    for spec in CommandTable.all {
      out += "| [`\(spec.name)`](#\(spec.name)) | \(spec.summary) |\n"
    }
    for spec in CommandTable.all {
      out += "\n## \(spec.name)\n\n`\(spec.usage)`"
      if !spec.aliases.isEmpty {
        out += " (also: " + spec.aliases.map { "`\($0)`" }.joined(separator: ", ") + ")"
      }
      out += "\n\n\(spec.summary) \(spec.help)\n"
      let parameters = spec.positionals + spec.options
      if !parameters.isEmpty {
        out += "\n| Parameter | Type and range | Default | Description |\n|---|---|---|---|\n"
        for p in parameters {
          let isPositional = spec.positionals.contains(p)
          let name = isPositional ? p.name : "`\(p.name)`"
          let def =
            p.defaultDescription.map { "`\($0)`".replacingPipes }
            ?? (isPositional && p.isRequired ? "required" : "—")
          out +=
            "| \(name) | \(p.type.description.replacingPipes) | \(def) | \(p.help.replacingPipes) |\n"
        }
      }
      if !spec.examples.isEmpty {
        out += "\n```\n" + spec.examples.joined(separator: "\n") + "\n```\n"
      }
    }
    return out
  }
}

extension ParameterSpec {
  /// Positional parameters are named in capitals; `nil` for options.
  var positionalPlaceholder: String? { name.uppercased() == name ? name : nil }
}

extension String {
  /// The text with `|` escaped for a Markdown table cell.
  var replacingPipes: String {
    var out = ""
    for c in self { out += c == "|" ? "\\|" : String(c) }
    return out
  }
}
