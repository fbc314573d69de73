using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// Picks the faster of two implementations that give the same bits, by timing both on this machine: the first calls
/// of a shape alternate between them (the first of each only compiles and warms it), then the one with the shorter
/// best time is kept for that shape. Results never depend on the choice, only speed does, so a machine may choose
/// differently from another, or from one run to the next, without changing a single weight.
/// </summary>
/// <remarks>Not thread-safe: one per object that owns it, like the scratch buffers beside it.</remarks>
internal sealed class CalibratedChoice
{
    /// <summary>Timed calls of each implementation before the choice is made (after one untimed call each).</summary>
    public const int TimedCalls = 2;

    private readonly Dictionary<long, State> _shapes = [];

    /// <summary>Set by tests: always the first implementation (true), always the second (false), or calibrate (null).</summary>
    public bool? Forced { get; set; }

    /// <summary>Whether this call of <paramref name="shape"/> should run the first implementation.</summary>
    [MethodImpl(HotPath.Options)]
    public bool UseFirst(long shape)
    {
        if (Forced is { } forced) return forced;
        if (!_shapes.TryGetValue(shape, out var state)) _shapes[shape] = state = new State();
        return state.Decided ? state.First : state.Calls % 2 == 0;
    }

    /// <summary>Records how long the call that <see cref="UseFirst"/> just chose took, in <see cref="Stopwatch"/> ticks.</summary>
    [MethodImpl(HotPath.Options)]
    public void Record(long shape, bool first, long ticks)
    {
        if (Forced is not null || !_shapes.TryGetValue(shape, out var state) || state.Decided) return;
        // The first call of each implementation includes compiling it: not timed.
        if (state.Calls >= 2)
        {
            if (first) state.BestFirst = Math.Min(state.BestFirst, ticks);
            else state.BestSecond = Math.Min(state.BestSecond, ticks);
        }
        state.Calls++;
        if (state.Calls < 2 + 2 * TimedCalls) return;
        state.First = state.BestFirst <= state.BestSecond;
        state.Decided = true;
    }

    /// <summary>The choice made for <paramref name="shape"/>, or null while it is still being timed.</summary>
    [MethodImpl(HotPath.Options)]
    public bool? Choice(long shape) => _shapes.TryGetValue(shape, out var state) && state.Decided ? state.First : null;

    private sealed class State
    {
        public int Calls;
        public long BestFirst = long.MaxValue, BestSecond = long.MaxValue;
        public bool Decided, First;
    }
}
