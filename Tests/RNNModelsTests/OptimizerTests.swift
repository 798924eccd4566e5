import Foundation
import RNNModels
import TestSupport
import XCTest

/// Every update rule, both clipping modes and the schedules against `torch.optim` values in
/// `Fixtures/optimizers.json` (scripts/python/make_fixtures.py).
final class OptimizerTests: XCTestCase {
  func testUpdateRulesMatchTorchOptim() throws {
    let json = try Fixtures.json("optimizers.json")
    let p0 = Fixtures.floats(json["p0"])
    let grads = (json["grads"] as! [Any]).map { Fixtures.floats($0) }
    for run in json["runs"] as! [[String: Any]] {
      let name = run["name"] as! String
      let o = run["options"] as! [String: Any]
      func num(_ k: String) -> Float? { (o[k] as? NSNumber).map { Float($0.doubleValue) } }
      let betas = (o["betas"] as? [NSNumber])?.map { Float($0.doubleValue) }
      let kind: OptimizerConfig.Kind =
        name.hasPrefix("sgd")
        ? .sgd
        : name.hasPrefix("adagrad")
          ? .adagrad
          : name.hasPrefix("rmsprop")
            ? .rmsprop
            : name == "adamw" ? .adamw : .adam
      let config = OptimizerConfig(
        kind: kind, momentum: num("momentum") ?? 0, nesterov: (o["nesterov"] as? Bool) ?? false,
        alpha: num("alpha") ?? 0.99, beta1: betas?[0] ?? 0.9, beta2: betas?[1] ?? 0.999, epsilon: num("eps"),
        weightDecay: num("weight_decay") ?? (kind == .adamw ? 0.01 : 0))
      var state = OptimizerState(config: config, parameterCount: p0.count)
      var p = p0
      for (k, expected) in (run["after"] as! [Any]).map({ Fixtures.floats($0) }).enumerated() {
        var g = grads[k]
        p.withUnsafeMutableBufferPointer { pp in
          g.withUnsafeMutableBufferPointer { gg in
            Optimizer.step(
              config: config, state: &state, lr: num("lr")!, parameters: pp.baseAddress!, gradients: gg.baseAddress!,
              count: pp.count)
          }
        }
        // A few float32 ulps: PyTorch fuses some operations (addcmul/addcdiv) differently.
        let err = maxRelativeError(p, expected, floor: 0.1)
        XCTAssertLessThanOrEqual(err, 4e-6, "\(name) step \(k)")
      }
      XCTAssertEqual(state.step, grads.count)
    }
  }

  func testClippingMatchesTorch() throws {
    let clip = try Fixtures.json("optimizers.json")["clip"] as! [String: Any]
    let g = Fixtures.floats(clip["grads"])
    var byNorm = g
    let norm = byNorm.withUnsafeMutableBufferPointer {
      GradientClipping.norm(Float((clip["max_norm"] as! NSNumber).doubleValue)).apply(to: $0.baseAddress!, count: $0.count)
    }
    XCTAssertEqual(norm, Float((clip["total_norm"] as! NSNumber).doubleValue), accuracy: 1e-5)
    XCTAssertLessThanOrEqual(maxRelativeError(byNorm, Fixtures.floats(clip["after_norm_clip"]), floor: 1e-3), 1e-6)
    var byValue = g
    byValue.withUnsafeMutableBufferPointer {
      _ = GradientClipping.value(Float((clip["clip_value"] as! NSNumber).doubleValue)).apply(to: $0.baseAddress!, count: $0.count)
    }
    XCTAssertEqual(byValue, Fixtures.floats(clip["after_value_clip"]))
  }

  /// Two buffers clipped as one vector (the classifier's body and head): the same global norm and
  /// the same clipped values as `torch.nn.utils.clip_grad_norm_` over both, at every split point.
  func testClippingTwoBuffersAsOneMatchesTorch() throws {
    let clip = try Fixtures.json("optimizers.json")["clip"] as! [String: Any]
    let g = Fixtures.floats(clip["grads"])
    let maxNorm = Float((clip["max_norm"] as! NSNumber).doubleValue)
    let expected = Fixtures.floats(clip["after_norm_clip"])
    XCTAssertGreaterThan(Float((clip["total_norm"] as! NSNumber).doubleValue), maxNorm, "the fixture must clip")
    for split in [1, 7, 8, g.count / 2, g.count - 1] {
      var first = Array(g[..<split]), second = Array(g[split...])
      let norm = first.withUnsafeMutableBufferPointer { a in
        second.withUnsafeMutableBufferPointer { b in
          GradientClipping.norm(maxNorm).apply(to: a.baseAddress!, count: a.count, and: b.baseAddress!, count: b.count)
        }
      }
      XCTAssertEqual(norm, Float((clip["total_norm"] as! NSNumber).doubleValue), accuracy: 1e-5, "split \(split)")
      XCTAssertLessThanOrEqual(maxRelativeError(first + second, expected, floor: 1e-3), 1e-6, "split \(split)")
    }
  }

  func testSchedulesMatchTorch() throws {
    let s = try Fixtures.json("optimizers.json")["schedules"] as! [String: Any]
    let base = Float((s["base_lr"] as! NSNumber).doubleValue)
    func lrs(_ key: String) -> [Float] { Fixtures.floats((s[key] as! [String: Any])["lr"]) }
    let step = s["step_lr"] as! [String: Any]
    let cos = s["warmup_cosine"] as! [String: Any]
    let cases: [(String, LearningRateSchedule)] = [
      ("step_lr", .step(every: (step["step_size"] as! NSNumber).intValue, gamma: Float((step["gamma"] as! NSNumber).doubleValue))),
      ("exponential_lr", .exponential(gamma: Float(((s["exponential_lr"] as! [String: Any])["gamma"] as! NSNumber).doubleValue))),
      ("warmup_cosine", .cosine(warmup: (cos["warmup"] as! NSNumber).intValue, total: (cos["total"] as! NSNumber).intValue, floor: 0)),
    ]
    for (key, schedule) in cases {
      for (k, expected) in lrs(key).enumerated() {
        XCTAssertEqual(schedule.rate(base: base, update: k), expected, accuracy: 1e-7, "\(key) at \(k)")
      }
    }
  }
}
