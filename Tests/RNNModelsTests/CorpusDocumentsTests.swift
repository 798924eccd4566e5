import Foundation
import XCTest

@testable import RNNModels

/// Corpora of several files: folders, globs, `~`, separators, splits by documents, and a clear
/// error for each way a set of files can be unusable.
final class CorpusDocumentsTests: XCTestCase {
  var dir: String!

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-documents-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

  func write(_ name: String, _ text: String) { write(name, Array(text.utf8)) }

  func write(_ name: String, _ bytes: [UInt8]) {
    let path = dir + "/" + name
    try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
  }

  func text(_ c: Corpus) -> String { c.vocabulary.decode(c.tokens.array) }

  func expectError(_ expected: CorpusError, _ body: () throws -> Corpus, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
      XCTAssertEqual(error as? CorpusError, expected, file: file, line: line)
    }
  }

  func testAFolderIsEveryTextFileUnderItSortedByPathJoinedByABlankLine() throws {
    write("b.txt", "bee")
    write("a/z.txt", "zed")
    write("a/c.md", "sea")
    write(".hidden", "no")
    write(".git/config", "no")
    let c = try Corpus.load(files: dir)
    XCTAssertEqual(text(c), "sea\n\nzed\n\nbee")
    XCTAssertEqual(c.documentCount, 3)
    XCTAssertNil(c.splits.documents, "three documents are too few to split by")
    let custom = try Corpus.load(files: dir, separator: "<|>")
    XCTAssertEqual(text(custom), "sea<|>zed<|>bee")
    XCTAssertNotEqual(custom.fingerprint, c.fingerprint)
  }

  func testGlobsCrossFoldersWithDoubleStar() throws {
    write("src/main.c", "int main;")
    write("src/lib/util.c", "int util;")
    write("src/lib/util.h", "header")
    write("src/.cache/x.c", "hidden")
    XCTAssertEqual(text(try Corpus.load(files: dir + "/src/**/*.c")), "int util;\n\nint main;")
    XCTAssertEqual(text(try Corpus.load(files: dir + "/src/*.c")), "int main;")
    XCTAssertEqual(text(try Corpus.load(files: dir + "/src/l?b/util.[ch]")), "int util;\n\nheader")
  }

  func testRelativePathsAndTildeExpansion() throws {
    write("notes/n.txt", "note one")
    let c = try Corpus.load(files: "~/notes", home: dir)
    XCTAssertEqual(text(c), "note one")
    XCTAssertEqual(c.source, "~/notes")
    let resolved = try Corpus.load(files: "notes/*.txt", resolve: { self.dir + "/" + $0 })
    XCTAssertEqual(text(resolved), "note one")
  }

  func testOneFileReadsExactlyAsLoadPath() throws {
    write("one.txt", "To be, or not to be\n")
    let a = try Corpus.load(files: dir + "/one.txt")
    let b = try Corpus.load(path: dir + "/one.txt")
    XCTAssertEqual(a.tokens, b.tokens)
    XCTAssertEqual(a.vocabulary, b.vocabulary)
    XCTAssertEqual(a.fingerprint, b.fingerprint)
    XCTAssertEqual(a.splits, b.splits)
    XCTAssertEqual(a.documentCount, 1)
  }

  func testStreamedDocumentsEqualTheJoinedTextWhateverTheChunkSize() throws {
    let parts = ["héllo wörld\n", "日本語 👨‍👩‍👧", "", "crlf\r\nnul\0end"]
    for (i, p) in parts.enumerated() { write("d\(i).txt", p) }
    let joined = try Corpus(text: parts.joined(separator: "\n\n"))
    for chunk in [1, 2, 3, 7, 1 << 20] {
      let c = try Corpus.load(
        files: dir, separator: "\n\n", fractions: .init(), invalidUTF8: .error, home: nil, resolve: { $0 }, chunkSize: chunk)
      XCTAssertEqual(c.tokens, joined.tokens, "chunk \(chunk)")
      XCTAssertEqual(c.vocabulary, joined.vocabulary)
      XCTAssertEqual(c.fingerprint, joined.fingerprint)
    }
  }

  func testManyDocumentsAreSplitByWholeDocuments() throws {
    for i in 0..<20 { write(String(format: "doc%02d.txt", i), String(repeating: "line \(i)\n", count: 1 + i % 3)) }
    let c = try Corpus.load(files: dir, fractions: SplitFractions(train: 0.8, validation: 0.1))
    XCTAssertEqual(c.splits.documents, .init(train: 16, validation: 2, test: 2))
    let all = text(c)
    let validation = c.vocabulary.decode(c.tokens(of: .validation).array)
    XCTAssertTrue(validation.hasPrefix("line 16\n"), validation)
    XCTAssertTrue(c.vocabulary.decode(c.tokens(of: .test).array).hasPrefix("line 18\n"))
    XCTAssertFalse(c.vocabulary.decode(c.tokens(of: .train).array).contains("line 16"))
    XCTAssertEqual(c.splits.train.count + c.splits.validation.count + c.splits.test.count, all.unicodeScalars.count)
  }

  func testNotUTF8NamesTheFileAndItsOwnByteOffset() throws {
    write("a.txt", "fine")
    write("b.txt", [0x61, 0x62, 0xFF, 0x63])
    expectError(.invalidUTF8(path: dir + "/b.txt", byteOffset: 2)) { try Corpus.load(files: dir) }
    // A sequence cut off at the end of one file does not continue into the next.
    write("a.txt", [0x61, 0xE2, 0x82])
    expectError(.invalidUTF8(path: dir + "/a.txt", byteOffset: 1)) { try Corpus.load(files: dir) }
  }

  func testInvalidSkipLeavesFilesOutAndCountsThem() throws {
    write("a.txt", "fine text")
    write("b.bin", [0x00, 0xC0, 0x80])
    write("c.txt", "more")
    let c = try Corpus.load(files: dir, invalidUTF8: .skip)
    XCTAssertEqual(text(c), "fine text\n\nmore")
    XCTAssertEqual(c.skippedFiles, [dir + "/b.bin"])
    let replaced = try Corpus.load(files: dir, invalidUTF8: .replace)
    XCTAssertEqual(replaced.replacedSequences, 2)
    XCTAssertEqual(replaced.documentCount, 3)
    expectError(.everyFileSkipped(path: dir + "/b.bin", count: 1)) { try Corpus.load(files: dir + "/b.bin", invalidUTF8: .skip) }
  }

  func testEmptyFoldersAndGlobsThatMatchNothing() throws {
    try FileManager.default.createDirectory(atPath: dir + "/empty/sub", withIntermediateDirectories: true)
    write("hidden-only/.secret", "x")
    expectError(.emptyFolder(path: dir + "/empty")) { try Corpus.load(files: dir + "/empty") }
    expectError(.emptyFolder(path: dir + "/hidden-only")) { try Corpus.load(files: dir + "/hidden-only") }
    expectError(.noMatch(pattern: dir + "/**/*.rs")) { try Corpus.load(files: dir + "/**/*.rs") }
    expectError(.fileNotFound(path: dir + "/missing")) { try Corpus.load(files: dir + "/missing") }
  }

  func testSymbolicLinkLoopsAndDanglingLinks() throws {
    write("loop/a.txt", "text")
    try FileManager.default.createSymbolicLink(atPath: dir + "/loop/again", withDestinationPath: dir + "/loop")
    expectError(.symlinkLoop(path: dir + "/loop/again")) { try Corpus.load(files: dir + "/loop") }
    write("dangling/a.txt", "text")
    try FileManager.default.createSymbolicLink(atPath: dir + "/dangling/gone.txt", withDestinationPath: dir + "/nowhere")
    XCTAssertThrowsError(try Corpus.load(files: dir + "/dangling")) { error in
      guard case .unreadable(let path, let reason)? = error as? CorpusError else { return XCTFail("\(error)") }
      XCTAssertEqual(path, dir + "/dangling/gone.txt")
      XCTAssertTrue(reason.contains("dangling"), reason)
    }
  }

  func testUnreadableFileIsNamed() throws {
    guard getuid() != 0 else { throw XCTSkip("root reads files whatever their permissions") }
    write("locked/a.txt", "secret")
    chmod(dir + "/locked/a.txt", 0)
    XCTAssertThrowsError(try Corpus.load(files: dir + "/locked")) { error in
      guard case .unreadable(let path, _)? = error as? CorpusError else { return XCTFail("\(error)") }
      XCTAssertEqual(path, dir + "/locked/a.txt")
    }
  }

  func testEveryNewErrorSaysWhatToDo() {
    for e: CorpusError in [
      .emptyFolder(path: "p"), .noMatch(pattern: "*.c"), .symlinkLoop(path: "l"), .everyFileSkipped(path: "p", count: 2),
    ] {
      XCTAssertGreaterThan(e.description.count, 30, e.description)
    }
  }
}
