#if WITH_ONNX
using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using NeuralNets.Data;
using NeuralNets.Interop;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Benchmarks;

/// <summary>
/// Inference side by side: NeuralNets <c>Predict</c> against an ONNX Runtime <c>InferenceSession</c> on the same network
/// exported with <see cref="OnnxFile"/>, for a Fashion-MNIST MLP (784-128-10) and LeNet, each trained for one short epoch.
/// Batch 1 is latency (µs per call), batch 64 throughput (images per second); both libraries with their default threads,
/// and each also on one thread (<see cref="Parallelism.MaxThreads"/> = 1, ORT's IntraOpNumThreads = 1); NeuralNets both as the
/// trained <c>Sequential</c> and as its <see cref="Sequential{T}.Freeze"/> copy. Medians of <see cref="RoundCount"/> rounds, the six
/// contestants taking turns within each round; the ratios are NeuralNets over ONNX Runtime (below 1 means NeuralNets is faster
/// for latency, above 1 faster for throughput), of the medians and, steadier on a host whose speed changes, the median of
/// the ratios within each round.
/// </summary>
internal static class OnnxRuntimeRace
{
    private const int RoundCount = 9;
    private static readonly TimeSpan RoundLength = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan IdlePause = TimeSpan.FromMilliseconds(100);

    public static void Run(string directory)
    {
        var train = FashionMnist.Load<float>(directory, train: true).Take(6000);
        var test = FashionMnist.Load<float>(directory, train: false).Take(64);
        Console.WriteLine($"{Environment.ProcessorCount} processors; medians of {RoundCount} rounds of {RoundLength.TotalMilliseconds} ms; networks trained one epoch on 6,000 images");
        Console.WriteLine("| network | batch | NeuralNets default threads | NeuralNets 1 thread | frozen, default threads | frozen, 1 thread | ORT default threads | ORT 1 thread | NeuralNets / ORT, default threads | median of the rounds' ratios | frozen: median of the rounds' ratios |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        Race("MLP 784-128-10", Trained(Network.Sequential<float>([1, 28, 28]).Flatten().Dense(128).ReLU().Dense(10).Build(seed: 1), train), test);
        Race("LeNet", Trained(Network.Sequential<float>([1, 28, 28]).Conv2D(6, kernel: 5, padding: 2).ReLU().MaxPool2D(2)
            .Conv2D(16, kernel: 5).ReLU().MaxPool2D(2).Flatten().Dense(120).ReLU().Dense(84).ReLU().Dense(10).Build(seed: 1), train), test);
    }

    private static Sequential<float> Trained(Sequential<float> network, Dataset<float> train)
    {
        new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(network.Parameters, learningRate: 0.001))
            .Fit(train, new TrainingOptions { Epochs = 1, BatchSize = 32, Seed = 1 });
        return network;
    }

    private static void Race(string name, Sequential<float> network, Dataset<float> images)
    {
        byte[] model = OnnxFile.ToBytes(network);
        var frozenNetwork = network.Freeze();
        foreach (int batch in new[] { 1, 64 })
        {
            var all = new float[images.Features.FlattenedLength];
            images.Features.FlattenTo(all);
            var input = all[..(batch * 784)];
            var tensor = Tensor.Create(input, [batch, 1, 28, 28]);
            // Both sides write into buffers kept from call to call, as ONNX Runtime's preallocated output values do.
            var output = new float[batch * 10];
            Action ours = batch == 1 ? () => network.Predict(input, output) : () => network.Predict(tensor, output);
            // The frozen copy: ORT's session likewise holds the weights as constants, laid out once.
            Action frozen = batch == 1 ? () => frozenNetwork.Predict(input, output) : () => frozenNetwork.Predict(tensor, output);
            int defaultThreads = Parallelism.DefaultMaxThreads;
            var times = Interleaved([(ours, defaultThreads), (ours, 1), (frozen, defaultThreads), (frozen, 1),
                (OrtCall(model, input, batch, threads: 0), defaultThreads), (OrtCall(model, input, batch, threads: 1), defaultThreads)]);
            double mine = Rounds.Median(times[0]), mineOne = Rounds.Median(times[1]), frozenDefault = Rounds.Median(times[2]), frozenOne = Rounds.Median(times[3]);
            double ortDefault = Rounds.Median(times[4]), ortOne = Rounds.Median(times[5]);
            // The ratio of each round's pair, then the median: a round's two calls ran in the same state of the host.
            double RatioToOrt(double[] ourTimes) =>
                Rounds.Median(ourTimes.Zip(times[4], (ourTime, ortTime) => batch == 1 ? ourTime / ortTime : ortTime / ourTime).ToArray());
            double ratio = RatioToOrt(times[0]), frozenRatio = RatioToOrt(times[2]);
            Console.WriteLine(batch == 1
                ? $"| {name} | 1 | {mine:F1} µs | {mineOne:F1} µs | {frozenDefault:F1} µs | {frozenOne:F1} µs | {ortDefault:F1} µs | {ortOne:F1} µs | {mine / ortDefault:F2} | {ratio:F2} | {frozenRatio:F2} |"
                : $"| {name} | 64 | {64e6 / mine:N0} img/s | {64e6 / mineOne:N0} img/s | {64e6 / frozenDefault:N0} img/s | {64e6 / frozenOne:N0} img/s | {64e6 / ortDefault:N0} img/s | {64e6 / ortOne:N0} img/s | {ortDefault / mine:F2} | {ratio:F2} | {frozenRatio:F2} |");
        }
    }

    /// <summary>One ONNX Runtime inference over fixed input and output buffers (nothing allocated per call but the runtime's own).</summary>
    private static Action OrtCall(byte[] model, float[] input, int batch, int threads)
    {
        var options = new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        var session = new InferenceSession(model, options);
        var inputValue = OrtValue.CreateTensorValueFromMemory(input, [batch, 1, 28, 28]);
        var outputValue = OrtValue.CreateTensorValueFromMemory(new float[batch * 10], [batch, 10]);
        var runOptions = new RunOptions();
        string[] inputNames = ["input"], outputNames = ["output"];
        OrtValue[] inputs = [inputValue], outputs = [outputValue];
        return () => session.Run(runOptions, inputNames, inputs, outputNames, outputs);
    }

    /// <summary>
    /// Microseconds per call of each contestant in each of <see cref="RoundCount"/> rounds, taking turns (<see cref="Rounds"/>).
    /// Each runs with its own <see cref="Parallelism.MaxThreads"/>.
    /// </summary>
    private static double[][] Interleaved((Action Call, int MaxThreads)[] contestants) =>
        Rounds.Interleaved(contestants.Select(contestant => (Func<double>)(() =>
        {
            // An idle pause first, long enough for the last contestant's worker threads to stop polling for work and sleep
            // (both libraries' workers spin a while after a call): each contestant then has the machine to itself.
            Thread.Sleep(IdlePause);
            Parallelism.MaxThreads = contestant.MaxThreads;
            try { return Measure(contestant.Call); }
            finally { Parallelism.MaxThreads = Parallelism.DefaultMaxThreads; }
        })).ToArray(), RoundCount);

    private static double Measure(Action call)
    {
        var clock = Stopwatch.StartNew();
        long count = 0;
        while (clock.Elapsed < RoundLength)
        {
            for (int i = 0; i < 8; i++) call();
            count += 8;
        }
        return clock.Elapsed.TotalMicroseconds / count;
    }
}
#endif
