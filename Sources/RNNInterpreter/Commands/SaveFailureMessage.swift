import RNNModels

extension CheckpointError {
  /// The message for a failed `save` or rolling checkpoint: the file system's own sentence when it
  /// has one (it names the path, the step that failed and the reason, and says that the existing
  /// file is unchanged), else `cannot save: PATH: reason`.
  var saveMessage: String {
    let text = description
    return text.hasPrefix("cannot save") || text.hasPrefix("saved") ? text : "cannot save: \(text)"
  }
}
