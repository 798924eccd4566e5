#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One row of a checkpoint listing.
public struct CheckpointSummary: Sendable {
  public var path: String
  public var byteCount: Int
  /// The model, or why the file could not be read.
  public var contents: Result<Info, CheckpointError>

  public struct Info: Sendable {
    public var config: ModelConfig
    public var step: Int?
    public var validationLoss: Float?
    public var bestValidationLoss: Float?
    public var corpusPath: String?
  }
}

/// Listing the checkpoints in a folder, and keeping a rolling set while training.
public enum CheckpointDirectory {
  /// Every `*.safetensors` file in `directory`, sorted by name, each fully validated.
  public static func list(_ directory: String) -> [CheckpointSummary] {
    guard let dir = opendir(directory) else { return [] }
    var names: [String] = []
    while let entry = readdir(dir) {
      // Read the name in place, up to its NUL: copying `d_name` (a 256-byte tuple) reads past the
      // end of a short last entry in readdir's buffer (a heap-buffer-overflow found by ASan).
      let name = String(
        cString: (UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!)
          .assumingMemoryBound(to: CChar.self))
      if name.hasSuffix(".safetensors") && !name.hasPrefix(".") { names.append(name) }
    }
    closedir(dir)
    return names.sorted().map { name in
      let path = (directory.hasSuffix("/") ? directory : directory + "/") + name
      var info = stat()
      let size = stat(path, &info) == 0 ? Int(info.st_size) : 0
      let result = Result { () throws(CheckpointError) -> CheckpointSummary.Info in
        let c = try ModelCheckpoint.load(path: path)
        let whole = (c.training?.validationLosses ?? []).filter { $0.characters == nil }
        return CheckpointSummary.Info(
          config: c.config, step: c.training?.step, validationLoss: whole.last?.loss,
          bestValidationLoss: whole.map(\.loss).min(), corpusPath: c.corpusPath)
      }
      return CheckpointSummary(path: path, byteCount: size, contents: result)
    }
  }
}

/// Saving every K steps while training: keeps the newest `keepLast` files
/// `<directory>/<prefix>-step<NNNNNNN>.safetensors`, and with `keepBest` also
/// `<prefix>-best.safetensors`, replaced whenever the validation loss improves.
public struct CheckpointRotation: Sendable, Equatable {
  public var directory: String
  public var prefix: String
  public var keepLast: Int
  public var keepBest: Bool

  public init(directory: String, prefix: String, keepLast: Int = 3, keepBest: Bool = true) {
    self.directory = directory
    self.prefix = prefix
    self.keepLast = max(1, keepLast)
    self.keepBest = keepBest
  }

  public func path(step: Int) -> String {
    let digits = String(step)
    return join("\(prefix)-step\(String(repeating: "0", count: max(0, 7 - digits.count)))\(digits).safetensors")
  }

  public var bestPath: String { join("\(prefix)-best.safetensors") }

  /// Saves `contents` for `step`, removes rolled-off files, and updates the best copy when
  /// `contents`' latest validation loss is the lowest so far. Returns the paths written and removed.
  @discardableResult
  public func save(_ contents: CheckpointContents, step: Int) throws(CheckpointError) -> (written: [String], removed: [String]) {
    var written = [path(step: step)]
    try ModelCheckpoint.save(contents, to: written[0])
    if keepBest, let history = contents.training?.validationLosses.filter({ $0.characters == nil }),
      let last = history.last, last.loss <= history.map(\.loss).min()!
    {
      try ModelCheckpoint.save(contents, to: bestPath)
      written.append(bestPath)
    }
    let mine = CheckpointDirectory.list(directory).map(\.path).filter {
      $0.hasPrefix(join("\(prefix)-step")) && $0 != bestPath
    }.sorted()
    var removed: [String] = []
    for old in mine.dropLast(keepLast) where unlink(old) == 0 { removed.append(old) }
    return (written, removed)
  }

  private func join(_ name: String) -> String { (directory.hasSuffix("/") ? directory : directory + "/") + name }
}
