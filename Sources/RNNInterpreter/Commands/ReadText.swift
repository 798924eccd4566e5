extension Interpreter {
  /// The text of the file at `path` (for `eval file`, the analysis commands' `file`, `classifier`),
  /// or an error pointing at `key`'s value: the file cannot be read, or it is not UTF-8.
  func readText<P>(_ path: String, _ arguments: Arguments<P>, at key: PartialKeyPath<P>)
    throws(InterpreterError) -> String
  {
    let bytes: [UInt8]
    do { bytes = try fileSystem.readBytes(path) } catch {
      throw arguments.error("cannot read \(error)", at: key)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw arguments.error("\(path) is not valid UTF-8", at: key)
    }
    return text
  }
}
