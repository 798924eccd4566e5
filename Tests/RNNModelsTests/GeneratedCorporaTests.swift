import Foundation
@testable import RNNModels
import TestSupport
import XCTest

/// The pair files in corpora/ (made by corpora/make-corpora.sh) parse with the shared reader and
/// hold what corpora/README.md says: every date target is the ISO form of its source (read here
/// independently of make-dates.py), the word lists have their ten labels of 2,000 words each, and
/// the reversal and addition targets are right.
final class GeneratedCorporaTests: XCTestCase {
  func pairs(_ name: String, _ layout: TabSeparatedPairs.Layout) throws -> [TabSeparatedPairs.Pair] {
    let url = Fixtures.packageRoot().appendingPathComponent("corpora/\(name)")
    let bytes = [UInt8](try Data(contentsOf: url))
    return try TabSeparatedPairs(bytes: bytes, source: "corpora/\(name)", layout: layout).pairs
  }

  func testWordsByLanguage() throws {
    let words = try pairs("words-by-language.tsv", .labelText)
    let byLabel = Dictionary(grouping: words, by: \.first)
    XCTAssertEqual(
      byLabel.keys.sorted(),
      ["danish", "dutch", "english", "french", "german", "italian", "polish", "portuguese", "spanish", "swedish"])
    for (label, list) in byLabel {
      XCTAssertEqual(list.count, 2000, label)
      XCTAssertEqual(Set(list.map(\.second)).count, list.count, "\(label): a word twice")
      for p in list {
        let scalars = p.second.unicodeScalars
        XCTAssertTrue((2...14).contains(scalars.count), "line \(p.line): \(p.second)")
        XCTAssertTrue(
          scalars.allSatisfy { $0.properties.generalCategory == .lowercaseLetter }, "line \(p.line): \(p.second)")
      }
    }
    // Shuffled: no long runs of one language.
    let runs = zip(words, words.dropFirst()).filter { $0.first == $1.first }.count
    XCTAssertLessThan(runs, words.count / 5)
  }

  func testEveryDateTargetIsTheISOFormOfItsSource() throws {
    let dates = try pairs("dates.tsv", .sourceTarget)
    XCTAssertEqual(dates.count, 20000)
    XCTAssertEqual(Set(dates.map(\.first)).count, dates.count, "a source twice")
    for p in dates {
      let read = WrittenDate(p.first)
      XCTAssertNotNil(read, "line \(p.line): cannot read \(p.first.debugDescription)")
      XCTAssertEqual(read?.iso, p.second, "line \(p.line): \(p.first)")
    }
    let lengths = dates.map(\.first.count)
    XCTAssertLessThanOrEqual(lengths.min()!, 10)
    XCTAssertGreaterThanOrEqual(lengths.max()!, 40)
  }

  func testReversalAndAddition() throws {
    let reverse = try pairs("reverse.tsv", .sourceTarget)
    XCTAssertEqual(reverse.count, 10000)
    for p in reverse { XCTAssertEqual(String(p.first.reversed()), p.second, "line \(p.line)") }
    let addition = try pairs("addition.tsv", .sourceTarget)
    XCTAssertEqual(addition.count, 10000)
    for p in addition {
      let terms = p.first.split(separator: "+").compactMap { Int($0) }
      XCTAssertEqual(terms.count, 2, "line \(p.line)")
      XCTAssertEqual(String(terms.reduce(0, +)), p.second, "line \(p.line)")
    }
  }
}

/// A date as written in dates.tsv, read without reference to the generator: `MM/DD/YYYY`,
/// `DD.MM.YYYY`, or words holding one year, one month (full or three letters), one day (a number,
/// a number with its English suffix, or an ordinal word) and optionally the true weekday.
struct WrittenDate {
  var year = 0, month = 0, day = 0

  static let months = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
  ]
  static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
  static let ordinals = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
    "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
    "twentieth", "twenty-first", "twenty-second", "twenty-third", "twenty-fourth", "twenty-fifth", "twenty-sixth",
    "twenty-seventh", "twenty-eighth", "twenty-ninth", "thirtieth", "thirty-first",
  ]

  var iso: String {
    String(year) + "-" + (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day)
  }

  init?(_ text: String) {
    let numeric = text.split(whereSeparator: { $0 == "/" || $0 == "." }).map { Int($0) }
    if numeric.count == 3, numeric.allSatisfy({ $0 != nil }), text.count == 10 {
      let n = numeric.map { $0! }
      (month, day, year) = text.contains("/") ? (n[0], n[1], n[2]) : (n[1], n[0], n[2])
      guard isValid else { return nil }
      return
    }
    var weekday: Int?
    for raw in text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }) {
      let parts = raw.contains(where: \.isNumber) ? raw.split(separator: "-").map(String.init) : [String(raw)]
      for token in parts where !["the", "of"].contains(token) {
        guard readToken(token, weekday: &weekday) else { return nil }
      }
    }
    guard isValid, weekday.map({ $0 == weekdayIndex }) ?? true else { return nil }
  }

  /// Takes one word or number into the date; false when it is none of the parts or a part twice.
  mutating func readToken(_ token: String, weekday: inout Int?) -> Bool {
    if token.count == 4, let y = Int(token), year == 0 {
      year = y
    } else if let m = Self.months.firstIndex(where: { $0 == token || $0.prefix(3) == token }), month == 0 {
      month = m + 1
    } else if let w = Self.weekdays.firstIndex(where: { $0 == token || $0.prefix(3) == token }), weekday == nil {
      weekday = w
    } else if let o = Self.ordinals.firstIndex(of: token), day == 0 {
      day = o + 1
    } else if let d = Int(token.prefix(while: \.isNumber)), day == 0, token.count <= 4 {
      let suffix = token.drop(while: \.isNumber)
      guard suffix.isEmpty || suffix == Self.suffix(d) else { return false }
      day = d
    } else {
      return false
    }
    return true
  }

  static func suffix(_ d: Int) -> Substring {
    if (11...13).contains(d % 100) { return "th" }
    return [1: "st", 2: "nd", 3: "rd"][d % 10] ?? "th"
  }

  var isLeap: Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

  var isValid: Bool {
    let lengths = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return (1900...2099).contains(year) && (1...12).contains(month) && (1...lengths[month - 1]).contains(day)
  }

  /// 0 for Monday (Sakamoto's method, shifted).
  var weekdayIndex: Int {
    let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
    let y = month < 3 ? year - 1 : year
    let sunday0 = (y + y / 4 - y / 100 + y / 400 + t[month - 1] + day) % 7
    return (sunday0 + 6) % 7
  }
}
