using System.Runtime.CompilerServices;
namespace NeuralNets.Kernels;

/// <summary>An elementwise operation on the elements <c>[start, start + length)</c> of its tensors.</summary>
internal interface IRangeOperation
{
    /// <summary>Applies the operation to one range; ranges never overlap, so they may run at once.</summary>
    void Run(int start, int length);
}

/// <summary>
/// Splits an elementwise operation over a long tensor into one contiguous range per thread of the
/// <see cref="WorkerTeam"/>. Each element is computed by the same arithmetic whatever range it
/// falls in, so results do not depend on the thread count; range p of a tensor is the same memory
/// every time, so it stays in the cache of the core that wrote it last.
/// </summary>
internal static class ParallelRanges
{
    /// <summary>
    /// Shorter operations run on the calling thread: below this, handing over costs more than it saves. Measured on this
    /// machine at the first candidate pass (<see cref="SplitCalibration"/>), between <see cref="SplitCalibration.Floor"/>
    /// and <see cref="SplitCalibration.Ceiling"/>.
    /// </summary>
    public static int MinimumLength => SplitCalibration.ElementwiseMinimum;

    /// <summary>Range boundaries fall on multiples of this many elements (64 bytes of float), so no two threads write one cache line.</summary>
    public const int Alignment = 16;

    /// <summary>How many ranges an operation over <paramref name="elements"/> elements is worth: one per thread of the team, or one when it is short.</summary>
    /// <remarks>The measured threshold is read (and measured, the first time) only for a pass that could be split at all.</remarks>
    [MethodImpl(HotPath.Options)]
    public static int PartsFor(long elements) => PartsForRowsInPlace(elements) == 1 || elements < MinimumLength ? 1 : WorkerTeam.Threads;

    /// <summary>
    /// How many ranges a pass over activations that already lie split by samples across the cores is worth: inference,
    /// where a dense layer hands each core a band of samples (rows) and the passes after it cut the same rows. Splitting
    /// then moves nothing between the cores' caches, while leaving the pass to one core makes it fetch the other's half;
    /// so every pass from <see cref="SplitCalibration.Floor"/> elements is split, below the measured threshold too.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static int PartsForRowsInPlace(long elements) => elements < SplitCalibration.Floor || WorkerTeam.Threads == 1 ? 1 : WorkerTeam.Threads;

    /// <summary>
    /// How many ranges an inference pass over a batch of <paramref name="samples"/> is worth: <see cref="PartsForRowsInPlace"/>
    /// when the batch is long enough for a dense layer before to have cut it into bands of samples across the team
    /// (<see cref="BandedBatch"/>); otherwise <see cref="PartsFor"/>. A shorter batch (one sample, in a call waiting for its
    /// answer) lies whole in the cache of the core that computed it, and its pass splits only where the measured threshold says it pays.
    /// </summary>
    public static int PartsForInference(long elements, int samples) => samples >= BandedBatch ? PartsForRowsInPlace(elements) : PartsFor(elements);

    /// <summary>The fewest samples an inference product cuts into bands of samples across the team, one per thread.</summary>
    public static int BandedBatch => WorkerTeam.Threads * GemmProblem<float>.MinimumRowsPerPart;

    /// <summary>Runs <paramref name="operation"/> over <c>[0, length)</c>.</summary>
    /// <param name="operation">The operation; copied, so it must hold references to its tensors, not spans.</param>
    /// <param name="length">Elements to cover.</param>
    /// <param name="parts">Ranges to cut (0: one per thread of the team, or one when the tensor is short).</param>
    [MethodImpl(HotPath.Options)]
    public static void Run<TOperation>(in TOperation operation, int length, int parts = 0)
        where TOperation : struct, IRangeOperation
    {
        if (parts == 0) parts = PartsFor(length);
        if (parts <= 1)
        {
            operation.Run(0, length);
            return;
        }
        var work = RangeWork<TOperation>.Take();
        work.Operation = operation;
        work.Length = length;
        try
        {
            WorkerTeam.Run(work, parts);
        }
        finally
        {
            RangeWork<TOperation>.Return(work);
        }
    }

    /// <summary>
    /// Copies the first <paramref name="length"/> elements of <paramref name="source"/> into <paramref name="destination"/>,
    /// each core its own range: a weight split across the cores is copied without moving it between them.
    /// </summary>
    public static void Copy<T>(ArraySegment<T> source, ArraySegment<T> destination, int length) => Run(new ArrayCopy<T>(source, destination), length);

    private readonly struct ArrayCopy<T>(ArraySegment<T> source, ArraySegment<T> destination) : IRangeOperation
    {
        public void Run(int start, int length) => source.AsSpan(start, length).CopyTo(destination.AsSpan(start, length));
    }

    /// <summary>The start of range <paramref name="part"/> of <paramref name="parts"/> over <paramref name="length"/> elements.</summary>
    public static int Start(int length, int part, int parts) =>
        part >= parts ? length : (int)((long)length * part / parts) / Alignment * Alignment;

    /// <summary>Compiles the team's code for <typeparamref name="TOperation"/> (its part runner), for a warm-up (<see cref="KernelWarmUp"/>).</summary>
    internal static void Prepare<TOperation>() where TOperation : struct, IRangeOperation =>
        RuntimeHelpers.PrepareMethod(typeof(RangeWork<TOperation>).GetMethod(nameof(RangeWork<TOperation>.RunPart))!.MethodHandle);

    /// <summary>The team's job for one operation; cached per calling thread and type, so a call allocates nothing.</summary>
    private sealed class RangeWork<TOperation> : TeamWork where TOperation : struct, IRangeOperation
    {
        [ThreadStatic]
        private static RangeWork<TOperation>? t_cached;

        public TOperation Operation;
        public int Length;

        [MethodImpl(HotPath.Options)]
        public static RangeWork<TOperation> Take()
        {
            var work = t_cached ?? new RangeWork<TOperation>();
            t_cached = null; // a nested call on this thread gets its own
            return work;
        }

        public static void Return(RangeWork<TOperation> work)
        {
            work.Operation = default; // drop the references to the tensors
            t_cached = work;
        }

        [MethodImpl(HotPath.Options)]
        public override void RunPart(int part, int parts)
        {
            int start = Start(Length, part, parts);
            Operation.Run(start, Start(Length, part + 1, parts) - start);
        }
    }
}
