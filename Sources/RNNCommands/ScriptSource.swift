import Foundation
import RNNLanguage

/// Where a script comes from: a file, standard input, or `-e` text.
enum ScriptSource {
  case file(String)
  case standardInput
  case text(name: String, String)

  /// The source bytes, or a message saying why they cannot be read.
  func load() -> Result<SourceFile, ScriptLoadError> {
    switch self {
    case .file(let path):
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        return .failure(ScriptLoadError(message: "\(path): no such file"))
      }
      guard !isDirectory.boolValue else {
        return .failure(ScriptLoadError(message: "\(path): is a directory"))
      }
      guard let data = FileManager.default.contents(atPath: path) else {
        return .failure(ScriptLoadError(message: "\(path): cannot be read"))
      }
      return .success(SourceFile(name: path, bytes: [UInt8](data)))
    case .standardInput:
      let data = FileHandle.standardInput.readDataToEndOfFile()
      return .success(SourceFile(name: "<stdin>", bytes: [UInt8](data)))
    case .text(let name, let text):
      return .success(SourceFile(name: name, text: text))
    }
  }
}

/// A script that could not be read.
struct ScriptLoadError: Error {
  var message: String
}
