using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Tensors;

namespace NeuralNets.Kernels;

/// <summary>
/// Runs a grouped convolution (PyTorch's <c>groups</c>) as one convolution per group on its slice of the channels, for
/// <see cref="Layers.Conv2D{T}"/> and <see cref="Layers.ConvTranspose2D{T}"/>: group g maps input channels
/// <c>[g·Cin/G, (g+1)·Cin/G)</c> to output channels <c>[g·Cout/G, (g+1)·Cout/G)</c> with the g-th of G contiguous pieces
/// of the weight (<see cref="IConvolutionPasses{T}"/>) and the bias of those outputs.
/// </summary>
/// <remarks>
/// Each group's channels are copied into a dense <c>[N, Cin/G, H, W]</c> tensor of its own, kept for the backward pass;
/// its output and gradients pass through buffers shared by the groups and are copied back into their channels. The groups
/// run one after another, each split over the team by its own convolution, so the bits do not depend on the thread count;
/// every buffer is sized once per batch shape. Not thread-safe: one per layer object (an inference copy makes its own).
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class GroupedConvolution<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IConvolutionPasses<T>[] _groups;
    private readonly int _inChannels, _outChannels;         // per group
    private readonly TensorBuffer<T>[] _groupInputs;         // each group's input channels, kept for the backward pass
    private readonly Tensor<T>?[] _lastInputs;
    private readonly TensorBuffer<T> _groupOutput = new(), _groupOutputGradient = new(), _groupInputGradient = new();

    /// <summary>Prepares the passes of <paramref name="groups"/>, each a convolution of <paramref name="inChannels"/> to <paramref name="outChannels"/> channels.</summary>
    public GroupedConvolution(IConvolutionPasses<T>[] groups, int inChannels, int outChannels)
    {
        (_groups, _inChannels, _outChannels) = (groups, inChannels, outChannels);
        _groupInputs = new TensorBuffer<T>[groups.Length];
        for (int g = 0; g < groups.Length; g++) _groupInputs[g] = new TensorBuffer<T>();
        _lastInputs = new Tensor<T>?[groups.Length];
    }

    /// <summary>
    /// One convolution of <paramref name="inChannels"/> to <paramref name="outChannels"/> channels for one group (the ungrouped
    /// path, without a grouped one); else one of Cin/G to Cout/G channels per group and the grouped convolution that runs them.
    /// </summary>
    /// <typeparam name="TPasses">The convolution's kind.</typeparam>
    public static (TPasses[] Convolutions, GroupedConvolution<T>? Grouped) Create<TPasses>(int inChannels, int outChannels, int groups,
        Func<int, int, TPasses> create) where TPasses : IConvolutionPasses<T>
    {
        if (groups == 1) return ([create(inChannels, outChannels)], null);
        var convolutions = new TPasses[groups];
        var passes = new IConvolutionPasses<T>[groups];
        for (int g = 0; g < groups; g++) passes[g] = convolutions[g] = create(inChannels / groups, outChannels / groups);
        return (convolutions, new GroupedConvolution<T>(passes, inChannels / groups, outChannels / groups));
    }

    /// <summary>Computes <c>y = W ⋆ x + b</c> group by group into <paramref name="output"/> <c>[N, Cout, outH, outW]</c>.</summary>
    /// <param name="input">x, <c>[N, Cin, H, W]</c>, checked by the layer.</param>
    /// <param name="weight">W, <c>[Cout, Cin/G, kH, kW]</c> (transposed: <c>[Cin, Cout/G, kH, kW]</c>).</param>
    /// <param name="bias">b, <c>[Cout]</c>, or empty for a layer without one.</param>
    /// <param name="output">y.</param>
    [MethodImpl(HotPath.Options)]
    public void Forward(Tensor<T> input, ArraySegment<T> weight, ArraySegment<T> bias, Tensor<T> output)
    {
        int batch = input.BatchSize(), height = (int)input.Lengths[2], width = (int)input.Lengths[3];
        int outH = (int)output.Lengths[2], outW = (int)output.Lengths[3], weightLength = weight.Count / _groups.Length;
        for (int g = 0; g < _groups.Length; g++)
        {
            var x = _groupInputs[g].Get(batch, [_inChannels, height, width]);
            Gather(input.Span(), x.Span(), g, batch, _inChannels * height * width);
            _lastInputs[g] = x;
            var y = _groupOutput.Get(batch, [_outChannels, outH, outW]);
            var groupBias = bias.Count == 0 ? bias : bias.Slice(g * _outChannels, _outChannels);
            _groups[g].Forward(x, weight.Slice(g * weightLength, weightLength), groupBias, y);
            Scatter(y.Span(), output.Span(), g, batch, _outChannels * outH * outW);
        }
    }

    /// <summary>
    /// Computes dW and db group by group into <paramref name="weightGradient"/> and <paramref name="biasGradient"/> (added, or written
    /// over the weight gradient when <paramref name="accumulate"/> is false) and, when <paramref name="inputGradient"/> is given, dX into it.
    /// </summary>
    /// <param name="outputGradient">dY, <c>[N, Cout, outH, outW]</c>, checked by the layer.</param>
    /// <param name="weight">W.</param>
    /// <param name="weightGradient">dW, shaped as W.</param>
    /// <param name="accumulate">Whether to add into dW rather than overwrite it.</param>
    /// <param name="biasGradient">db, <c>[Cout]</c>, added to; empty for a layer without a bias.</param>
    /// <param name="inputGradient">dX, <c>[N, Cin, H, W]</c>, or null to skip it.</param>
    [MethodImpl(HotPath.Options)]
    public void Backward(Tensor<T> outputGradient, ArraySegment<T> weight, Span<T> weightGradient, bool accumulate, Span<T> biasGradient, Tensor<T>? inputGradient)
    {
        int batch = outputGradient.BatchSize(), outH = (int)outputGradient.Lengths[2], outW = (int)outputGradient.Lengths[3];
        int weightLength = weight.Count / _groups.Length;
        for (int g = 0; g < _groups.Length; g++)
        {
            var x = _lastInputs[g]!;
            var dy = _groupOutputGradient.Get(batch, [_outChannels, outH, outW]);
            Gather(outputGradient.Span(), dy.Span(), g, batch, _outChannels * outH * outW);
            var dx = inputGradient is null ? null : _groupInputGradient.GetLike(x);
            var groupBiasGradient = biasGradient.IsEmpty ? biasGradient : biasGradient.Slice(g * _outChannels, _outChannels);
            _groups[g].Backward(x, dy, weight.Slice(g * weightLength, weightLength), weightGradient.Slice(g * weightLength, weightLength), accumulate,
                groupBiasGradient, dx);
            if (dx is not null) Scatter(dx.Span(), inputGradient!.Span(), g, batch, x.SampleSize());
        }
    }

    // Copies group g's channels, groupSample elements of each sample, out of the whole tensor.
    [MethodImpl(HotPath.Options)]
    private void Gather(ReadOnlySpan<T> whole, Span<T> group, int g, int batch, int groupSample)
    {
        int sample = groupSample * _groups.Length;
        for (int n = 0; n < batch; n++) whole.Slice(n * sample + g * groupSample, groupSample).CopyTo(group.Slice(n * groupSample, groupSample));
    }

    // Copies group g's channels back into their place in the whole tensor.
    [MethodImpl(HotPath.Options)]
    private void Scatter(ReadOnlySpan<T> group, Span<T> whole, int g, int batch, int groupSample)
    {
        int sample = groupSample * _groups.Length;
        for (int n = 0; n < batch; n++) group.Slice(n * groupSample, groupSample).CopyTo(whole.Slice(n * sample + g * groupSample, groupSample));
    }
}
