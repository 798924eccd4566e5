import RNNModels

extension Interpreter {
  /// The text of the file at `path` (for `eval file` and the analysis commands' `file`),
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

  /// The text of a file of `first<TAB>second` pairs (`classifier`, `generator`, `seq2seq`): as
  /// ``readText(_:_:at:)``, but a byte that is not UTF-8 is an error naming its line
  /// (``TabSeparatedPairs/text(of:source:)``), and a leading byte-order mark is dropped.
  func readPairsText<P>(_ path: String, _ arguments: Arguments<P>, at key: PartialKeyPath<P>)
    throws(InterpreterError) -> String
  {
    let bytes: [UInt8]
    do { bytes = try fileSystem.readBytes(path) } catch {
      throw arguments.error("cannot read \(error)", at: key)
    }
    do { return try TabSeparatedPairs.text(of: bytes, source: path) } catch {
      throw arguments.error(error.description, at: key)
    }
  }
}
