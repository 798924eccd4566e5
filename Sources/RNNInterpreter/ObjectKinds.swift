/// The kinds of session object a command takes where its parameter's type says less: on a name
/// parameter, the kinds that name may be (`translate` takes a seq2seq model); on an option, the
/// kinds of the command's object the option is for (`sample … label` is for a generator). The
/// binder checks them against the live session when a statement runs and against the kinds a
/// name may have under `--check` (``StaticNames``), so both report the same words at the same
/// place.
public struct ObjectKinds: Sendable, Equatable {
  /// The accepted kinds (``SessionObject/kindName``).
  public var kinds: Set<String>
  /// How an object of another kind is reported.
  public var wording: Wording

  /// The error's words.
  public enum Wording: Sendable, Equatable {
    /// `'m' is a model, not a seq2seq model`
    case notA(String)
    /// `'q' is a tagger; sample takes a language model or a generator`
    case takes(String)
    /// On an option: `'label' is for a generator; 'm' is a model`
    case optionFor(String)
  }

  public init(_ kinds: Set<String>, _ wording: Wording) {
    self.kinds = kinds
    self.wording = wording
  }

  /// The error for `name`, an object of `kind`, given to `command` (with `option`, for an
  /// option's kinds).
  func message(_ name: String, kind: String, command: String, option: String) -> String {
    switch wording {
    case .notA(let noun): "'\(name)' is a \(kind), not a \(noun)"
    case .takes(let what): "'\(name)' is a \(kind); \(command) takes \(what)"
    case .optionFor(let what): "'\(option)' is for \(what); '\(name)' is a \(kind)"
    }
  }

  /// Whether an object that may be any of `possible` (`""`: not known statically) is certainly
  /// of a kind not taken; then the kind the error names.
  func rejected(_ possible: Set<String>) -> String? {
    guard !possible.isEmpty, possible.isDisjoint(with: kinds), !possible.contains("") else { return nil }
    return possible.sorted()[0]
  }
}

extension ParameterKey {
  /// This key with the kinds of object it takes (a name parameter) or is for (an option).
  func taking(_ kinds: Set<String>, _ wording: ObjectKinds.Wording) -> Self {
    var spec = self.spec
    spec.objectKinds = ObjectKinds(kinds, wording)
    return Self(spec: spec, fallback: fallback)
  }
}
