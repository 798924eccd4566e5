import RNNDownload

/// The options of `corpus` that name text on the web instead of a file: `url "https://…"`, or the
/// name of a known corpus (`tinyshakespeare`). Either is downloaded once into the cache folder
/// (`$RNN_CACHE`, else `~/.cache/rnn`) and then read like a file, with every other option of
/// `corpus`.
struct CorpusDownloadOptions: CommandParameters {
  let url = ParameterKey<String?>.option(
    "url", .string,
    "Download the text from this http or https URL (once: later loads read the cached copy), then load it like a file.")
  let tinyshakespeare = ParameterKey<Bool>.option(
    "tinyshakespeare", .bool, default: false,
    "Download (once) char-rnn's tiny Shakespeare, 1,115,394 bytes, checked against its SHA-256; with RNN_TINYSHAKESPEARE=PATH read that copy instead (same check, no download)."
  )
}

extension Interpreter {
  /// The file `corpus` reads: PATH as given, or the cached download of `url` or of a known
  /// corpus (fetched first when the cache has no good copy; its size and SHA-256 are shown).
  func corpusPath(_ arguments: Arguments<CorpusParameters>) throws(InterpreterError) -> String {
    let known = arguments[\.download.tinyshakespeare] ? KnownCorpus.tinyShakespeare : nil
    let url = arguments[\.download.url]
    let given = [arguments[\.path] != nil, url != nil, known != nil].filter { $0 }.count
    guard given == 1 else {
      throw arguments.error(
        given == 0
          ? "'corpus' needs a PATH, a `url \"https://…\"` or a known corpus (tinyshakespeare)"
          : "give one of PATH, `url` and `tinyshakespeare`",
        at: arguments.has(\.download.url) ? \.download.url : \.path, kind: .invalid)
    }
    if let paths = arguments[\.path] {
      guard !paths.isEmpty else { throw arguments.error("the list of files is empty", at: \.path, kind: .invalid) }
      if let blank = paths.firstIndex(where: \.isEmpty) {
        throw arguments.error("entry \(blank + 1) of the list is an empty path", at: \.path, kind: .invalid)
      }
      return Self.corpusLabel(paths)
    }
    let address = known?.url ?? url!
    let local = known.flatMap { settings.download.localCopies[$0.name] }
    let file: DownloadedFile
    do throws(DownloadError) {
      let downloader = Downloader(policy: settings.download)
      if let known, let local {
        file = try downloader.localCopy(local, of: known)
      } else {
        file = try downloader.fetch(address, expected: known?.expected, shouldStop: shouldStop, note: { warn($0) })
      }
    } catch {
      throw arguments.error(
        error.description, at: known == nil ? \.download.url : \.download.tinyshakespeare,
        kind: error == .interrupted ? .interrupted : .runtime)
    }
    let record = file.record
    let whence: String
    if let known, local != nil {
      whence = "local copy \(known.localCopyVariable)=\(file.path)"
    } else {
      whence = file.fromCache ? "cached: \(file.path)" : "downloaded to \(file.path)"
    }
    say("\(record.url): \(Formatting.count(Int(record.bytes))) bytes, SHA-256 \(record.sha256) (\(whence))")
    return file.path
  }
}
