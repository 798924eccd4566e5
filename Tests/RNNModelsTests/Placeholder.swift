import XCTest
final class RNNModelsPlaceholderTests: XCTestCase { func testBuilds() {} }
