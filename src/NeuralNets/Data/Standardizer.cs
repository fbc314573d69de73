using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Tensors;

namespace NeuralNets.Data;

/// <summary>
/// Standardises features column by column: <c>z = (x − μ) / σ</c>, with μ and σ the mean and the
/// population standard deviation (divided by N, as scikit-learn's <c>StandardScaler</c>) of the training
/// data. Fit it on the training part only, and apply the same one to validation, test and new data.
/// </summary>
/// <remarks>A column that is constant in the training data has σ = 0; it gets σ = 1 instead (it is only
/// centred), so that no division by zero turns it into NaN.</remarks>
public sealed class Standardizer
{
    private readonly double[] _means;
    private readonly double[] _scales;

    /// <summary>A standardiser with given means and scales (one per feature), e.g. read from a file.</summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, a mean is not finite, or a scale is not finite and positive.</exception>
    public Standardizer(IReadOnlyList<double> means, IReadOnlyList<double> scales)
    {
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(scales);
        if (means.Count == 0 || means.Count != scales.Count)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A standardiser needs one mean and one scale per feature; got {means.Count} means and {scales.Count} scales."), nameof(scales));
        for (int i = 0; i < means.Count; i++)
        {
            if (!double.IsFinite(means[i]))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The mean of feature {i} is {means[i]}; it must be finite."), nameof(means));
            if (!(double.IsFinite(scales[i]) && scales[i] > 0))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The scale of feature {i} is {scales[i]}; it must be finite and positive."), nameof(scales));
        }
        _means = means.ToArray();
        _scales = scales.ToArray();
    }

    /// <summary>The training mean of each feature.</summary>
    public IReadOnlyList<double> Means => _means;

    /// <summary>The training standard deviation of each feature (1 for a constant feature).</summary>
    public IReadOnlyList<double> Scales => _scales;

    /// <summary>Number of features.</summary>
    public int FeatureCount => _means.Length;

    /// <summary>Fits on training features of shape <c>[N, F]</c> (N ≥ 1).</summary>
    public static Standardizer Fit<T>(Tensor<T> features) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Rank != 2 || features.Lengths[0] == 0)
            throw new ArgumentException($"A standardiser is fitted on features of shape [N, F] with N ≥ 1, not {TensorMemory.ShapeText(features.Lengths)}.", nameof(features));
        int rows = features.BatchSize(), columns = features.SampleSize();
        var values = features.Span();
        var means = new double[columns];
        var scales = new double[columns];
        var column = new double[rows];
        for (int c = 0; c < columns; c++)
        {
            for (int r = 0; r < rows; r++) column[r] = double.CreateChecked(values[r * columns + c]);
            (means[c], scales[c]) = MeanAndScale(column);
        }
        return new Standardizer(means, scales);
    }

    /// <summary>The mean and the population standard deviation (1 when it is 0), in two passes for accuracy.</summary>
    internal static (double Mean, double Scale) MeanAndScale(ReadOnlySpan<double> column)
    {
        double sum = 0;
        foreach (double x in column) sum += x;
        double mean = sum / column.Length;
        double squares = 0;
        foreach (double x in column) squares += (x - mean) * (x - mean);
        double deviation = Math.Sqrt(squares / column.Length);
        if (!double.IsFinite(mean) || !double.IsFinite(deviation))
            throw new ArgumentException("The features are too large to standardise in double precision.");
        return (mean, deviation > 0 ? deviation : 1);
    }

    /// <summary>Returns standardised copies of <paramref name="features"/>, shape <c>[N, F]</c>.</summary>
    public Tensor<T> Transform<T>(Tensor<T> features) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Rank != 2 || features.Lengths[1] != FeatureCount)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The standardiser was fitted on {FeatureCount} features; the data has shape {TensorMemory.ShapeText(features.Lengths)}."), nameof(features));
        var result = features.Span().ToArray();
        TransformInPlace<T>(result);
        return TensorMemory.Wrap(result, features.Shape());
    }

    /// <summary>Standardises rows of <see cref="FeatureCount"/> values, back to back, in place.</summary>
    public void TransformInPlace<T>(Span<T> rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows.Length % FeatureCount != 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{rows.Length} values are not whole rows of {FeatureCount} features."), nameof(rows));
        for (int start = 0; start < rows.Length; start += FeatureCount)
            for (int c = 0; c < FeatureCount; c++)
                rows[start + c] = T.CreateChecked((double.CreateChecked(rows[start + c]) - _means[c]) / _scales[c]);
    }
}
