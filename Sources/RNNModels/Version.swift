public enum RNNModelsVersion { public static let string = "0.1.0" }
