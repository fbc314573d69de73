using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Losses;

/// <summary>
/// Softmax cross-entropy against class indices with class weights and label smoothing, as PyTorch's
/// <c>CrossEntropyLoss(weight=w, label_smoothing=ε)</c> with mean reduction, weighted mean included:
/// with log-probabilities <c>ℓ = log_softmax(z)</c> and <c>W = Σ_n w[y_n]</c>,
/// <c>L = (1 − ε)·Σ_n w[y_n]·(−ℓ[n, y_n])/W + (ε/C)·Σ_n Σ_c w[c]·(−ℓ[n, c])/W</c>.
/// </summary>
/// <remarks>
/// The gradient is <c>dL/dz[n, j] = (p[n, j]·S_n − (1 − ε)·w[y_n]·[j = y_n] − (ε/C)·w[j])/W</c> with
/// <c>S_n = (1 − ε)·w[y_n] + (ε/C)·Σ_c w[c]</c>. Without weights and smoothing this is <see cref="SoftmaxCrossEntropy{T}"/>,
/// which is faster for that case.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class CrossEntropy<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[]? _weights;
    private readonly TensorBuffer<T> _gradient = new();
    private double[] _probabilities = [];
    private double _weightTotal;
    private Tensor<T>? _output;
    private Tensor<T>? _target;

    /// <summary>Creates the loss.</summary>
    /// <param name="classWeights">One weight per class, finite and non-negative; null for all ones.</param>
    /// <param name="labelSmoothing">ε in [0, 1]: the share of the target spread evenly over all classes.</param>
    public CrossEntropy(IReadOnlyList<double>? classWeights = null, double labelSmoothing = 0)
    {
        if (!(labelSmoothing is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), string.Create(CultureInfo.InvariantCulture, $"Label smoothing must be in [0, 1], but was {labelSmoothing}."));
        _weights = LossChecks.ClassWeights(classWeights);
        LabelSmoothing = labelSmoothing;
        LossRehearsal.QueueCrossEntropy<T>(classWeights, labelSmoothing);
    }

    /// <summary>ε, the share of the target spread evenly over all classes.</summary>
    public double LabelSmoothing { get; }

    /// <summary>The class weights, or null when every class weighs 1.</summary>
    public IReadOnlyList<double>? ClassWeights => _weights;

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public T Forward(Tensor<T> output, Tensor<T> target)
    {
        LossChecks.ClassIndices(this, output, target);
        int batch = output.BatchSize(), classes = output.SampleSize();
        if (_weights is not null && _weights.Length != classes)
            throw WeightsDoNotFit(classes);
        (_output, _target) = (output, target);
        if (_probabilities.Length < batch * classes) _probabilities = new double[batch * classes];
        ReadOnlySpan<T> z = output.Span(), labels = target.Span();
        double smoothing = LabelSmoothing / classes, weightTotal = 0, nll = 0, smooth = 0;
        for (int n = 0; n < batch; n++)
        {
            var row = z.Slice(n * classes, classes);
            var p = _probabilities.AsSpan(n * classes, classes);
            double maximum = double.NegativeInfinity;
            foreach (var v in row) maximum = Math.Max(maximum, double.CreateTruncating(v));
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += p[c] = Exponential.Of(double.CreateTruncating(row[c]) - maximum);
            double logSum = maximum + Logarithm.Of(sum);
            for (int c = 0; c < classes; c++) p[c] /= sum;
            int label = int.CreateTruncating(labels[n]);
            double labelWeight = Weight(label);
            weightTotal += labelWeight;
            nll += labelWeight * (logSum - double.CreateTruncating(row[label]));
            if (LabelSmoothing != 0)
                for (int c = 0; c < classes; c++) smooth += Weight(c) * (logSum - double.CreateTruncating(row[c]));
        }
        _weightTotal = weightTotal;
        // All-zero weights on the batch's labels give 0/0 = NaN, as in PyTorch.
        return T.CreateTruncating(((1 - LabelSmoothing) * nll + smoothing * smooth) / weightTotal);
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward()
    {
        var output = _output ?? throw PassOrder.BackwardBeforeForward(this);
        int batch = output.BatchSize(), classes = output.SampleSize();
        double smoothing = LabelSmoothing / classes, allWeights = 0;
        for (int c = 0; c < classes; c++) allWeights += Weight(c);
        var gradient = _gradient.GetLike(output);
        Span<T> g = gradient.Span();
        ReadOnlySpan<T> labels = _target!.Span();
        for (int n = 0; n < batch; n++)
        {
            int label = int.CreateTruncating(labels[n]);
            double labelShare = (1 - LabelSmoothing) * Weight(label);
            double total = labelShare + smoothing * allWeights;
            var p = _probabilities.AsSpan(n * classes, classes);
            for (int c = 0; c < classes; c++)
            {
                double target = smoothing * Weight(c) + (c == label ? labelShare : 0);
                g[n * classes + c] = T.CreateTruncating((p[c] * total - target) / _weightTotal);
            }
        }
        return gradient;
    }

    private double Weight(int c) => _weights is null ? 1 : _weights[c];

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"CrossEntropy(labelSmoothing={LabelSmoothing}{(_weights is null ? "" : ", classWeights=[" + string.Join(", ", _weights.Select(w => w.ToString(CultureInfo.InvariantCulture))) + "]")})");

    // Built apart, so that the pass, compiled fully optimised (HotPath), does not carry its formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ArgumentException WeightsDoNotFit(int classes) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{this}: {_weights!.Length} class weights for {classes} classes."), "output");
}
