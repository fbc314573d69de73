namespace NeuralNets.Data;

/// <summary>What a <see cref="TabularEncoder"/> does with a category of a feature column that the training data did not have.</summary>
public enum UnknownCategoryPolicy
{
    /// <summary>Stop with an <see cref="InvalidDataException"/> naming the file, the line and the column (the default).</summary>
    Throw,

    /// <summary>Encode it as all zeros (no known category is hot), as scikit-learn's <c>handle_unknown="ignore"</c> does.</summary>
    AllZeros,
}
