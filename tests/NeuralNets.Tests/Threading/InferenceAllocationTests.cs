namespace NeuralNets.Tests.Threading;

/// <summary>Steady inference allocates nothing, counted over every thread of the process.</summary>
[Collection(ProcessWideMeasurement.Name)]
public class InferenceAllocationTests
{
    [Fact]
    public void PredictIntoSpan_SteadyCallsOnTwoThreads_AllocateNothing()
    {
        // 784 → 128 at batch 1 is split across the helper threads; two callers at once means one of them runs its parts itself.
        var network = Network.Sequential<float>(784).Dense(128).Sigmoid().Dense(10).Build(seed: 3);
        var x = TestTensors.Random<float>(9, 784).ToArray();
        // The kernels' warm-up thread (which a network may have started) must not be counted with the callers.
        NeuralNets.Kernels.KernelWarmUp.Wait();
        const int Calls = 1000, Rounds = 8;
        // Two long-lived callers, as a server's threads are: each round, both predict Calls times at once.
        // (A thread's first calls fill its per-thread job caches once; later rounds must allocate nothing.)
        using var roundStart = new Barrier(3);
        using var roundEnd = new Barrier(3);
        var callers = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            var output = new float[10];
            for (int round = 0; round < Rounds; round++)
            {
                roundStart.SignalAndWait();
                for (int i = 0; i < Calls; i++) network.Predict(x, output);
                roundEnd.SignalAndWait();
            }
        })).ToArray();
        foreach (var caller in callers) caller.Start();
        long allocated = long.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            roundStart.SignalAndWait(TestContext.Current.CancellationToken);
            roundEnd.SignalAndWait(TestContext.Current.CancellationToken);
            // The first two rounds warm up (buffers, per-thread caches, the JIT's final code); the least of the other six
            // counts (the test runner's own threads may allocate during some of them on a slow host).
            if (round >= 2) allocated = Math.Min(allocated, GC.GetTotalAllocatedBytes(precise: true) - before);
        }
        foreach (var caller in callers) caller.Join();
        // Any object made per call (24 bytes at least) would add up to 48 KB here.
        allocated.Should().BeLessThan(1024, $"{2 * Calls} steady predictions on two threads, counted over every thread");
    }

    [Fact]
    public void PredictBatch_SteadyCalls_AllocateOnlyTheResult()
    {
        var network = Network.Sequential<float>(784).Dense(128).Sigmoid().Dense(10).Build(seed: 3);
        var batch = TestTensors.Random<float>(4, 64, 784);
        for (int i = 0; i < 100; i++) network.Predict(batch);
        long allocated = ProcessWideMeasurement.AllocatedBy(() =>
        {
            for (int i = 0; i < 100; i++) network.Predict(batch);
        });
        // The result: 640 floats and the tensor around them.
        (allocated / 100).Should().BeLessThan(64 * 10 * sizeof(float) + 512);
    }

    [Fact]
    public void PredictBatchIntoSpan_SteadyCalls_AllocateNothing()
    {
        var network = Network.Sequential<float>([1, 28, 28]).Flatten().Dense(128).ReLU().Dense(10).Build(seed: 3);
        var batch = TestTensors.Random<float>(4, 64, 1, 28, 28);
        var output = new float[64 * 10];
        for (int i = 0; i < 100; i++) network.Predict(batch, output);
        long allocated = ProcessWideMeasurement.AllocatedBy(() =>
        {
            for (int i = 0; i < 100; i++) network.Predict(batch, output);
        });
        // Any object made per call (24 bytes at least) would add up to 2.4 KB here.
        allocated.Should().BeLessThan(1024, "100 steady batch predictions into a caller's span");
        output.Should().Equal(network.Predict(batch).ToArray());
    }
}
