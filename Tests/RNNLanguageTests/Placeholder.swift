import XCTest
final class RNNLanguagePlaceholderTests: XCTestCase { func testBuilds() {} }
