/// A corpus `corpus NAME` downloads by name from its well-known URL, and whose size and SHA-256 are
/// checked after every download and on every load from the cache.
public struct KnownCorpus: Sendable, Equatable {
  /// The word after `corpus`.
  public var name: String
  public var url: String
  public var expected: ExpectedFile

  /// char-rnn's tiny Shakespeare (Karpathy, 2015): 40,000 lines of the plays, 1,115,394 bytes.
  public static let tinyShakespeare = KnownCorpus(
    name: "tinyshakespeare",
    url: "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
    expected: ExpectedFile(bytes: 1_115_394, sha256: "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"))

  /// Every known corpus.
  public static let all = [tinyShakespeare]
}
