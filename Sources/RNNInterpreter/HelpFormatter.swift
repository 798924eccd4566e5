/// Help text and the Markdown command reference, both generated from ``CommandTable``.
public enum HelpFormatter {
  /// `help`: every command with its summary, then the language in brief.
  public static func overview() -> String {
    let width = (CommandTable.all.map { $0.name.count }.max() ?? 0) + 2
    var lines = ["Commands (help COMMAND for details):"]
    for spec in CommandTable.all {
      let aliases = spec.aliases.isEmpty ? "" : " (also: \(spec.aliases.joined(separator: ", ")))"
      lines.append("  " + Formatting.pad(spec.name, width) + spec.summary + aliases)
    }
    lines += [
      "",
      "Statements: one per line or separated by ';'; '#' starts a comment.",
      "  name = command …                  bind a corpus or model to a name",
      "  for x in [a, b, …] { … }          run a block once per value; x is usable as a value",
      "  repeat N { … }                    run a block N times",
      "Values: numbers (2e-3), strings (\"a\\n\"), durations (30s, 2m), true/false, names, [lists].",
    ]
    return lines.joined(separator: "\n")
  }

  /// `help COMMAND`: usage, help text, parameters with types, ranges and defaults, examples.
  public static func commandHelp(_ spec: CommandSpec) -> String {
    var lines = ["usage: \(spec.usage)", "", spec.summary, "", spec.help]
    if !spec.aliases.isEmpty {
      lines += ["", "Also spelled: " + spec.aliases.joined(separator: ", ")]
    }
    let parameters = spec.positionals + spec.options
    if !parameters.isEmpty {
      lines.append("")
      let width = (parameters.map { $0.name.count }.max() ?? 0) + 2
      if !spec.positionals.isEmpty { lines.append("Arguments:") }
      for p in spec.positionals { lines.append("  " + Formatting.pad(p.name, width) + describe(p)) }
      if !spec.options.isEmpty { lines.append("Options:") }
      for p in spec.options { lines.append("  " + Formatting.pad(p.name, width) + describe(p)) }
    }
    if !spec.examples.isEmpty {
      lines += ["", "Examples:"] + spec.examples.map { "  " + $0 }
    }
    return lines.joined(separator: "\n")
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
