using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Tensors;

namespace NeuralNets;

/// <summary>
/// Softmax followed by cross-entropy against integer class labels, fused and numerically stable,
/// as PyTorch's <c>CrossEntropyLoss()</c> on logits:
/// <c>L = (1/N) Σ_n (log Σ_j e^(z_nj) − z_n,y_n)</c>, <c>dL/dz = (softmax(z) − onehot(y)) / N</c>.
/// </summary>
/// <remarks>Targets are a tensor <c>[N]</c> of class indices stored as whole numbers of <typeparamref name="T"/>.
/// The log-sum-exp is shifted by each row's maximum, so logits of magnitude 1000 neither overflow nor lose the loss.</remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class SoftmaxCrossEntropy<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _gradient = new();
    private Tensor<T>? _output;
    private Tensor<T>? _target;

    /// <inheritdoc/>
    public bool TakesClassIndices => true;

    /// <inheritdoc/>
    public T Forward(Tensor<T> output, Tensor<T> target)
    {
        LossChecks.ClassIndices(this, output, target);
        _output = output;
        _target = target;
        int batch = output.BatchSize(), classes = output.SampleSize();
        ReadOnlySpan<T> z = output.Span(), labels = target.Span();
        T total = T.Zero;
        for (int n = 0; n < batch; n++)
        {
            var row = z.Slice(n * classes, classes);
            T max = TensorPrimitives.Max(row);
            T sumExp = T.Zero;
            for (int j = 0; j < classes; j++) sumExp += T.Exp(row[j] - max);
            total += max + T.Log(sumExp) - row[int.CreateTruncating(labels[n])];
        }
        return total / T.CreateChecked(batch);
    }

    /// <inheritdoc/>
    public Tensor<T> Backward()
    {
        var output = _output ?? throw new InvalidOperationException($"{this}: Backward called before Forward.");
        int batch = output.BatchSize(), classes = output.SampleSize();
        var gradient = _gradient.GetLike(output);
        ReadOnlySpan<T> z = output.Span(), labels = _target!.Span();
        var g = gradient.Span();
        T inverseBatch = T.One / T.CreateChecked(batch);
        for (int n = 0; n < batch; n++)
        {
            var row = z.Slice(n * classes, classes);
            var gRow = g.Slice(n * classes, classes);
            TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), gRow);
            TensorPrimitives.Exp(gRow, gRow);
            TensorPrimitives.Multiply(gRow, inverseBatch / TensorPrimitives.Sum<T>(gRow), gRow);
            gRow[int.CreateTruncating(labels[n])] -= inverseBatch;
        }
        return gradient;
    }

    /// <inheritdoc/>
    public override string ToString() => "SoftmaxCrossEntropy()";
}
