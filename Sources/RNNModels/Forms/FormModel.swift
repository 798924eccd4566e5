import NumericCore

/// A model of the lecture's other RNN forms (``ConditionalGenerator``, ``SequenceTagger``): a
/// recurrent ``LanguageModel`` body plus one flat buffer of the form's own parameters, trained
/// together by ``FormTrainer`` (Adam over both groups, one global clipping norm).
public protocol FormModel: AnyObject {
  /// The recurrent body (its cells, kernels, forward and backward).
  var body: LanguageModel { get }
  /// How many of the body's parameters are trained (the tagger leaves the decoder out).
  var bodyCount: Int { get }
  /// The form's own parameters (the generator's label columns, the tagger's head).
  var extra: FloatBuffer { get }
  /// Accumulated gradients of the body (its layout, first `bodyCount` used) and of `extra`.
  var bodyGradients: FloatBuffer { get }
  var extraGradients: FloatBuffer { get }
}

extension FormModel {
  /// Trainable parameters.
  public var parameterCount: Int { bodyCount + extra.count }

  /// Sets the accumulated gradients to zero.
  public func zeroGradients() {
    bodyGradients.zero()
    extraGradients.zero()
  }

  /// Adds `scale ×` the body's last backward (its `gradients`, first `bodyCount`) into `bodyGradients`.
  func accumulateBodyGradients(scale: Float) {
    BLAS.axpy(count: bodyCount, alpha: scale, x: body.gradients.pointer, y: bodyGradients.pointer)
  }

  /// A workspace for `batch` streams of `steps` characters, cached in `cache` (at most 64 kept).
  static func workspace(_ cache: inout [Int: Workspace], config: ModelConfig, batch: Int, steps: Int) -> Workspace {
    let key = steps &* 4099 &+ batch
    if let ws = cache[key], ws.batch == batch, ws.steps == steps { return ws }
    let ws = Workspace(config: config, batch: batch, steps: steps)
    if cache.count > 64 { cache.removeAll() }
    cache[key] = ws
    return ws
  }
}
