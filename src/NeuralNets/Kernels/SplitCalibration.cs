using System.Diagnostics;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// Where splitting an elementwise pass across the <see cref="WorkerTeam"/> starts to pay on this machine, measured
/// once per process instead of assumed: handing a range to another core costs a wake-up and moves the range's data
/// between the cores' caches, and what that costs against the work saved differs from CPU to CPU and host to host.
/// </summary>
/// <remarks>
/// <para>
/// The first pass long enough to be a candidate (<see cref="Floor"/> elements or more, with a team of two or more
/// threads) times a representative pass, the sigmoid's backward arithmetic over three arrays, on the calling thread
/// and split across the team, alternating the two over a few rounds at each length from <see cref="Floor"/> to half
/// the <see cref="Ceiling"/>. The shortest length from which the split median is clearly faster
/// (<see cref="RequiredSpeedUp"/>) at that length and every longer one becomes <see cref="ElementwiseMinimum"/>;
/// <see cref="Ceiling"/> if the longest does not pay. A few milliseconds, once.
/// </para>
/// <para>
/// Results never depend on it: an elementwise pass computes each element by the same arithmetic whatever range it
/// falls in. Only where the work runs changes. Until it is measured (while another thread's job holds the team, or
/// on a platform without threads, or while the helpers have not woken) the threshold is <see cref="Default"/>, and it stays so after <see cref="Attempts"/> spoilt tries.
/// </para>
/// </remarks>
internal static class SplitCalibration
{
    /// <summary>Shortest pass ever split: below it, a pass takes about as long as a hand-over.</summary>
    public const int Floor = 1 << 12;

    /// <summary>Longest threshold the calibration can choose: longer passes are always split.</summary>
    public const int Ceiling = 1 << 16;

    /// <summary>The threshold until the calibration has run.</summary>
    public const int Default = 1 << 13;

    /// <summary>How much faster the split pass must be for its length to count as worth splitting.</summary>
    public const double RequiredSpeedUp = 1.15;

    private const int Rounds = 9;

    /// <summary>Tries before the calibration gives up and keeps <see cref="Default"/>: each is spoilt by another caller taking the team meanwhile, or by no helper thread taking part.</summary>
    private const int Attempts = 3;


    private static readonly Lock CalibrationLock = new();
    private static int s_elementwiseMinimum;   // 0 until measured
    private static int s_attempts;
    private static (float[] Output, float[] Gradient, float[] Result)? s_arrays;   // the passes' arrays, until measured

    /// <summary>Elements from which an elementwise pass is split across the team (<see cref="ParallelRanges.MinimumLength"/>).</summary>
    public static int ElementwiseMinimum
    {
        [MethodImpl(HotPath.Options)]
        get
        {
            int measured = Volatile.Read(ref s_elementwiseMinimum);
            if (measured != 0) return measured;
            // Not while a warm-up compiles on a core the split would use: the timings would be the warm-up's.
            if (WorkerTeam.Size == 1 || WorkerTeam.ThreadsUnavailable || WorkerTeam.Busy || KernelWarmUp.Running || !CalibrationLock.TryEnter()) return Default;
            try
            {
                measured = Volatile.Read(ref s_elementwiseMinimum);
                if (measured == 0)
                {
                    measured = Measure() ?? (++s_attempts >= Attempts ? Default : 0);
                    if (measured != 0)
                    {
                        Volatile.Write(ref s_elementwiseMinimum, measured);
                        s_arrays = null;
                    }
                }
                return measured == 0 ? Default : measured;
            }
            finally
            {
                CalibrationLock.Exit();
            }
        }
    }

    /// <summary>Forgets the measurement, so that the next candidate pass measures again; for tests.</summary>
    internal static void Reset()
    {
        lock (CalibrationLock)
        {
            s_attempts = 0;
            Volatile.Write(ref s_elementwiseMinimum, 0);
        }
    }

    /// <summary>
    /// Compiles the calibration and the pass it times, for the warm-up (<see cref="KernelWarmUp"/>): the first pass long
    /// enough to be split then spends its time measuring, not compiling.
    /// </summary>
    internal static void Rehearse()
    {
        RuntimeHelpers.PrepareMethod(typeof(SplitCalibration).GetMethod(nameof(Measure), BindingFlags.NonPublic | BindingFlags.Static)!.MethodHandle);
        ParallelRanges.Prepare<DerivativePass>();
        var values = new float[Floor / 64];
        ParallelRanges.Run(new DerivativePass(values, values, new float[values.Length]), values.Length, 1);
    }

    /// <summary>The measured threshold, or null when the team was taken by another caller meanwhile or no helper thread took part (measured again later).</summary>
    [MethodImpl(HotPath.Options)]   // compiled whole by the warm-up, not at tier 0 with its loops replaced on the stack
    internal static int? Measure()
    {
        // The longest pass timed is half the ceiling (a length of Ceiling itself is never timed: it is the answer when none pays).
        int longest = Ceiling / 2;
        // Made by the first try and kept for a spoilt one's retry, so that the calibration allocates once in a process.
        var (output, gradient, result) = s_arrays ??= Arrays(longest);
        var helperTookPart = new int[1];
        var pass = new DerivativePass(output, gradient, result, helperTookPart, Environment.CurrentManagedThreadId);
        int parts = WorkerTeam.Size;
        // Start the workers and bring them to polling before anything is timed: a worker's first job includes its thread's
        // start. A worker that has slept can also take milliseconds to run again (its virtual CPU left idle: on one 2-vCPU
        // host, 4 ms of back-to-back split passes often ran without it, the calling thread taking every range), and the
        // calibration then timed one core against one core and concluded that splitting never pays. So a calibration in
        // which no helper took a range is spoilt, like one that shared the team with another caller: a later pass tries
        // again, usually right after a product job, with the workers polling.
        for (int r = 0; r < 8; r++) ParallelRanges.Run(pass, longest, parts);
        if (Volatile.Read(ref helperTookPart[0]) == 0) return null;
        int lengths = BitOperations.Log2((uint)(Ceiling / Floor));
        var pays = new bool[lengths];
        var alone = new long[Rounds];
        var split = new long[Rounds];
        for (int step = 0; step < lengths; step++)
        {
            int length = Floor << step;
            // Enough repetitions that a timing spans tens of microseconds, well above the clock's resolution.
            int repetitions = Math.Max(2, Ceiling / length);
            Volatile.Write(ref helperTookPart[0], 0);
            for (int round = -1; round < Rounds; round++)
            {
                long aloneTicks = Time(pass, length, 1, repetitions);
                long splitTicks = Time(pass, length, parts, repetitions);
                if (WorkerTeam.Busy) return null;   // another caller's job shared the cores: the timings mean nothing
                if (round < 0) continue;             // a first round at each length moves the arrays into place
                alone[round] = aloneTicks;
                split[round] = splitTicks;
            }
            // A length whose split passes never reached a helper timed the calling thread twice: spoilt, like a busy team.
            if (Volatile.Read(ref helperTookPart[0]) == 0) return null;
            pays[step] = Median(alone) >= RequiredSpeedUp * Median(split);
        }
        // The shortest length from which every longer one pays too: one lucky timing at a short length does not lower it.
        int threshold = Ceiling;
        for (int step = lengths - 1; step >= 0 && pays[step]; step--) threshold = Floor << step;
        return threshold;
    }

    private static (float[] Output, float[] Gradient, float[] Result) Arrays(int length)
    {
        var output = new float[length];
        var gradient = new float[length];
        for (int i = 0; i < length; i++)
        {
            output[i] = 0.25f + i % 7 * 0.0625f;
            gradient[i] = 1f - i % 5 * 0.125f;
        }
        return (output, gradient, new float[length]);
    }

    private static long Time(DerivativePass pass, int length, int parts, int repetitions)
    {
        long start = Stopwatch.GetTimestamp();
        for (int r = 0; r < repetitions; r++) ParallelRanges.Run(pass, length, parts);
        return Stopwatch.GetTimestamp() - start;
    }

    private static long Median(long[] values)
    {
        var sorted = (long[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    /// <summary>The sigmoid's backward arithmetic, g·s·(1 − s): two arrays read and one written, as most passes of a step do.</summary>
    private readonly struct DerivativePass(float[] output, float[] gradient, float[] result, int[]? helperTookPart = null, int callerThread = 0) : IRangeOperation
    {
        [MethodImpl(HotPath.Options)]
        public void Run(int start, int length)
        {
            // Marks that a helper thread ran a range, so that the calibration knows the team took part: a plain store, not a
            // contended increment inside the timed passes.
            if (helperTookPart != null && Environment.CurrentManagedThreadId != callerThread) Volatile.Write(ref helperTookPart[0], 1);
            var s = output.AsSpan(start, length);
            var g = gradient.AsSpan(start, length);
            var r = result.AsSpan(start, length);
            int i = 0;
            for (; i + Vector<float>.Count <= length; i += Vector<float>.Count)
            {
                var value = new Vector<float>(s[i..]);
                (new Vector<float>(g[i..]) * value * (Vector<float>.One - value)).CopyTo(r[i..]);
            }
            for (; i < length; i++) r[i] = g[i] * s[i] * (1f - s[i]);
        }
    }
}
