using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace NeuralNets.Kernels;

/// <summary>
/// The library's one set of helper threads: <see cref="Size"/> − 1 dedicated workers that keep
/// polling for <see cref="IdleSpin"/> (a millisecond unless the host says otherwise) after each job before they sleep, as OpenMP's workers spin: plain reads
/// for the first 50 µs, then yielding their core to any other ready thread between looks.
/// </summary>
/// <remarks>
/// <para>
/// Why not the .NET thread pool: a training step hands work to the second core dozens of times,
/// and a pool thread that has gone to sleep takes tens of microseconds to wake, more than a
/// batch-1 product takes. A worker that is still polling picks a part up within about a
/// microsecond.
/// </para>
/// <para>
/// Why part <c>p</c> goes to worker <c>p</c>: the same part of a tensor then stays on the same
/// core from one operation to the next. A batch-1 dense layer reads its weight forward, writes
/// its gradient backward, and the optimizer reads both: split in halves the same way each time,
/// each core keeps its half of both (400 KB for a 784×128 layer) in its own L2 cache. Measured on
/// the MLP 784-128-10 batch-1 step: 24 µs on one core, 21 µs with every pass split in the same
/// halves, and 61 µs when only the optimizer was split (each half of the weight then crossed between
/// the cores twice a step). Hence the same halves everywhere, and small products that the calling
/// thread has just fed (a convolution's unfolded input) left on the calling thread.
/// </para>
/// <para>
/// Protocol: the caller publishes the job, then a claim word whose bit p is clear while part p is
/// free (bits of parts that do not exist are set, so −1 means there is nothing to claim). Caller
/// and workers claim parts by compare-and-swap; the caller runs part 0, then every part no worker
/// has claimed yet, then waits for the parts in progress. A second caller arriving while a job
/// runs (another thread, or a part that itself multiplies matrices) runs its parts on its own
/// thread: same parts, same results.
/// </para>
/// </remarks>
internal static class WorkerTeam
{
    /// <summary>The most threads a job is split across (the claim word has one bit per part).</summary>
    public const int MaxSize = 16;

    /// <summary>Whether helper threads could not be started on this platform, so that every job runs on its caller.</summary>
    public static bool ThreadsUnavailable => Volatile.Read(ref s_noThreads);

    /// <summary>Whether a job is running on the team now: a job started meanwhile (by another thread, or by a part of that
    /// job) runs all its parts on its own caller.</summary>
    public static bool Busy => Volatile.Read(ref s_owned) != 0;

    /// <summary>Makes every later job run on its caller, as on a platform without threads; for tests.</summary>
    internal static void SimulateNoThreads(bool noThreads) => Volatile.Write(ref s_noThreads, noThreads);

    /// <summary>How long an idle worker polls before it sleeps (<see cref="Parallelism.IdleSpin"/>), in stopwatch ticks.</summary>
    private static long s_spinTicks = Stopwatch.Frequency / 1000;

    /// <summary>How long an idle worker polls without yielding, right after a job.</summary>
    private static readonly long EagerTicks = Stopwatch.Frequency / 20_000;

    private static readonly object StartLock = new();
    private static Worker[]? s_workers;
    private static bool s_noThreads;   // set when the platform cannot start a thread (single-threaded WebAssembly)

    private static int s_owned;
    private static int s_claims = -1;
    private static int s_remaining;
    private static TeamWork? s_work;
    private static int s_parts;
    private static Exception? s_failure;

    /// <summary>The default of <see cref="Size"/>: the processor count, at most <see cref="MaxSize"/>.</summary>
    public static int DefaultSize { get; } = Math.Clamp(Environment.ProcessorCount, 1, MaxSize);

    private static int s_size = DefaultSize;

    /// <summary>
    /// Threads a job can use, the caller's included (<see cref="Parallelism.MaxThreads"/>). A job reads it
    /// once, when it is split; results do not depend on it, since work is cut into chunks by shape alone.
    /// </summary>
    public static int Size
    {
        [MethodImpl(HotPath.Options)]
        get => Volatile.Read(ref s_size);
        set
        {
            // Named as the public setting (Parallelism.MaxThreads) that sets it.
            ArgumentRange.ThrowIfLessThan(value, 1, "MaxThreads");
            ArgumentRange.ThrowIfGreaterThan(value, MaxSize, "MaxThreads");
            Volatile.Write(ref s_size, value);
        }
    }

    /// <summary>
    /// Threads a job is split across now: <see cref="Size"/>, less the core a warm-up compiles on while one runs
    /// (<see cref="KernelWarmUp"/>) where the team would otherwise take every core. A helper sharing its core with the
    /// warm-up would make every hand-over wait for the scheduler. One on the warm-up's own thread. Results do not depend on it.
    /// </summary>
    public static int Threads
    {
        [MethodImpl(HotPath.Options)]
        get
        {
            if (KernelWarmUp.OnWarmUpThread) return 1;
            int size = Size;
            return size > 1 && size >= DefaultSize && KernelWarmUp.Running ? size - 1 : size;
        }
    }

    /// <summary>How long an idle worker keeps polling for the next job before it sleeps.</summary>
    public static TimeSpan IdleSpin
    {
        get => TimeSpan.FromSeconds((double)Volatile.Read(ref s_spinTicks) / Stopwatch.Frequency);
        set
        {
            // Named as the public setting (Parallelism.IdleSpin) that sets it.
            ArgumentRange.ThrowIfLessThan(value, TimeSpan.Zero, "IdleSpin");
            ArgumentRange.ThrowIfGreaterThan(value, TimeSpan.FromSeconds(1), "IdleSpin");
            Volatile.Write(ref s_spinTicks, (long)(value.TotalSeconds * Stopwatch.Frequency));
        }
    }

    /// <summary>Runs parts 0 … <paramref name="parts"/> − 1 of <paramref name="work"/> and returns when all are done.</summary>
    /// <remarks>More parts than <see cref="Size"/> still all run; some thread then runs several.</remarks>
    [MethodImpl(HotPath.Options)]
    public static void Run(TeamWork work, int parts)
    {
        if (!TeamTimeline.Recording)
        {
            RunJob(work, parts);
            return;
        }
        long start = Stopwatch.GetTimestamp();
        RunJob(work, parts);
        TeamTimeline.Add(work, TeamTimeline.WholeJob, start);
    }

    [MethodImpl(HotPath.Options)]
    private static void RunJob(TeamWork work, int parts)
    {
        // A job that finds the team busy (a part's own products, a second caller) looks before it tries to claim the team:
        // a failed compare-and-swap still takes the team's cache line from the core running the job, every time.
        ArgumentNullException.ThrowIfNull(work);
        ArgumentRange.ThrowIfGreaterThan(parts, 31);
        int size = Size;
        if (parts <= 1 || size == 1 || Volatile.Read(ref s_noThreads) || Busy || Interlocked.CompareExchange(ref s_owned, 1, 0) != 0)
        {
            RunAllHere(work, parts);
            return;
        }
        var workers = s_workers is { } started && started.Length >= size - 1 ? started : StartWorkers(size - 1);
        if (workers.Length < size - 1)
        {
            Volatile.Write(ref s_owned, 0);
            RunAllHere(work, parts);
            return;
        }
        try
        {
            s_work = work;
            s_parts = parts;
            s_failure = null;
            Volatile.Write(ref s_remaining, parts);
            // Publish: parts 1 … parts−1 become claimable; part 0 is the caller's.
            Interlocked.Exchange(ref s_claims, ~((1 << parts) - 1) | 1);
            for (int w = 1; w < Math.Min(parts, size); w++) workers[w - 1].WakeIfSleeping();

            RunClaimed(0);
            int part;
            while ((part = ClaimAny()) >= 0) RunClaimed(part);
            var wait = new SpinWait();
            while (Volatile.Read(ref s_remaining) != 0) wait.SpinOnce(sleep1Threshold: -1);

            s_work = null;
            if (s_failure is { } failure) ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            Volatile.Write(ref s_owned, 0);
        }
    }

    /// <summary>Runs one part, recorded in the team's timeline while it records.</summary>
    [MethodImpl(HotPath.Options)]
    private static void RunPart(TeamWork work, int part, int parts)
    {
        if (!TeamTimeline.Recording)
        {
            work.RunPart(part, parts);
            return;
        }
        long start = Stopwatch.GetTimestamp();
        work.RunPart(part, parts);
        TeamTimeline.Add(work, part, start);
    }

    /// <summary>Runs every part on the calling thread; as with the team, a failing part does not stop the others.</summary>
    private static void RunAllHere(TeamWork work, int parts)
    {
        Exception? failure = null;
        for (int part = 0; part < parts; part++)
        {
            try
            {
                RunPart(work, part, parts);
            }
            catch (Exception e) when (parts > 1)
            {
                failure ??= e;
            }
        }
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>Starts workers until there are at least <paramref name="count"/>; a lowered <see cref="Size"/> leaves the extra ones asleep.</summary>
    private static Worker[] StartWorkers(int count)
    {
        lock (StartLock)
        {
            var started = s_workers ?? [];
            if (started.Length >= count) return started;
            var workers = new Worker[count];
            started.CopyTo(workers, 0);
            try
            {
                for (int i = started.Length; i < count; i++) workers[i] = new Worker(i + 1);
            }
            catch (Exception e) when (e is PlatformNotSupportedException or NotSupportedException or OutOfMemoryException or ThreadStartException)
            {
                // No thread can be started here (single-threaded WebAssembly, or a host out of threads): every
                // job runs on its caller from now on, with the same parts and so the same results.
                Volatile.Write(ref s_noThreads, true);
                return started;
            }
            s_workers = workers;
            return workers;
        }
    }

    /// <summary>Claims <paramref name="part"/> if it is still free.</summary>
    [MethodImpl(HotPath.Options)]
    private static bool TryClaim(int part)
    {
        int claims = Volatile.Read(ref s_claims);
        while ((claims & (1 << part)) == 0)
        {
            int seen = Interlocked.CompareExchange(ref s_claims, claims | (1 << part), claims);
            if (seen == claims) return true;
            claims = seen;
        }
        return false;
    }

    /// <summary>Claims the lowest free part, or returns −1 when none is free.</summary>
    [MethodImpl(HotPath.Options)]
    private static int ClaimAny()
    {
        int claims = Volatile.Read(ref s_claims);
        while (claims != -1)
        {
            int part = System.Numerics.BitOperations.TrailingZeroCount(~claims);
            int seen = Interlocked.CompareExchange(ref s_claims, claims | (1 << part), claims);
            if (seen == claims) return part;
            claims = seen;
        }
        return -1;
    }

    // The job cannot finish while a claimed part is unfinished, so s_work and s_parts read after a
    // successful claim belong to that part's job.
    [MethodImpl(HotPath.Options)]
    private static void RunClaimed(int part)
    {
        try
        {
            RunPart(s_work!, part, s_parts);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref s_failure, e, null);
        }
        finally
        {
            Interlocked.Decrement(ref s_remaining);
        }
    }

    /// <summary>One helper thread: claims its own part first, then any free one; spins, then sleeps.</summary>
    private sealed class Worker
    {
        private readonly int _index;
        private readonly SemaphoreSlim _wake = new(0);
        private int _sleeping;

        public Worker(int index)
        {
            _index = index;
            new Thread(Loop) { IsBackground = true, Name = string.Create(CultureInfo.InvariantCulture, $"NeuralNets worker {index}") }.Start();
        }

        /// <summary>Called by the caller after publishing a job.</summary>
        public void WakeIfSleeping()
        {
            if (Volatile.Read(ref _sleeping) == 1 && Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1) _wake.Release();
        }

        [MethodImpl(HotPath.Options)]
        private void Loop()
        {
            while (true)
            {
                WaitForWork();
                int part = TryClaim(_index) ? _index : ClaimAny();
                while (part >= 0)
                {
                    RunClaimed(part);
                    part = ClaimAny();
                }
            }
        }

        [MethodImpl(HotPath.Options)]
        private void WaitForWork()
        {
            long spin = Volatile.Read(ref s_spinTicks);
            long start = Stopwatch.GetTimestamp(), deadline = start + spin, eager = spin == 0 ? 0 : start + Math.Min(EagerTicks, spin);
            int spins = 0;
            while (Volatile.Read(ref s_claims) == -1)
            {
                // Right after a job, plain reads (the next job of a training step usually follows within
                // microseconds); then sched_yield, not PAUSE: in the virtual machines this was measured on, a
                // PAUSE loop makes the hypervisor deschedule the virtual CPU, and the next job then waits for it.
                if (eager != 0)
                {
                    if ((++spins & 63) == 0 && Stopwatch.GetTimestamp() >= eager) eager = 0;
                    continue;
                }
                if (spin != 0)
                {
                    Thread.Yield();
                    if ((++spins & 63) != 0 || Stopwatch.GetTimestamp() < deadline) continue;
                }
                // Announce the sleep, then look once more: a job published before the announcement is seen
                // here; one published after it finds the flag set and releases the semaphore.
                Interlocked.Exchange(ref _sleeping, 1);
                if (Volatile.Read(ref s_claims) != -1 && Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1) return;
                _wake.Wait();
                return;
            }
        }
    }
}
