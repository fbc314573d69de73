using System.Diagnostics;
using System.Globalization;
using NeuralNets.Layers;

namespace NeuralNets.Benchmarks;

/// <summary>
/// Median forward and backward time of one float convolution layer of any shape over a batch, with the rate it reaches
/// in GFLOP/s (two per multiply-add; the backward pass computes the input and the weight gradient), on one thread or the
/// whole team: for comparing a kernel change with the machine's peak (<c>peak</c>) in alternating processes.
/// </summary>
internal static class ConvLayerTimer
{
    /// <summary>Arguments: input channels, output channels, kernel, padding, image size, batch, and optionally threads (0: the team).</summary>
    public static void Run(string[] arguments)
    {
        if (arguments.Length is < 6 or > 7)
            throw new ArgumentException("convlayer CIN COUT KERNEL PADDING SIZE BATCH [THREADS], e.g. convlayer 32 64 3 0 26 32 1");
        int[] values = arguments.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var (cin, cout, kernel, padding, size, batch) = (values[0], values[1], values[2], values[3], values[4], values[5]);
        int threads = values.Length > 6 ? values[6] : 0;
        // CONV_DX=direct|column: the input gradient's path forced (the same bits either way); unset, the layer's calibrated choice.
        bool? inputGradient = Environment.GetEnvironmentVariable("CONV_DX") switch { "direct" => true, "column" => false, _ => null };
        var layer = new Conv2D<float>(cin, cout, kernel, seed: 1, padding: padding) { MaxParts = threads, ForcedInputGradientChoice = inputGradient };
        int outSize = size + 2 * padding - kernel + 1;
        var x = BenchmarkData.Wrap(BenchmarkData.Uniform(batch * cin * size * size, 1), batch, cin, size, size);
        var g = BenchmarkData.Wrap(BenchmarkData.Uniform(batch * cout * outSize * outSize, 2), batch, cout, outSize, outSize);
        const int runs = 61;
        var forward = new double[runs];
        var backward = new double[runs];
        var weightsOnly = new double[runs];
        for (int r = -20; r < runs; r++)
        {
            layer.Forward(x, training: true);
            long weightsStart = Stopwatch.GetTimestamp();
            ((IParameterGradientOnly<float>)layer).BackwardToParameters(g);
            if (r >= 0) weightsOnly[r] = Stopwatch.GetElapsedTime(weightsStart).TotalMicroseconds;
            long start = Stopwatch.GetTimestamp();
            layer.Forward(x, training: true);
            if (r >= 0) forward[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            start = Stopwatch.GetTimestamp();
            layer.Backward(g);
            if (r >= 0) backward[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(forward);
        Array.Sort(backward);
        Array.Sort(weightsOnly);
        double flops = 2.0 * batch * cout * outSize * outSize * cin * kernel * kernel;
        double f = forward[runs / 2], b = backward[runs / 2], wg = weightsOnly[runs / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"conv {cin}→{cout}, {kernel}×{kernel}, padding {padding}, {size}×{size}, batch {batch}, {(threads == 0 ? "the team" : $"{threads} thread(s)")}: forward {f:F1} µs ({flops / f / 1e3:F1} GFLOP/s), backward {b:F1} µs ({2 * flops / b / 1e3:F1} GFLOP/s), the weight gradient alone {wg:F1} µs ({flops / wg / 1e3:F1} GFLOP/s); medians of {runs}"));
        var choices = layer.Choices;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  chosen: direct forward {Said(choices.DirectForward)}, gathered fold {Said(choices.GatheredFold)}, direct input gradient {Said(choices.DirectInputGradient)}; backward pieces a chunk {layer.LastBackwardPieces}"));

        static string Said(bool? choice) => choice switch { true => "yes", false => "no", null => "not applicable" };
    }
}
