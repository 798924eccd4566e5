/// One parameter of one command, declared once: its table entry (``ParameterSpec``) and the Swift
/// type `T` its value reads as. A command's keys are the stored properties of its
/// ``CommandParameters`` struct; the command's positionals and options are built from them, so a
/// key is always in its command's table, and a key of another command or a misspelt one does not
/// compile (`arguments[\.steps]` reads through a key path of that struct).
///
/// Reading never fails: a parameter with a table default reads as `T`; one without reads as an
/// optional (or an empty list) that is "absent" when the parameter is not given.
struct ParameterKey<T: ParameterValue>: Sendable {
  /// The parameter as the table, help, completion and the binder see it.
  let spec: ParameterSpec
  /// What reading gives when neither the call nor `set` gives a value: the table default, or the
  /// absent value. (Required positionals are always given; theirs is never read.)
  let fallback: T

  /// The parameter's name (`steps`, `MODEL`).
  var name: String { spec.name }
}

extension ParameterKey where T: ParameterDefault {
  /// A named option with a table default: reads as `T`.
  static func option(
    _ name: String, _ type: ParameterType, default value: T, note: String? = nil, _ help: String
  ) -> Self {
    Self(
      spec: .option(name, type, default: value.argument(as: type), note: note, help),
      fallback: value)
  }
}

extension ParameterKey where T: ParameterChoice {
  /// A choice option read as an enum; the words are the enum's cases unless given (in the order
  /// help lists them).
  static func option(
    _ name: String, choice words: [String] = T.words, default value: T, note: String? = nil,
    _ help: String
  ) -> Self {
    option(name, .choice(words), default: value, note: note, help)
  }
}

extension ParameterKey where T: ParameterAbsence {
  /// A named option without a table default: reads as `nil` (or `[]`) when not given.
  static func option(_ name: String, _ type: ParameterType, note: String? = nil, _ help: String)
    -> Self
  {
    Self(spec: .option(name, type, note: note, help), fallback: .absent)
  }

  /// An optional or variadic positional: reads as `nil` (or `[]`) when not given.
  static func positional(
    _ name: String, _ type: ParameterType, required: Bool = false, variadic: Bool = false,
    _ help: String
  ) -> Self {
    Self(
      spec: .positional(name, type, required: required, variadic: variadic, help),
      fallback: .absent)
  }
}

extension ParameterKey where T == String {
  /// A required positional (a name or a string): always given, so it reads as a `String`.
  static func positional(_ name: String, _ type: ParameterType, _ help: String) -> Self {
    Self(spec: .positional(name, type, help), fallback: "")
  }

  /// An optional positional with a default.
  static func positional(
    _ name: String, _ type: ParameterType, default value: String, _ help: String
  ) -> Self {
    Self(
      spec: .positional(name, type, required: false, default: value.argument(as: type), help),
      fallback: value)
  }
}

/// A key with its value type erased, for building tables and for tests.
protocol AnyParameterKey: Sendable {
  /// The parameter as the table sees it.
  var spec: ParameterSpec { get }
  /// Whether the table default (if any) reads as the key's type, as it must.
  var defaultReads: Bool { get }
}

extension ParameterKey: AnyParameterKey {
  var defaultReads: Bool { spec.defaultValue.map { T(argument: $0) != nil } ?? true }

  /// The value in `invocation`: given, else the session default (`set`), else the fallback.
  func read(from invocation: Invocation) -> T {
    invocation.value(spec.name).flatMap(T.init(argument:)) ?? fallback
  }
}

/// The parameters of one command: a struct whose stored properties are ``ParameterKey``s (or
/// groups of them, such as ``AnalysisOptions``), declared in the order help lists them,
/// positionals first. The command's table entry is built from it.
protocol CommandParameters: Sendable {
  init()
}

extension CommandParameters {
  /// Every key, in declaration order (groups flattened in place).
  var keys: [any AnyParameterKey] {
    Mirror(reflecting: self).children.flatMap { child -> [any AnyParameterKey] in
      if let key = child.value as? any AnyParameterKey { return [key] }
      if let group = child.value as? any CommandParameters { return group.keys }
      return []
    }
  }

  /// Stored properties that are neither keys nor groups (there must be none: a test checks).
  var strayProperties: [String] {
    Mirror(reflecting: self).children.compactMap { child in
      if child.value is any AnyParameterKey { return nil }
      if let group = child.value as? any CommandParameters {
        return group.strayProperties.isEmpty ? nil : child.label ?? "?"
      }
      return child.label ?? "?"
    }
  }
}

/// For commands without parameters.
struct NoParameters: CommandParameters {}
