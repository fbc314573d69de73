using System.Runtime.CompilerServices;
namespace NeuralNets.Kernels;

/// <summary>
/// Work made of numbered units that are independent of each other (chunks of a product, chunks of
/// samples), run on the <see cref="WorkerTeam"/>. Part p owns the p-th contiguous range of units
/// and runs those first, so the same units stay on the same core from call to call; then it helps
/// with the other ranges. Every unit runs exactly once, on whichever thread claims it.
/// </summary>
internal abstract class UnitsWork : TeamWork
{
    // One claim counter per part, a cache line apart so that parts do not slow each other down.
    private const int CounterStride = 64 / sizeof(int);

    private readonly int[] _claimed = new int[WorkerTeam.MaxSize * CounterStride];
    private int _units;

    /// <summary>Runs units 0 … <paramref name="units"/> − 1 in at most <paramref name="parts"/> parts.</summary>
    [MethodImpl(HotPath.Options)]
    protected void RunUnits(int units, int parts)
    {
        parts = Math.Min(Math.Min(parts, WorkerTeam.MaxSize), units);
        if (parts <= 1)
        {
            BeginPart(0);
            try
            {
                for (int unit = 0; unit < units; unit++) RunUnit(InRangeOrder(unit, 0, units), 0);
            }
            finally
            {
                EndPart(0);
            }
            return;
        }
        _units = units;
        for (int part = 0; part < parts; part++) _claimed[part * CounterStride] = 0;
        WorkerTeam.Run(this, parts);
    }

    /// <summary>
    /// The unit to run <paramref name="index"/>-th of the range of <paramref name="count"/> units from <paramref name="first"/>:
    /// by default in number order. Every unit of the range is still run exactly once.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    protected virtual int InRangeOrder(int index, int first, int count) => first + index;

    /// <summary>Runs one unit, within part <paramref name="part"/> (whose scratch it may use).</summary>
    protected abstract void RunUnit(int unit, int part);

    /// <summary>Called on the part's thread before its first unit.</summary>
    [MethodImpl(HotPath.Options)]
    protected virtual void BeginPart(int part) { }

    /// <summary>Called on the part's thread after its last unit.</summary>
    [MethodImpl(HotPath.Options)]
    protected virtual void EndPart(int part) { }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public sealed override void RunPart(int part, int parts)
    {
        BeginPart(part);
        try
        {
            for (int offset = 0; offset < parts; offset++)
            {
                int range = (part + offset) % parts;
                int first = Start(range, parts), count = Start(range + 1, parts) - first;
                int unit;
                while ((unit = Interlocked.Increment(ref _claimed[range * CounterStride]) - 1) < count)
                    RunUnit(InRangeOrder(unit, first, count), part);
            }
        }
        finally
        {
            EndPart(part);
        }
    }

    private int Start(int range, int parts) => (int)((long)_units * range / parts);
}
