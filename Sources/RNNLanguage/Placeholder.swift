public enum RNNLanguagePlaceholder {}
