/// One parameter of a command: a positional argument or a named option.
public struct ParameterSpec: Sendable, Equatable {
  /// The name (`steps`, `temperature`; for positionals the placeholder shown in usage, `MODEL`).
  public var name: String
  /// What it accepts.
  public var type: ParameterType
  /// The value used when it is not given, or `nil` when there is none (required positionals,
  /// options whose absence means "off").
  public var defaultValue: Value?
  /// How the default reads in help when it is not a plain value ("the model's last value").
  public var defaultNote: String?
  /// One line of help.
  public var help: String
  /// Whether it is a positional argument (else a named option).
  public var isPositional: Bool
  /// For positionals: whether it must be given.
  public var isRequired: Bool
  /// For positionals: whether it takes every remaining positional argument.
  public var isVariadic: Bool
  /// For a name: the kinds of object it takes; for an option: the kinds of the command's object
  /// it is for. `nil`: whatever its type takes.
  public var objectKinds: ObjectKinds? = nil

  /// Creates a named option.
  public static func option(
    _ name: String, _ type: ParameterType, default defaultValue: Value? = nil, note: String? = nil,
    _ help: String
  ) -> ParameterSpec {
    ParameterSpec(
      name: name, type: type, defaultValue: defaultValue, defaultNote: note, help: help,
      isPositional: false, isRequired: false,
      isVariadic: false)
  }

  /// Creates a positional parameter.
  public static func positional(
    _ name: String, _ type: ParameterType, required: Bool = true, variadic: Bool = false,
    default defaultValue: Value? = nil, _ help: String
  ) -> ParameterSpec {
    ParameterSpec(
      name: name, type: type, defaultValue: defaultValue, defaultNote: nil, help: help,
      isPositional: true, isRequired: required,
      isVariadic: variadic)
  }

  /// The default as help shows it.
  public var defaultDescription: String? {
    if let defaultNote { return defaultNote }
    return defaultValue?.description
  }
}
