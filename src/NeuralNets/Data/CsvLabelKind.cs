namespace NeuralNets.Data;

/// <summary>What the label column of a CSV file holds.</summary>
public enum CsvLabelKind
{
    /// <summary>Class names or class numbers (any text): a classification target, encoded as class indices or one-hot.</summary>
    Category,

    /// <summary>A number per row: a regression target, used as it is.</summary>
    Value,
}
