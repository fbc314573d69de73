using System.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;

namespace NeuralNets.Benchmarks;

/// <summary>Median time of each layer's forward and backward pass in one LeNet training step, for finding where the time goes.</summary>
internal static class QuickLeNetTimer
{
    public static void Run(int batch)
    {
        if (Environment.GetEnvironmentVariable("POOLONLY") == "1")
        {
            var pool = new MaxPool2D<float>(2);
            var input = BenchmarkData.Wrap(BenchmarkData.Uniform(batch * 6 * 28 * 28, 3), batch, 6, 28, 28);
            var times = new double[2001];
            for (int r = -2000; r < 2001; r++)
            {
                long t = Stopwatch.GetTimestamp();
                pool.Forward(input, true);
                if (r >= 0) times[r] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            }
            Array.Sort(times);
            Console.WriteLine($"maxpool forward alone: {times[1000]:F1} us");
            return;
        }
        var x = BenchmarkData.Wrap(BenchmarkData.Uniform(batch * 784, 1, 0, 1), batch, 1, 28, 28);
        var y = BenchmarkData.Wrap(BenchmarkData.Labels(batch, 10, 2), batch);
        var network = LeNet.Build(seed: 1);
        var loss = new SoftmaxCrossEntropy<float>();
        var layers = network.Layers;
        int count = layers.Count;
        const int rounds = 201;
        var forward = new double[count][];
        var backward = new double[count][];
        for (int i = 0; i < count; i++) (forward[i], backward[i]) = (new double[rounds], new double[rounds]);
        for (int r = -2 * rounds; r < rounds; r++)
        {
            if (r == -rounds) Thread.Sleep(200);
            TrainerZeroing.ZeroGradientsDeferred(network);
            var h = x;
            for (int i = 0; i < count; i++)
            {
                long t = Stopwatch.GetTimestamp();
                h = layers[i].Forward(h, true);
                if (r >= 0) forward[i][r] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            }
            loss.Forward(h, y);
            var g = loss.Backward();
            for (int i = count - 1; i >= 0; i--)
            {
                long t = Stopwatch.GetTimestamp();
                if (i == 0 && layers[0] is IParameterGradientOnly<float> first) first.BackwardToParameters(g);
                else g = layers[i].Backward(g);
                if (r >= 0) backward[i][r] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            }
        }
        long before = GC.GetTotalAllocatedBytes(true);
        for (int r = 0; r < 100; r++)
        {
            TrainerZeroing.ZeroGradientsDeferred(network);
            loss.Forward(network.Forward(x, true), y);
            network.BackwardToParameters(loss.Backward());
        }
        Console.WriteLine($"allocated per step: {(GC.GetTotalAllocatedBytes(true) - before) / 100.0:F1} B");
        double total = 0;
        for (int i = 0; i < count; i++)
        {
            Array.Sort(forward[i]);
            Array.Sort(backward[i]);
            double f = forward[i][rounds / 2], b = backward[i][rounds / 2];
            total += f + b;
            Console.WriteLine($"{layers[i],-40} forward {f,8:F1} us   backward {b,8:F1} us");
        }
        Console.WriteLine($"total of medians {total:F1} us");
    }
}
