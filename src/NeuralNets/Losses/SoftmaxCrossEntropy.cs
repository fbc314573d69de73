using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Losses;

/// <summary>
/// Softmax followed by cross-entropy against integer class labels, fused and numerically stable,
/// as PyTorch's <c>CrossEntropyLoss()</c> on logits:
/// <c>L = (1/N) Σ_n (log Σ_j e^(z_nj) − z_n,y_n)</c>, <c>dL/dz = (softmax(z) − onehot(y)) / N</c>.
/// </summary>
/// <remarks>Targets are a tensor <c>[N]</c> of class indices stored as whole numbers of <typeparamref name="T"/>; logits
/// <c>[N, C, H, W]</c> with a label per pixel, and an ignored label, take <see cref="CrossEntropy{T}"/>.
/// The log-sum-exp is shifted by each row's maximum, so logits of magnitude 1000 neither overflow nor lose the loss.
/// Gradient entries below the smallest normal number (classes some 708 below the row's best in double, 87 in float)
/// are flushed to zero, as <see cref="Layers.Sigmoid{T}"/>'s outputs are, so that no subnormals slow the layers below;
/// PyTorch keeps them (<see cref="CrossEntropy{T}"/> does too).</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class SoftmaxCrossEntropy<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _gradient = new();
    private readonly TensorBuffer<T> _exponentials = new();
    private readonly TensorBuffer<T> _rowSums = new();
    private readonly TensorBuffer<T> _rowMaxima = new();
    private readonly TensorBuffer<T> _rowLogSums = new();
    private Tensor<T>? _output;
    private Tensor<T>? _target;

    /// <summary>Creates the loss. The first one of its element type in a process starts compiling its passes on another core.</summary>
    public SoftmaxCrossEntropy() => LossRehearsal.QueueSoftmaxCrossEntropy<T>();

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public T Forward(Tensor<T> output, Tensor<T> target)
    {
        LossChecks.ClassIndices(this, output, target);
        _output = output;
        _target = target;
        int batch = output.BatchSize(), classes = output.SampleSize();
        ReadOnlySpan<T> z = output.Span(), labels = target.Span();
        // Keep e^(z − max) and its row sums: Backward needs exactly these.
        var exponentials = _exponentials.GetLike(output).Span();
        var sums = _rowSums.Get(batch, []).Span();
        var maxima = _rowMaxima.Get(batch, []).Span();
        // Short rows (ten classes) a vector of rows at a time, each lane one row's chain in its order.
        if (classes < ShortRow) ShortRowReductions.MaximaAndShifted<T>(z, classes, maxima, exponentials);
        else
        {
            for (int n = 0; n < batch; n++)
            {
                var row = z.Slice(n * classes, classes);
                maxima[n] = TensorPrimitives.Max(row);
                TensorPrimitives.Subtract(row, maxima[n], exponentials.Slice(n * classes, classes));
            }
        }
        // One exponential over the whole batch: a row of ten classes alone is too short to vectorise.
        Exponential.Compute<T>(exponentials, exponentials);
        if (classes < ShortRow) ShortRowReductions.Sums<T>(exponentials, classes, sums);
        else for (int n = 0; n < batch; n++) sums[n] = FixedSum.Sum<T>(exponentials.Slice(n * classes, classes));
        var logSums = _rowLogSums.Get(batch, []).Span();
        // All the rows' logarithms at once, a vector of them at a time: one at a time, each was a chain of dependent steps.
        Logarithm.Compute<T>(sums, logSums);
        T total = T.Zero;
        for (int n = 0; n < batch; n++) total += maxima[n] + logSums[n] - z[n * classes + int.CreateTruncating(labels[n])];
        return total / T.CreateChecked(batch);
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward()
    {
        var output = _output ?? throw PassOrder.BackwardBeforeForward(this);
        int batch = output.BatchSize(), classes = output.SampleSize();
        var gradient = _gradient.GetLike(output);
        ReadOnlySpan<T> labels = _target!.Span(), sums = _rowSums.Get(batch, []).Span();
        ReadOnlySpan<T> exponentials = _exponentials.GetLike(output).Span();
        var g = gradient.Span();
        T inverseBatch = T.One / T.CreateChecked(batch);
        if (classes < ShortRow) ShortRowReductions.ScaledByInverseSums<T>(exponentials, classes, sums, inverseBatch, g);
        else
        {
            for (int n = 0; n < batch; n++)
                TensorPrimitives.Multiply(exponentials.Slice(n * classes, classes), inverseBatch / sums[n], g.Slice(n * classes, classes));
        }
        for (int n = 0; n < batch; n++) g[n * classes + int.CreateTruncating(labels[n])] -= inverseBatch;
        // Classes far below the best one give subnormal probabilities; they would slow every layer below.
        Elementwise.FlushSubnormals(g);
        return gradient;
    }

    /// <inheritdoc/>
    public override string ToString() => "SoftmaxCrossEntropy()";

    // Rows shorter than this (ten classes) go through ShortRowReductions: a TensorPrimitives call per row of
    // ten costs more in setting up than in arithmetic, and a batch of 64 makes 200 such calls.
    private const int ShortRow = 16;
}
