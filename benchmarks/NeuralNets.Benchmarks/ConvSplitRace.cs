using System.Diagnostics;
using System.Globalization;
using NeuralNets.Layers;

namespace NeuralNets.Benchmarks;

/// <summary>
/// One convolution layer's backward pass with its chunks split across the team where it has fewer chunks than threads,
/// against the same layer with the split switched off (the same bits), taking turns in one process: the medians of
/// rounds and the ratio per round.
/// </summary>
internal static class ConvSplitRace
{
    private const int RoundCount = 31, CallsPerRound = 15;

    /// <summary>Arguments: input channels, output channels, kernel, padding, image size, batch.</summary>
    public static void Run(string[] arguments)
    {
        if (arguments.Length != 6)
            throw new ArgumentException("convsplit CIN COUT KERNEL PADDING SIZE BATCH, e.g. convsplit 32 32 3 1 32 1");
        int[] values = arguments.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var (cin, cout, kernel, padding, size, batch) = (values[0], values[1], values[2], values[3], values[4], values[5]);
        int outSize = size + 2 * padding - kernel + 1;
        var x = BenchmarkData.Wrap(BenchmarkData.Uniform(batch * cin * size * size, 1), batch, cin, size, size);
        var g = BenchmarkData.Wrap(BenchmarkData.Uniform(batch * cout * outSize * outSize, 2), batch, cout, outSize, outSize);
        var layers = new[] { true, false }.Select(split => new Conv2D<float>(cin, cout, kernel, seed: 1, padding: padding) { AllowSplitBackward = split }).ToArray();
        var times = Rounds.Interleaved(layers.Select(layer => (Func<double>)(() => MedianBackward(layer, x, g))).ToArray(), RoundCount);
        var ratios = times[1].Zip(times[0], (whole, split) => whole / split).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"conv {cin}→{cout}, {kernel}×{kernel}, padding {padding}, {size}×{size}, batch {batch}: backward split {Rounds.Median(times[0]):F1} µs " +
            $"({layers[0].LastBackwardPieces} pieces a chunk), whole chunks {Rounds.Median(times[1]):F1} µs; ratio per round: median {Rounds.Median(ratios):F2}×, " +
            $"lowest {ratios.Min():F2}×, highest {ratios.Max():F2}× ({RoundCount} rounds of {CallsPerRound} calls each)"));
    }

    // A forward pass before each timed backward pass, as in training.
    private static double MedianBackward(Conv2D<float> layer, System.Numerics.Tensors.Tensor<float> x, System.Numerics.Tensors.Tensor<float> g)
    {
        var times = new double[CallsPerRound];
        for (int i = 0; i < CallsPerRound; i++)
        {
            layer.Forward(x, training: true);
            long start = Stopwatch.GetTimestamp();
            layer.Backward(g);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        return Rounds.Median(times);
    }
}
