using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Global average pooling: the mean of each channel's plane, <c>[N, C, H, W] → [N, C]</c>, as PyTorch's
/// <c>AdaptiveAvgPool2d(1)</c> followed by <c>Flatten()</c> and Keras's <c>GlobalAveragePooling2D()</c>.
/// </summary>
/// <remarks>
/// The output is flat (<c>[C]</c> per sample, not <c>[C, 1, 1]</c>) because the layer's one use is the head of a
/// convolutional network, where a <see cref="Dense{T}"/> follows; <c>[C, 1, 1]</c> would only make every network add
/// a Flatten. Exported to ONNX as GlobalAveragePool followed by Flatten.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class GlobalAvgPool2D<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private double[] _sums = [];  // each plane's sum, in the forward pass

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; } = [];

    /// <summary>A copy with buffers of its own (the layer has no settings).</summary>
    public ILayer<T> CreateInferenceCopy() => new GlobalAvgPool2D<T>();

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Lengths[2] == 0 || input.Lengths[3] == 0)
            throw new ShapeMismatchException(ToString(), "[N, C, H, W] with H, W ≥ 1", input.Shape());
        _input = input;
        int batch = input.BatchSize(), channels = (int)input.Lengths[1], plane = (int)(input.Lengths[2] * input.Lengths[3]);
        var output = _output.Get(batch, [channels]);
        ReadOnlySpan<T> x = input.Span();
        Span<T> y = output.Span();
        // Summed in double: a plane's values cancel (a mean near zero of values near ±1), and a float sum would lose
        // the mean's leading digits; the sum is then rounded once. Each plane's values in order, as one plane alone is
        // summed, with several planes' sums side by side (ChannelRows.AddPlanes: one sample of batch × channels planes).
        int planes = batch * channels;
        if (_sums.Length < planes) _sums = new double[planes];
        Span<double> sums = _sums.AsSpan(0, planes);
        sums.Clear();
        ChannelRows.AddPlanes(x, 1, planes, plane, 0, planes, sums);
        for (int p = 0; p < planes; p++) y[p] = T.CreateTruncating(sums[p] / plane);
        return output;
    }

    // dx[n, c, i, j] = dy[n, c] / (H·W)
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw PassOrder.BackwardBeforeForward(this);
        int batch = input.BatchSize(), channels = (int)input.Lengths[1], plane = (int)(input.Lengths[2] * input.Lengths[3]);
        if (outputGradient.Rank != 2 || outputGradient.Lengths[0] != batch || outputGradient.Lengths[1] != channels)
            throw PassShapes.GradientNot(this, outputGradient, batch, channels);
        var inputGradient = _inputGradient.GetLike(input);
        Span<T> dx = inputGradient.Span();
        ReadOnlySpan<T> dy = outputGradient.Span();
        T scale = T.One / T.CreateChecked(plane);
        for (int p = 0; p < batch * channels; p++) dx.Slice(p * plane, plane).Fill(dy[p] * scale);
        return inputGradient;
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Count != 3 || inputShape[1] <= 0 || inputShape[2] <= 0)
            throw new ShapeMismatchException(ToString(), "[C, H, W] with H, W ≥ 1", inputShape);
        return [inputShape[0]];
    }

    /// <inheritdoc/>
    public LayerDescription Describe() => LayerDescription.Of("GlobalAvgPool2D");

    /// <summary>Prints <c>GlobalAvgPool2D()</c>.</summary>
    public override string ToString() => "GlobalAvgPool2D()";
}
