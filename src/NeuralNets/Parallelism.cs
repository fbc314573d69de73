using System.Globalization;
using NeuralNets.Kernels;

namespace NeuralNets;

/// <summary>
/// How the library uses the machine's cores: a host (a web server, a test runner, a notebook) sets
/// these once at start-up, or at any time between calls. Results are bit-identical under every setting:
/// work is cut into chunks by shape alone and reduced in a fixed order, whichever thread runs a chunk.
/// </summary>
/// <remarks>
/// <para>The library keeps one team of helper threads for all networks. A large operation (a matrix
/// product, an elementwise pass over a long tensor, a convolution over a batch) is split into parts;
/// the calling thread runs one and the helpers the others. A second thread that calls into the library
/// while the team is busy runs its parts itself, so concurrent callers never wait for each other.</para>
/// <para>After a job the helpers keep polling for the next one for <see cref="IdleSpin"/> (a training step
/// hands them work dozens of times, and a sleeping thread takes tens of microseconds to wake), then sleep.
/// A server that calls the library now and then, and wants idle cores to stay idle, sets it to
/// <see cref="TimeSpan.Zero"/>.</para>
/// </remarks>
public static class Parallelism
{
    /// <summary>
    /// The most threads one operation uses, the caller's included: 1 runs everything on the calling thread,
    /// with no helper thread at all. Defaults to the processor count (which <c>DOTNET_PROCESSOR_COUNT</c>
    /// can lower), at most <see cref="MaxThreadsLimit"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above <see cref="MaxThreadsLimit"/>.</exception>
    public static int MaxThreads
    {
        get => WorkerTeam.Size;
        set => WorkerTeam.Size = value;
    }

    /// <summary>The largest value <see cref="MaxThreads"/> accepts.</summary>
    public const int MaxThreadsLimit = WorkerTeam.MaxSize;

    /// <summary>The default of <see cref="MaxThreads"/> on this machine.</summary>
    public static int DefaultMaxThreads => WorkerTeam.DefaultSize;

    /// <summary>
    /// How long an idle helper thread keeps polling for the next job before it sleeps: 1 ms by default;
    /// <see cref="TimeSpan.Zero"/> makes helpers sleep as soon as a job is done (a little slower to start the
    /// next one, no CPU used while idle). At most one second.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above one second.</exception>
    public static TimeSpan IdleSpin
    {
        get => WorkerTeam.IdleSpin;
        set => WorkerTeam.IdleSpin = value;
    }

    /// <summary>The default of <see cref="IdleSpin"/>.</summary>
    public static TimeSpan DefaultIdleSpin { get; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Waits until the library has compiled the code the networks, losses and optimizers made so far will run: call it
    /// after building them (while nothing else needs the time, or once data has loaded) so that the first training step
    /// or prediction runs at speed instead of compiling.
    /// </summary>
    /// <remarks>
    /// <para>The first network, dataset, loss or optimizer of each kind starts compiling its passes on a thread of its own
    /// ("NeuralNets warm-up"), and a first step that comes before it has finished compiles the rest itself, at the cost of
    /// most of that step's time (benchmarks/README.md, "the first call"). Calling this first moves that cost to where the
    /// caller chooses; meanwhile the calling thread compiles beside the warm-up thread, so the wait is shorter than the
    /// warm-up alone (by a quarter to two fifths on two cores). A finished training step or prediction stops the warm-ups not
    /// yet started (the step compiled what it needed), so after one this returns once the running warm-up is done.</para>
    /// <para>It returns at once where there is no warm-up: one core, no threads (single-threaded WebAssembly), or code
    /// compiled ahead of time (Native AOT).</para>
    /// </remarks>
    public static void WaitForWarmUp() => KernelWarmUp.Wait(Timeout.InfiniteTimeSpan);

    /// <summary>
    /// As <see cref="WaitForWarmUp()"/>, for at most <paramref name="timeout"/>: a finite timeout only waits (the calling
    /// thread compiles nothing, so that the wait ends in time); <see cref="Timeout.InfiniteTimeSpan"/> is
    /// <see cref="WaitForWarmUp()"/>.
    /// </summary>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> waits as long as it takes.</param>
    /// <returns>Whether the warm-up had finished (or there was none) when it returned; false at once when called from
    /// the warm-up thread itself (never the case for a caller's own code).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public static bool WaitForWarmUp(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), string.Create(CultureInfo.InvariantCulture, $"The timeout must not be negative (Timeout.InfiniteTimeSpan waits as long as it takes), but was {timeout}."));
        return KernelWarmUp.Wait(timeout);
    }
}
