using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Losses;

/// <summary>
/// Softmax cross-entropy against class indices with class weights, label smoothing and an ignored index, as PyTorch's
/// <c>CrossEntropyLoss(weight=w, label_smoothing=ε, ignore_index=i)</c> with mean reduction, weighted mean included:
/// with log-probabilities <c>ℓ = log_softmax(z)</c> and <c>W = Σ_n w[y_n]</c>,
/// <c>L = (1 − ε)·Σ_n w[y_n]·(−ℓ[n, y_n])/W + (ε/C)·Σ_n Σ_c w[c]·(−ℓ[n, c])/W</c>, every sum over n taken over the
/// targets that are not ignored.
/// </summary>
/// <remarks>
/// <para>The gradient is <c>dL/dz[n, j] = (p[n, j]·S_n − (1 − ε)·w[y_n]·[j = y_n] − (ε/C)·w[j])/W</c> with
/// <c>S_n = (1 − ε)·w[y_n] + (ε/C)·Σ_c w[c]</c>, and 0 for an ignored target. Without weights, smoothing, ignored index and
/// positions this is <see cref="SoftmaxCrossEntropy{T}"/>, which is faster for that case.</para>
/// <para>Targets are class indices stored as whole numbers of <typeparamref name="T"/> in [0, C): for logits <c>[N, C]</c> a
/// tensor <c>[N]</c> (or <c>[N, 1]</c>); for logits <c>[N, C, d1, …]</c> (a segmentation's <c>[N, C, H, W]</c>) a tensor
/// <c>[N, d1, …]</c>, the softmax taken over the class axis at each position and the mean over all N·d1·… positions, as
/// PyTorch's K-dimensional loss. A label equal to the ignored index (null by default: none, and labels outside [0, C) are
/// refused; PyTorch's default is −100) adds nothing to the loss, to <c>W</c> or to the gradient, the smoothing term
/// included, as PyTorch 1.13 computes it. All-zero weights on the labels, or every label ignored, give 0/0 = NaN, as in PyTorch.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class CrossEntropy<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[]? _weights;
    private readonly TensorBuffer<T> _gradient = new();
    private double[] _probabilities = [];
    private double[] _maxima = [], _sums = [], _logSums = [];
    private double _weightTotal;
    private int _positions;
    private Tensor<T>? _output;
    private Tensor<T>? _target;

    /// <summary>Creates the loss.</summary>
    /// <param name="classWeights">One weight per class, finite and non-negative; null for all ones.</param>
    /// <param name="labelSmoothing">ε in [0, 1]: the share of the target spread evenly over all classes.</param>
    /// <param name="ignoreIndex">A label that marks a target to leave out (PyTorch's <c>ignore_index</c>, whose default is −100); null for none.</param>
    public CrossEntropy(IReadOnlyList<double>? classWeights = null, double labelSmoothing = 0, int? ignoreIndex = null)
    {
        if (!(labelSmoothing is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), string.Create(CultureInfo.InvariantCulture, $"Label smoothing must be in [0, 1], but was {labelSmoothing}."));
        _weights = LossChecks.ClassWeights(classWeights);
        LabelSmoothing = labelSmoothing;
        IgnoreIndex = ignoreIndex;
        LossRehearsal.QueueCrossEntropy<T>(classWeights, labelSmoothing);
    }

    /// <summary>ε, the share of the target spread evenly over all classes.</summary>
    public double LabelSmoothing { get; }

    /// <summary>The class weights, or null when every class weighs 1.</summary>
    public IReadOnlyList<double>? ClassWeights => _weights;

    /// <summary>The label that marks a target to leave out, or null when every label counts.</summary>
    public int? IgnoreIndex { get; }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public T Forward(Tensor<T> output, Tensor<T> target)
    {
        int positions = LossChecks.ClassIndices(this, output, target, IgnoreIndex);
        int batch = output.BatchSize(), classes = checked((int)output.Lengths[1]), length = checked((int)output.FlattenedLength);
        if (_weights is not null && _weights.Length != classes)
            throw WeightsDoNotFit(classes);
        (_output, _target, _positions) = (output, target, positions);
        if (_probabilities.Length < length) _probabilities = new double[length];
        if (_maxima.Length < positions) (_maxima, _sums, _logSums) = (new double[positions], new double[positions], new double[positions]);
        ReadOnlySpan<T> z = output.Span(), labels = target.Span();
        Span<double> maxima = _maxima.AsSpan(0, positions), sums = _sums.AsSpan(0, positions), logSums = _logSums.AsSpan(0, positions);
        double smoothing = LabelSmoothing / classes, weightTotal = 0, nll = 0, smooth = 0;
        for (int n = 0; n < batch; n++)
        {
            // Class by class over all the sample's positions at once (one position for [N, C]): each position's maximum,
            // sum and division still run over the classes in order.
            int sample = n * classes * positions;
            var zs = z.Slice(sample, classes * positions);
            var p = _probabilities.AsSpan(sample, classes * positions);
            maxima.Fill(double.NegativeInfinity);
            for (int c = 0; c < classes; c++)
                for (int q = 0; q < positions; q++) maxima[q] = Math.Max(maxima[q], double.CreateTruncating(zs[c * positions + q]));
            sums.Clear();
            for (int c = 0; c < classes; c++)
                for (int q = 0; q < positions; q++) sums[q] += p[c * positions + q] = Exponential.Of(double.CreateTruncating(zs[c * positions + q]) - maxima[q]);
            for (int q = 0; q < positions; q++) logSums[q] = maxima[q] + Logarithm.Of(sums[q]);
            for (int c = 0; c < classes; c++)
                for (int q = 0; q < positions; q++) p[c * positions + q] /= sums[q];
            for (int q = 0; q < positions; q++)
            {
                T label = labels[n * positions + q];
                if (IsIgnored(label)) continue;
                int y = int.CreateTruncating(label);
                double labelWeight = Weight(y);
                weightTotal += labelWeight;
                nll += labelWeight * (logSums[q] - double.CreateTruncating(zs[y * positions + q]));
                if (LabelSmoothing != 0)
                    for (int c = 0; c < classes; c++) smooth += Weight(c) * (logSums[q] - double.CreateTruncating(zs[c * positions + q]));
            }
        }
        _weightTotal = weightTotal;
        // All-zero weights on the batch's labels, or every label ignored, give 0/0 = NaN, as in PyTorch.
        return T.CreateTruncating(((1 - LabelSmoothing) * nll + smoothing * smooth) / weightTotal);
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward()
    {
        var output = _output ?? throw PassOrder.BackwardBeforeForward(this);
        int batch = output.BatchSize(), classes = checked((int)output.Lengths[1]), positions = _positions;
        double smoothing = LabelSmoothing / classes, allWeights = 0;
        for (int c = 0; c < classes; c++) allWeights += Weight(c);
        var gradient = _gradient.GetLike(output);
        Span<T> g = gradient.Span();
        ReadOnlySpan<T> labels = _target!.Span();
        for (int n = 0; n < batch; n++)
        {
            int sample = n * classes * positions;
            for (int q = 0; q < positions; q++)
            {
                T label = labels[n * positions + q];
                if (IsIgnored(label))
                {
                    for (int c = 0; c < classes; c++) g[sample + c * positions + q] = T.Zero;
                    continue;
                }
                int y = int.CreateTruncating(label);
                double labelShare = (1 - LabelSmoothing) * Weight(y);
                double total = labelShare + smoothing * allWeights;
                for (int c = 0; c < classes; c++)
                {
                    int at = sample + c * positions + q;
                    double target = smoothing * Weight(c) + (c == y ? labelShare : 0);
                    g[at] = T.CreateTruncating((_probabilities[at] * total - target) / _weightTotal);
                }
            }
        }
        return gradient;
    }

    private bool IsIgnored(T label) => IgnoreIndex is { } ignored && label == T.CreateTruncating(ignored);

    private double Weight(int c) => _weights is null ? 1 : _weights[c];

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"CrossEntropy(labelSmoothing={LabelSmoothing}{LossText.Settings(_weights, IgnoreIndex)})");

    // Built apart, so that the pass, compiled fully optimised (HotPath), does not carry its formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ArgumentException WeightsDoNotFit(int classes) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{this}: {_weights!.Length} class weights for {classes} classes."), "output");
}
