import RNNLanguage
import XCTest

final class SuggestionTests: XCTestCase {
  func testEditDistance() {
    XCTAssertEqual(Suggestions.editDistance("", "abc"), 3)
    XCTAssertEqual(Suggestions.editDistance("sed", "seed"), 1)
    XCTAssertEqual(Suggestions.editDistance("kitten", "sitting"), 3)
    XCTAssertEqual(Suggestions.editDistance("trian", "train"), 1)  // transposition
    XCTAssertEqual(Suggestions.editDistance("same", "same"), 0)
  }

  func testDidYouMean() {
    let options = ["steps", "seq", "batch", "lr", "clip", "every", "seed", "temperature"]
    XCTAssertEqual(Suggestions.didYouMean("sed", among: options), "seed")
    XCTAssertEqual(Suggestions.didYouMean("temprature", among: options), "temperature")
    XCTAssertEqual(Suggestions.didYouMean("Batch", among: options), "batch")
    XCTAssertEqual(Suggestions.didYouMean("trian", among: ["train", "sample", "eval"]), "train")
    XCTAssertNil(Suggestions.didYouMean("xyzzy", among: options))
    XCTAssertNil(Suggestions.didYouMean("steps", among: ["steps"]))
    // Ties resolve alphabetically, whatever the order of the candidates.
    XCTAssertEqual(Suggestions.didYouMean("lt", among: ["ls", "lr"]), "lr")
    XCTAssertEqual(Suggestions.didYouMean("lt", among: ["lr", "ls"]), "lr")
  }
}
