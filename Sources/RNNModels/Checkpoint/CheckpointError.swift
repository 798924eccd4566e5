import SafeTensors

/// Why a checkpoint could not be read or written. Every case says what is wrong; nothing has been
/// changed in the session or on disk when one is thrown.
public enum CheckpointError: Error, Sendable, CustomStringConvertible {
  /// The file is not a valid safetensors file (or could not be read/written).
  case file(path: String, SafeTensorsError)
  /// The file is valid safetensors but not a usable model checkpoint.
  case invalid(path: String, reason: String)

  public var description: String {
    switch self {
    // A file-system failure already names the path (and says what is left on disk).
    case .file(_, .fileSystem(let failure)): "\(failure)"
    case .file(let path, let error): "\(path): \(error)"
    case .invalid(let path, let reason): "\(path): not a usable checkpoint: \(reason)"
    }
  }
}
