using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

/// <summary>
/// The elements <c>[Start, Start + Length)</c> of one parameter, handed to <see cref="ElementwiseOptimizer{T}.Update"/>:
/// the values to update, their gradient, the same range of each state buffer and of the optimizer's scratch buffers.
/// Ranges of one parameter never overlap, so several run at once on the helper threads.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly ref struct ElementRange<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ParameterState<T> _state;
    private readonly T[][] _scratch;

    internal ElementRange(ParameterState<T> state, T[][] scratch, int start, int length) =>
        (_state, _scratch, Start, Length) = (state, scratch, start, length);

    /// <summary>The first element of the range, within the parameter.</summary>
    public int Start { get; }

    /// <summary>The number of elements in the range.</summary>
    public int Length { get; }

    /// <summary>The parameter's state (its name, step count, buffers); read it here, change its scalars only in <see cref="ElementwiseOptimizer{T}.BeginUpdate"/>.</summary>
    public ParameterState<T> State => _state;

    /// <summary>This parameter's step count t, already advanced for the update running now (1 at the first).</summary>
    public long Step => _state.Step;

    /// <summary>The values w to update.</summary>
    public Span<T> Value => _state.Parameter.ValueSegment.AsSpan(Start, Length);

    /// <summary>The gradient g, as the caller's evaluation left it.</summary>
    public ReadOnlySpan<T> Gradient => _state.Parameter.GradientSegment.AsSpan(Start, Length);

    /// <summary>This range of a state buffer the optimizer declared.</summary>
    public Span<T> Buffer(StateBuffer buffer) => _state.BufferArray(buffer).AsSpan(Start, Length);

    /// <summary>This range of scratch buffer <paramref name="index"/> (see <see cref="ElementwiseOptimizer{T}.ScratchBuffers"/>); it holds nothing between calls.</summary>
    public Span<T> Scratch(int index) => _scratch[index].AsSpan(Start, Length);

    /// <summary>
    /// g when λ = 0, otherwise g + λ·w written into scratch buffer <paramref name="scratch"/>: PyTorch's L2 weight decay,
    /// which leaves the parameter's own gradient as the caller computed it.
    /// </summary>
    public ReadOnlySpan<T> GradientWithL2(T weightDecay, int scratch)
    {
        if (weightDecay == T.Zero) return Gradient;
        var decayed = Scratch(scratch);
        Elementwise.MultiplyAdd(Value, weightDecay, Gradient, decayed);
        return decayed;
    }
}
