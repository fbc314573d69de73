using System.Numerics;

namespace NeuralNets.Layers;

/// <summary>
/// The idle inference copies of one network: a call takes one (or makes one when none is idle) and
/// gives it back, so concurrent calls never share buffers and a steady stream of calls allocates nothing.
/// </summary>
/// <remarks>
/// A fixed set of slots taken and filled with atomic exchanges: no lock, no allocation. A copy given back
/// when every slot is full (more callers at once than slots) is left to the garbage collector.
/// </remarks>
internal sealed class InferenceCopies<T>(Func<Sequential<T>> create) where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Sequential<T>?[] _idle = new Sequential<T>?[Math.Clamp(2 * Environment.ProcessorCount, 4, 64)];

    /// <summary>An idle copy, or a new one.</summary>
    /// <remarks>Two passes: a copy given back behind the first pass's position while another caller took the
    /// one ahead of it is found by the second, so callers in step with each other do not make copies they do not need.</remarks>
    public Sequential<T> Rent()
    {
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < _idle.Length; i++)
            {
                if (Volatile.Read(ref _idle[i]) is not null && Interlocked.Exchange(ref _idle[i], null) is { } copy) return copy;
            }
        }
        return create();
    }

    /// <summary>Gives <paramref name="copy"/> back for the next call.</summary>
    public void Return(Sequential<T> copy)
    {
        for (int i = 0; i < _idle.Length; i++)
        {
            if (Volatile.Read(ref _idle[i]) is null && Interlocked.CompareExchange(ref _idle[i], copy, null) is null) return;
        }
    }
}
