using System.Diagnostics;
using System.Runtime;
using System.Numerics.Tensors;
using NeuralNets.Losses;
using NeuralNets.Optimizers;

namespace NeuralNets.Benchmarks;

/// <summary>
/// A fresh process's first second of training steps against its steady state: MLP 784-128(σ)-10 and the
/// LeNet-like CNN at batch 64 (zero gradients, forward, softmax cross-entropy, backward, SGD), each step timed; also
/// "dropout" (784-256(ReLU)-dropout 0.5-10) and "mse" (a 13-feature regression, 13-64-64-1 with ReLUs and the mean
/// squared error), and "cifarbn" (the race's CIFAR-sized CNN with BatchNorm2D), for the passes those layers and losses add.
/// Reports the mean and median of the steps in the first second after the first call, and the same of
/// 2 s of steps after 4 s of warm-up (by then tier-1 code with dynamic PGO has replaced the first tiers), and the
/// ratios of like to like: on a shared machine other tenants' bursts lengthen a few steps in every second, which
/// raises a mean but not a median, so a first-second mean against a steady median would count them as warm-up.
/// Also the mean step of the first second counted from the first call's start (the first call one of its steps), and
/// with FS_GAP_MS set, that many milliseconds pass between building the network and the first step (a program loading
/// its data), the time the warm-up has to compile on another core.
/// Also the compile time on every thread during the first call and in the second after it (<see cref="JitInfo"/>).
/// Run it once per process setting (e.g. DOTNET_TieredCompilation=0); the model is chosen by the argument.
/// </summary>
internal static class FirstSecond
{
    public static void Run(string model)
    {
        var network = model == "lenet"
            ? LeNet.Build(seed: 1)
            : model == "cifarbn" ? RaceNetworks.CifarSized(normalized: true, seed: 1)
            : model == "dropout" ? Network.Sequential<float>(784).Dense(256).ReLU().Dropout(0.5).Dense(10).Build(seed: 1)
            : model == "mse" ? Network.Sequential<float>(13).Dense(64).ReLU().Dense(64).ReLU().Dense(1).Build(seed: 1)
            : Network.Sequential<float>(784).Dense(128).Sigmoid().Dense(10).Build(seed: 1);
        Tensor<float> x = model == "lenet"
            ? BenchmarkData.Wrap(BenchmarkData.Uniform(64 * 784, 1, 0, 1), 64, 1, 28, 28)
            : model == "cifarbn" ? BenchmarkData.Wrap(BenchmarkData.Uniform(64 * 3 * 32 * 32, 1, 0, 1), 64, 3, 32, 32)
            : model == "mse" ? BenchmarkData.Wrap(BenchmarkData.Uniform(64 * 13, 1, 0, 1), 64, 13)
            : BenchmarkData.Wrap(BenchmarkData.Uniform(64 * 784, 1, 0, 1), 64, 784);
        var y = model == "mse" ? BenchmarkData.Wrap(BenchmarkData.Uniform(64, 2, 0, 1), 64, 1) : BenchmarkData.Wrap(BenchmarkData.Labels(64, 10, 2), 64);
        ILoss<float> loss = model == "mse" ? new MeanSquaredError<float>() : new SoftmaxCrossEntropy<float>();
        var sgd = new Sgd<float>(network.Parameters, learningRate: 0.01);
        float Evaluate()
        {
            TrainerZeroing.ZeroGradientsDeferred(network);
            float value = loss.Forward(network.Forward(x, training: true), y);
            network.BackwardToParameters(loss.Backward());
            return value;
        }
        Func<float> evaluate = Evaluate;

        // FS_GAP_MS: time between building the network and the first step, as a program that loads its data in between has.
        if (int.TryParse(Environment.GetEnvironmentVariable("FS_GAP_MS"), out int gap) && gap > 0) Thread.Sleep(gap);
        // FS_JIT=1: also list the library's methods compiled after the first call (tier-ups left to the runtime); FS_JIT=all: every method.
        string? jit = Environment.GetEnvironmentVariable("FS_JIT");
        // FS_JIT=first: every method compiled during the first call, by compile time; FS_JIT=wait (with FS_WAIT=1): during the wait.
        using var listing = jit is "1" or "all" or "first" or "wait" ? new JitListing { EveryMethod = jit == "all" } : null;
        // FS_WAIT=1: Parallelism.WaitForWarmUp() before the first step, as a program that wants its first step at speed calls it.
        string waited = "";
        if (Environment.GetEnvironmentVariable("FS_WAIT") == "1")
        {
            if (jit == "wait") listing!.StartCounting();
            double compiledBeforeWait = JitInfo.GetCompilationTime(currentThread: false).TotalMilliseconds;
            long waitStart = Stopwatch.GetTimestamp();
            Parallelism.WaitForWarmUp();
            waited = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"; waited for the warm-up {Stopwatch.GetElapsedTime(waitStart).TotalMilliseconds:F1} ms before it, compiling {JitInfo.GetCompilationTime(currentThread: false).TotalMilliseconds - compiledBeforeWait:F1} ms (all threads)");
            if (jit == "wait") listing!.PrintCompileCosts(top: int.TryParse(Environment.GetEnvironmentVariable("FS_TOP"), out int waitTop) ? waitTop : 60);
        }
        if (jit == "first") listing!.StartCounting();
        double compiledBefore = JitInfo.GetCompilationTime(currentThread: false).TotalMilliseconds;
        long start = Stopwatch.GetTimestamp();
        sgd.Step(evaluate);
        double firstCall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        double compiledAtFirstCall = JitInfo.GetCompilationTime(currentThread: false).TotalMilliseconds;
        if (jit == "first") listing!.PrintCompileCosts(top: int.TryParse(Environment.GetEnvironmentVariable("FS_TOP"), out int top) ? top : 60);
        else listing?.StartCounting();
        var first = Steps(sgd, evaluate, TimeSpan.FromSeconds(1));
        // Compile time on every thread: during the first call, and in the second after it (tier-up of whatever the library
        // left to the tiers, the runtime's own methods, this program's): the mechanism behind a slow first second, without
        // the host's drift between one second and the next.
        double compiledInFirstSecond = JitInfo.GetCompilationTime(currentThread: false).TotalMilliseconds - compiledAtFirstCall;
        // The first second from the first call's start, the first call one of its steps: what a program that trains right
        // after building (or loading its data for FS_GAP_MS) sees.
        int inFirstSecond = 1;
        for (double t = firstCall * 1000; inFirstSecond <= first.Count && t + first[inFirstSecond - 1] <= 1e6; inFirstSecond++) t += first[inFirstSecond - 1];
        double withFirstCall = 1e6 / inFirstSecond;
        if (Environment.GetEnvironmentVariable("FS_TRACE") == "1")
        {
            double t = 0; int bucket = 0; var sum = new double[10]; var n = new int[10];
            foreach (var v in first) { t += v; bucket = Math.Min(9, (int)(t / 100_000)); sum[bucket] += v; n[bucket]++; }
            for (int b = 0; b < 10; b++) Console.Write($"{(n[b] == 0 ? 0 : sum[b] / n[b]):F0} ");
            Console.WriteLine();
        }
        Steps(sgd, evaluate, TimeSpan.FromSeconds(3));
        var steady = Steps(sgd, evaluate, TimeSpan.FromSeconds(2));
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{model}: first call {firstCall:F1} ms; first second {first.Count} steps, mean {first.Average():F1} µs, median {Rounds.Median(first):F1} µs; steady {steady.Count} steps, mean {steady.Average():F1} µs, median {Rounds.Median(steady):F1} µs; first second / steady: means {first.Average() / steady.Average():F2}, medians {Rounds.Median(first) / Rounds.Median(steady):F2}; the first second with the first call {withFirstCall:F1} µs a step, {withFirstCall / steady.Average():F2} × steady; compiling (all threads) during the first call {compiledAtFirstCall - compiledBefore:F1} ms, in the second after it {compiledInFirstSecond:F1} ms{waited}"));
        if (jit != "first") listing?.PrintLibraryMethods();
    }

    private static List<double> Steps(Sgd<float> sgd, Func<float> evaluate, TimeSpan span)
    {
        var times = new List<double>(100_000);
        long end = Stopwatch.GetTimestamp() + (long)(span.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            long t = Stopwatch.GetTimestamp();
            sgd.Step(evaluate);
            times.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
        }
        return times;
    }
}
