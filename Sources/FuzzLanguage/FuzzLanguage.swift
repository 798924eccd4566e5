// libFuzzer target: the RNNLanguage lexer and parser (`Parser.parseAll`, diagnostics rendering, the
// AST dump, `Parser.isComplete`). scripts/fuzz.sh builds it with -sanitize=fuzzer and -DFUZZING; a
// plain build replays the files given as arguments.
import FuzzSupport
import RNNLanguage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let file = SourceFile(name: "<fuzz>", bytes: Array(UnsafeBufferPointer(start: data, count: size)))
  let result = Parser.parseAll(file)
  let renderer = DiagnosticRenderer(file: file)
  _ = renderer.render(result.errors.map(\.diagnostic))
  _ = ASTDumper(file: file).dump(result.statements)
  _ = Parser.isComplete(String(decoding: file.bytes, as: UTF8.self))
  return 0
}

@main struct Main {
  static func main() { FuzzDriver.run(fuzz) }
}
