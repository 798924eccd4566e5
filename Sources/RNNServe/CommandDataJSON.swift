import Foundation
import RNNInterpreter
import RNNModels

/// The numbers a command recorded (``CommandData``) as the JSON the API answers with. Layers are
/// counted from 1, as the language counts them; a number that is not finite becomes null.
extension CommandData {
  var json: [String: Any] {
    switch self {
    case .activations(let d):
      return [
        "title": d.title, "text": d.text, "raw": d.raw.map { jsonNumber(Double($0)) }, "shades": d.shades.map(jsonNumber),
      ]
    case .saturation(let d):
      return [
        "model": d.model, "cell": d.cell, "label": d.label, "characters": d.characters, "hidden": d.hidden,
        "rows": d.rows.map(\.json),
      ]
    case .gradients(let d):
      return [
        "label": d.label, "steps": d.steps,
        "curves": d.curves.map {
          ["model": $0.model, "cell": $0.cell, "norms": $0.norms.map(jsonNumber), "samples": $0.samples] as [String: Any]
        },
      ]
    case .cells(let d):
      return [
        "model": d.model, "property": d.property, "label": d.label, "characters": d.characters,
        "units": d.units.map {
          ["layer": $0.layer + 1, "unit": $0.unit, "series": $0.series, "r": jsonNumber($0.correlation)] as [String: Any]
        },
      ]
    case .classifications(let list):
      return [
        "results": list.map { c -> [String: Any] in
          [
            "text": c.text, "label": c.labels.first ?? "",
            "probabilities": zip(c.labels, c.probabilities).map { ["label": $0, "p": jsonNumber($1)] as [String: Any] },
          ]
        }
      ]
    case .translations(let list):
      return [
        "results": list.map {
          ["text": $0.text, "translation": $0.translation, "log_probability": jsonNumber($0.logProbability)] as [String: Any]
        }
      ]
    case .tags(let t):
      return ["text": t.text, "tags": t.tags, "best": t.best, "tagged": t.tagged.map(jsonNumber)]
    case .words(let list):
      return ["words": list.map { ["label": $0.label, "words": $0.words] as [String: Any] }]
    }
  }
}

extension GateSaturation {
  var json: [String: Any] {
    [
      "layer": layer + 1, "gate": gate, "tanh": isTanh, "left": jsonNumber(left), "right": jsonNumber(right),
      "mean": jsonNumber(mean), "mostly_left": mostlyLeftUnits, "mostly_right": mostlyRightUnits,
      "units_left": unitLeft.map(jsonNumber), "units_right": unitRight.map(jsonNumber),
    ]
  }
}

/// `x` for JSON: null when it is not finite (JSON has no NaN or infinity).
func jsonNumber(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
