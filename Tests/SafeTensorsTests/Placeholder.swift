import XCTest
final class SafeTensorsPlaceholderTests: XCTestCase { func testBuilds() {} }
