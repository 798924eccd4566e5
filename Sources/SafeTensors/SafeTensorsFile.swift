/// The contents of one safetensors file: named tensors in order, plus the `__metadata__` string map.
///
/// Invariants: tensor names are unique; `metadata` never holds the reserved checksum key
/// (``ChecksumTable/metadataKey``): the library adds it when writing and consumes it when reading.
///
/// Order: a decoded file lists tensors in data-offset order. Encoding always writes tensors sorted
/// by dtype alignment (descending) and then name, as the reference writer does; see
/// ``encode(checksums:)``.
public struct SafeTensorsFile: Sendable, Equatable {
  public private(set) var tensors: [TensorEntry]
  /// User metadata (string → string). JSON inside a value is fine.
  public var metadata: [String: String]
  /// Whether the tensors were checked against stored CRC-32Cs when decoded (``ChecksumStatus``).
  public internal(set) var checksumStatus: ChecksumStatus = .absent

  private var indexByName: [String: Int]

  public init(tensors: [TensorEntry] = [], metadata: [String: String] = [:]) throws(SafeTensorsError) {
    self.tensors = []
    self.metadata = metadata
    self.indexByName = [:]
    for tensor in tensors { try append(tensor) }
  }

  /// Names in order.
  public var names: [String] { tensors.map(\.name) }

  /// The tensor called `name`, if any.
  public subscript(name: String) -> TensorEntry? {
    indexByName[name].map { tensors[$0] }
  }

  /// The tensor called `name`, or ``SafeTensorsError/tensorNotFound(_:)``.
  public func tensor(named name: String) throws(SafeTensorsError) -> TensorEntry {
    guard let tensor = self[name] else { throw .tensorNotFound(name) }
    return tensor
  }

  /// Adds a tensor at the end; its name must be new.
  public mutating func append(_ tensor: TensorEntry) throws(SafeTensorsError) {
    guard indexByName[tensor.name] == nil else { throw .duplicateTensorName(tensor.name) }
    indexByName[tensor.name] = tensors.count
    tensors.append(tensor)
  }

  /// Removes and returns the tensor called `name`, if any.
  @discardableResult
  public mutating func removeTensor(named name: String) -> TensorEntry? {
    guard let index = indexByName[name] else { return nil }
    let removed = tensors.remove(at: index)
    indexByName = Dictionary(uniqueKeysWithValues: tensors.enumerated().map { ($1.name, $0) })
    return removed
  }

  /// Equal when both hold the same tensors by name (order ignored: the file format is a map, and
  /// the writer reorders tensors, see ``writeOrder``) and the same metadata. ``checksumStatus`` is
  /// not compared. Compare ``names`` too when order matters.
  public static func == (lhs: SafeTensorsFile, rhs: SafeTensorsFile) -> Bool {
    lhs.metadata == rhs.metadata && lhs.tensors.count == rhs.tensors.count
      && lhs.tensors.allSatisfy { rhs[$0.name] == $0 }
  }
}

/// What the reader found out about checksums. ``description`` is a short phrase for the user.
public enum ChecksumStatus: Sendable, Equatable, CustomStringConvertible {
  /// The file carried a CRC-32C for every tensor and all matched.
  case verified(tensorCount: Int)
  /// The file carried no checksums (e.g. written by `safetensors.torch.save_file`), or the value
  /// was built in memory. Tell the user "no checksum"; structure was still fully validated.
  case absent
  /// The file carried checksums but the caller asked not to verify them.
  case notVerified

  public var description: String {
    switch self {
    case .verified(let count): "CRC-32C verified for \(count) tensor\(count == 1 ? "" : "s")"
    case .absent: "no checksum"
    case .notVerified: "checksums present but not verified"
    }
  }
}
