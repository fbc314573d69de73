using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>The kernels' warm-up (started by the first network of an element type) runs every product it means to compile.</summary>
public class KernelWarmUpTests
{
    [Fact]
    public void RunProducts_FloatAndDouble_RunEveryKindOfProduct()
    {
        // Run directly: the warm-up thread swallows a failure, which would hide a product that stopped fitting its operands.
        var act = () =>
        {
            KernelWarmUp.RunProducts<float>();
            KernelWarmUp.RunProducts<double>();
        };
        act.Should().NotThrow();
    }

    [Fact]
    public void WaitForWarmUp_NegativeTimeout_Throws()
    {
        var act = () => Parallelism.WaitForWarmUp(TimeSpan.FromMilliseconds(-2));
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "timeout");
    }

    [Fact]
    public unsafe void LinedUp_StartsWhereACacheLineBegins()
    {
        // The four-vector tile's warm-up needs B on a cache line (GemmProblem.ColumnShift moves the panels by B's offset).
        for (int attempt = 0; attempt < 8; attempt++)
        {
            _ = new byte[8 * attempt + 8];   // a different offset for the next allocation
            var floats = KernelWarmUp.LinedUp<float>(81, out int floatStart);
            var doubles = KernelWarmUp.LinedUp<double>(41, out int doubleStart);
            (floats.Length - floatStart).Should().BeGreaterThanOrEqualTo(81);
            (doubles.Length - doubleStart).Should().BeGreaterThanOrEqualTo(41);
            fixed (float* f = &floats[floatStart]) ((nint)f % 64).Should().Be(0);
            // A 32-bit process may start a double[] off an 8-byte boundary, where no element lies on a line.
            if (IntPtr.Size == 8) fixed (double* d = &doubles[doubleStart]) ((nint)d % 64).Should().Be(0);
        }
    }

    [Fact]
    public async Task Start_ThenWait_Completes()
    {
        _ = Network.Sequential<double>(3).Dense(2).Build(seed: 1);
        KernelWarmUp.Start<float>();
        var waited = Task.Run(KernelWarmUp.Wait, TestContext.Current.CancellationToken);
        var first = await Task.WhenAny(waited, Task.Delay(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        first.Should().BeSameAs(waited, "the warm-up is a few small products");
    }
}

/// <summary>While a warm-up compiles on a core, jobs leave that core to it; a failing warm-up does not stop the next.</summary>
[Collection(ProcessWideMeasurement.Name)]
public class KernelWarmUpQueueTests
{
    [Fact]
    public void Threads_WhileAWarmUpRuns_LeaveItsCoreAndOneOnItsOwnThread()
    {
        KernelWarmUp.Wait();
        int size = WorkerTeam.Size;
        int onWarmUpThread = 0;
        using var release = new ManualResetEventSlim();
        KernelWarmUp.Enqueue(new object(), () =>
        {
            Volatile.Write(ref onWarmUpThread, WorkerTeam.Threads);
            release.Wait(TimeSpan.FromSeconds(30));
        });
        if (!KernelWarmUp.Enabled)
        {
            // One core (or no threads): nothing is queued, and jobs keep every thread.
            KernelWarmUp.Running.Should().BeFalse();
            WorkerTeam.Threads.Should().Be(size);
            return;
        }
        try
        {
            SpinWait.SpinUntil(() => Volatile.Read(ref onWarmUpThread) != 0, TimeSpan.FromSeconds(30)).Should().BeTrue("the warm-up thread starts");
            KernelWarmUp.Running.Should().BeTrue();
            WorkerTeam.Threads.Should().Be(size > 1 && size >= WorkerTeam.DefaultSize ? size - 1 : size);
        }
        finally
        {
            release.Set();
        }
        KernelWarmUp.Wait();
        onWarmUpThread.Should().Be(1, "the warm-up's own passes never split");
        KernelWarmUp.Running.Should().BeFalse();
        WorkerTeam.Threads.Should().Be(size);
    }

    [Fact]
    public void WaitForWarmUp_WhileAWarmUpRuns_TimesOut_ThenReturnsOnceItHasEnded()
    {
        Parallelism.WaitForWarmUp();
        using var release = new ManualResetEventSlim();
        bool ran = false;
        KernelWarmUp.Enqueue(new object(), () =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            Volatile.Write(ref ran, true);
        });
        if (!KernelWarmUp.Enabled)
        {
            // No warm-up here (one core, or no threads): nothing to wait for.
            Parallelism.WaitForWarmUp(TimeSpan.Zero).Should().BeTrue();
            return;
        }
        try
        {
            Parallelism.WaitForWarmUp(TimeSpan.Zero).Should().BeFalse("the warm-up waits for the release");
            Parallelism.WaitForWarmUp(TimeSpan.FromMilliseconds(20)).Should().BeFalse("the warm-up still waits for the release");
        }
        finally
        {
            release.Set();
        }
        Parallelism.WaitForWarmUp(Timeout.InfiniteTimeSpan).Should().BeTrue();
        Volatile.Read(ref ran).Should().BeTrue("it returned after the warm-up ended, not before");
        KernelWarmUp.Running.Should().BeFalse();
    }

    [Fact]
    public void WaitForWarmUp_RunsQueuedWarmUpsOnTheCallingThread_AsTheWarmUpThreadWould()
    {
        Parallelism.WaitForWarmUp();
        if (!KernelWarmUp.Enabled) return;   // nothing is queued on one core
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        KernelWarmUp.Enqueue(new object(), () =>
        {
            started.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        });
        int caller = Environment.CurrentManagedThreadId, ranOn = 0, threads = 0;
        KernelWarmUp.Enqueue(new object(), () =>
        {
            ranOn = Environment.CurrentManagedThreadId;
            threads = WorkerTeam.Threads;
            release.Set();
        });
        started.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken).Should().BeTrue("the warm-up thread starts");
        Parallelism.WaitForWarmUp();
        ranOn.Should().Be(caller, "the warm-up thread was held by the first warm-up, so the waiting caller ran the second");
        threads.Should().Be(1, "a warm-up's passes never split, on whichever thread it runs");
        KernelWarmUp.Running.Should().BeFalse();
        WorkerTeam.Threads.Should().Be(WorkerTeam.Size);
    }

    [Fact]
    public void WaitForWarmUp_TheCallerTakesTheLastQueuedFirst()
    {
        // The warm-up thread works from the front (the product kernels, queued first); a caller that helps takes from the
        // back, where the warm-ups share less of the code being compiled.
        Parallelism.WaitForWarmUp();
        if (!KernelWarmUp.Enabled) return;
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        KernelWarmUp.Enqueue(new object(), () =>
        {
            started.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        });
        var order = new List<string>();
        int caller = Environment.CurrentManagedThreadId;
        foreach (string name in new[] { "first", "second", "third" })
            KernelWarmUp.Enqueue(new object(), () =>
            {
                lock (order) order.Add(Environment.CurrentManagedThreadId == caller ? name : "elsewhere: " + name);
                if (name == "first") release.Set();
            });
        started.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken).Should().BeTrue("the warm-up thread starts");
        Parallelism.WaitForWarmUp();
        order.Should().Equal(["third", "second", "first"], "the warm-up thread was held until the caller reached the first");
    }

    [Fact]
    public void WaitForWarmUp_OnTheWarmUpThread_ReturnsFalseAtOnce()
    {
        bool? waited = null;
        KernelWarmUp.Enqueue(new object(), () => waited = Parallelism.WaitForWarmUp(TimeSpan.FromSeconds(30)));
        Parallelism.WaitForWarmUp();
        waited.Should().Be(KernelWarmUp.Enabled ? false : null, "a warm-up cannot wait for itself");
    }

    [Fact]
    public void Enqueue_AFailingWarmUp_TheNextStillRunsAndAKeyRunsOnce()
    {
        int runs = 0;
        var key = new object();
        KernelWarmUp.Enqueue(new object(), () => throw new InvalidOperationException("a warm-up that fails"));
        KernelWarmUp.Enqueue(key, () => Interlocked.Increment(ref runs));
        KernelWarmUp.Enqueue(key, () => Interlocked.Increment(ref runs));
        KernelWarmUp.Wait();
        runs.Should().Be(KernelWarmUp.Enabled ? 1 : 0);
    }

    [Fact]
    public void PassFinished_ByTheCaller_DropsTheWarmUpsNotStarted_ButNotByAWarmUpItself()
    {
        if (!KernelWarmUp.Enabled) return;   // nothing is queued on one core: the test below has nothing to drop
        KernelWarmUp.Wait();
        int dropped = 0, kept = 0;
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        KernelWarmUp.Enqueue(new object(), () =>
        {
            started.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        });
        KernelWarmUp.Enqueue(new object(), () => Interlocked.Increment(ref dropped));
        started.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken).Should().BeTrue("the warm-up thread starts");
        KernelWarmUp.PassFinished();   // a caller's step has finished while the second warm-up waits
        release.Set();
        KernelWarmUp.Wait();
        dropped.Should().Be(0);

        // A rehearsal's own prediction (the network rehearsal makes one) must not drop the warm-ups after it.
        KernelWarmUp.Enqueue(new object(), KernelWarmUp.PassFinished);
        KernelWarmUp.Enqueue(new object(), () => Interlocked.Increment(ref kept));
        KernelWarmUp.Wait();
        kept.Should().Be(1);
    }
}
