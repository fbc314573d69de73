using System.Diagnostics;
using NeuralNets.Kernels;
using NeuralNets.Layers;

namespace NeuralNets.Benchmarks;

/// <summary>Median time of each piece of a convolution's passes (unfold, products, bias, fold) over a batch, on one thread, for finding where LeNet's time goes.</summary>
internal static class QuickConvParts
{
    public static void Run(int batch)
    {
        if (Environment.GetEnvironmentVariable("PARTS") == "1")
        {
            Time("conv1 1->6 5x5 pad 2 28x28", batch, 1, 6, 5, 2, 28);
            Time("conv2 6->16 5x5 14x14", batch, 6, 16, 5, 0, 14);
        }
        foreach (int parts in new[] { 1 })
            foreach (bool direct in new[] { false, true })
            {
                Layer($"conv1 direct={direct} parts={parts}", batch, 1, 6, 5, 2, 28, direct, parts, inputGradient: false);
                Layer($"conv2 direct={direct} parts={parts}", batch, 6, 16, 5, 0, 14, direct, parts, inputGradient: true);
                Layer($"conv2 dW only direct={direct} parts={parts}", batch, 6, 16, 5, 0, 14, direct, parts, inputGradient: false);
            }
    }

    private static void Layer(string name, int batch, int cin, int cout, int kernel, int pad, int size, bool direct, int parts, bool inputGradient)
    {
        var layer = new Conv2D<float>(cin, cout, kernel, seed: 1, padding: pad) { AllowDirect = direct, ForcedChoice = direct, MaxParts = parts };
        var x = BenchmarkData.Wrap(BenchmarkData.Uniform(batch * cin * size * size, 1), batch, cin, size, size);
        int outS = size + 2 * pad - kernel + 1;
        var g = BenchmarkData.Wrap(BenchmarkData.Uniform(batch * cout * outS * outS, 2), batch, cout, outS, outS);
        var forward = new double[201];
        var backward = new double[201];
        for (int r = -200; r < forward.Length; r++)
        {
            long t = Stopwatch.GetTimestamp();
            layer.Forward(x, true);
            if (r >= 0) forward[r] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            t = Stopwatch.GetTimestamp();
            if (inputGradient) layer.Backward(g);
            else ((IParameterGradientOnly<float>)layer).BackwardToParameters(g);
            if (r >= 0) backward[r] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }
        Array.Sort(forward);
        Array.Sort(backward);
        Console.WriteLine($"{name,-32} forward {forward[100],8:F1} us  backward {backward[100],8:F1} us");
    }

    private static void Time(string name, int batch, int cin, int cout, int kernel, int pad, int size)
    {
        var window = Window2D.Create("probe", (kernel, kernel), (1, 1), (pad, pad));
        int outS = window.OutputHeight(size), plane = outS * outS, rows = cin * kernel * kernel, image = cin * size * size;
        int chunk = Math.Max(1, Math.Min(batch, (1 << 16) / (rows * plane)));
        int span = chunk * plane;
        var x = BenchmarkData.Uniform(batch * image, 1);
        var w = BenchmarkData.Uniform(cout * rows, 2);
        var dy = BenchmarkData.Uniform(batch * cout * plane, 3);
        var columns = new float[rows * span];
        var product = new float[cout * span];
        var dw = new float[cout * rows];
        var colGrad = new float[rows * span];
        var dx = new float[batch * image];
        var y = new float[batch * cout * plane];
        var padded = new float[cin * (size + 2 * pad) * (size + 2 * pad)];
        int chunks = (batch + chunk - 1) / chunk;
        // The direct weight gradient's pieces (few channels: vectors across positions).
        int paddedWidth = size + 2 * pad, spreadLength = DirectConvolution.SpreadLength(outS, paddedWidth);
        int imageLength = DirectConvolution.SpreadImageLength(cin, size, size, window);
        var offsets = new int[rows];
        DirectConvolution.TapOffsets(cin, size, size, window, offsets);
        var paddedChunk = NeuralNets.Tensors.AlignedArrays.Allocate<float>(chunk * imageLength);
        var spread = NeuralNets.Tensors.AlignedArrays.Allocate<float>(chunk * cout * spreadLength);
        var gatherSource = new float[rows * span + 2 * GatherFold.Slack];
        var laneSums = new float[DirectConvolution.LaneSumsLength(cout, rows)];
        var parts = new (string Name, Action<int, int> Body)[]
        {
            ("unfold", (first, count) => { for (int n = 0; n < count; n++) Im2Col.Unfold<float>(x.AsSpan((first + n) * image, image), cin, size, size, window, outS, outS, columns.AsSpan(n * plane), span); }),
            ("unfold padded", (first, count) => { for (int n = 0; n < count; n++) { Im2Col.Pad<float>(x.AsSpan((first + n) * image, image), cin, size, size, window, padded); Im2Col.UnfoldPadded<float>(padded, cin, size, size, window, outS, outS, columns.AsSpan(n * plane), span); } }),
            ("fwd product", (first, count) => MatrixMultiply.Compute<float>(w, false, columns, false, product, cout, count * plane, rows, false, maxThreads: 1)),
            ("bias to NCHW", (first, count) => { for (int n = 0; n < count; n++) for (int o = 0; o < cout; o++) Elementwise.Add(product.AsSpan(o * span + n * plane, plane), 0.5f, y.AsSpan(((first + n) * cout + o) * plane, plane)); }),
            ("dy rearrange", (first, count) => { for (int n = 0; n < count; n++) for (int o = 0; o < cout; o++) dy.AsSpan(((first + n) * cout + o) * plane, plane).CopyTo(product.AsSpan(o * span + n * plane, plane)); }),
            ("dW product", (first, count) => MatrixMultiply.Compute<float>(product, false, columns, true, dw, cout, rows, count * plane, false, maxThreads: 1)),
            ("direct pad", (first, count) => { for (int n = 0; n < count; n++) DirectConvolution.Pad(x.AsSpan((first + n) * image, image), cin, size, size, window, paddedChunk.AsSpan(n * imageLength, imageLength)); }),
            ("spread dY", (first, count) => { for (int n = 0; n < count; n++) DirectConvolution.SpreadGradient(dy.AsSpan((first + n) * cout * plane, cout * plane), cout, outS, outS, paddedWidth, spread.AsSpan(n * cout * spreadLength, cout * spreadLength)); }),
            ("dW positions", (first, count) => DirectConvolution.WeightGradientAcrossPositions(paddedChunk, imageLength, offsets, spread, spreadLength, cout, count, laneSums, dw)),
            ("dX product", (first, count) => MatrixMultiply.Compute<float>(w, true, product, false, colGrad, rows, count * plane, cout, false, maxThreads: 1)),
            ("gather fold", (first, count) => { for (int n = 0; n < count; n++) GatherFold.Fold(gatherSource, span, n, cin, size, size, window, outS, outS, dx.AsSpan((first + n) * image, image)); }),
            ("fold", (first, count) => { for (int n = 0; n < count; n++) Im2Col.FoldAdd<float>(colGrad.AsSpan(n * plane), span, cin, size, size, window, outS, outS, dx.AsSpan((first + n) * image, image)); }),
        };
        Console.WriteLine($"{name}: chunk {chunk} samples, {chunks} chunks, K={rows}, plane={plane}");
        double total = 0;
        foreach (var (partName, body) in parts)
        {
            var times = new double[101];
            for (int r = -100; r < times.Length; r++)
            {
                long t = Stopwatch.GetTimestamp();
                for (int c = 0; c < chunks; c++) body(c * chunk, Math.Min(chunk, batch - c * chunk));
                if (r >= 0) times[r] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            }
            Array.Sort(times);
            total += times[50];
            Console.WriteLine($"  {partName,-14} {times[50],8:F1} us");
        }
        Console.WriteLine($"  total          {total,8:F1} us (one thread)");
    }
}
