using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Tests.Golden;
using NeuralNets.Tests.Kernels;
using NeuralNets.Tests.Layers;
using NeuralNets;
using NeuralNets.PortableChecks;

// Runs the kernel, layer, golden-value and determinism checks on whatever CPU this is, printing
// "pass NAME" or "FAIL NAME: why" per check and "checks: N passed, M failed"; exits 1 on any failure.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var checks = new Checks();
Console.WriteLine($"{RuntimeInformation.ProcessArchitecture}: {(KernelWidth.FusedFamily ? "fused" : "unfused")} family, multiply-add kernels {KernelWidth.MultiplyAdd} bits, exact {KernelWidth.HardwareExact} bits, {Environment.ProcessorCount} processors");

// Every check in the runtime's own numeric family, then again with the unfused family forced (that of CPUs without
// FMA: here on this CPU's vectors, which is how WebAssembly's 128-bit unfused paths get run on ARM64 too).
foreach (bool unfused in new[] { false, true })
{
    string family = unfused ? " [unfused forced]" : "";
    Func<string?> In(Func<string?> check) => () =>
    {
        using var scope = KernelWidth.ForceUnfused(unfused);
        return check();
    };
    foreach (var (m, n, k) in new[] { (1, 10, 784), (4, 17, 9), (17, 65, 31), (64, 128, 784), (64, 10, 128), (128, 784, 64), (6, 700, 25), (6, 25, 5000) })
        checks.Run($"matrix product {m}x{n}x{k}: every width and the scalar tiles agree{family}", In(() => KernelChecks.MatrixMultiplyEveryWidth(m, n, k)));
    checks.Run($"elementwise kernels, sigmoid, exp, fixed sums: every width agrees{family}", In(KernelChecks.ElementwiseEveryWidth));
    checks.Run($"exponential within 2 ulp (float and double){family}", In(KernelChecks.ExponentialAccuracy));
    checks.Run($"float GELU (both forms), ELU, SiLU, Softplus forward and backward: every width agrees{family}", In(KernelChecks.ActivationsEveryWidth));
    checks.Run($"max pooling 2×2, four and eight windows at a time: the first maximum wins and takes the gradient{family}", In(KernelChecks.MaxPoolTwoByTwo));
    checks.Run($"max and average pooling after LeakyReLU, ELU, GELU and ReLU as one pass: the two layers' bits{family}", In(KernelChecks.ActivationPoolPairs));
    checks.Run($"average pooling 2×2, four and eight windows at a time: each window's sum in order, its share to each input{family}", In(KernelChecks.AvgPoolTwoByTwo));
    checks.Run($"convolutions: the direct forward pass and input gradient (without unfolding, without the column gradient) give the unfolded path's bits at every width{family}", In(KernelChecks.DirectConvolutionPasses));
    checks.Run($"convolutions: a backward pass split inside its chunks (ranges of input channels, bands of rows, the column gradient) gives one part's bits at every width{family}", In(KernelChecks.SplitBackwardPasses));
    checks.Run($"transposes (whole matrices, a convolution's output gradient, packing Bᵀ) against the definition{family}", In(KernelChecks.Transposes));
    checks.Run($"golden: MLP with sigmoid and cross-entropy matches libtorch to 1e-10{family}", In(GoldenChecks.Mlp));
    checks.Run($"golden: Conv2D matches libtorch to 1e-10{family}", In(GoldenChecks.Conv));
    checks.Run($"determinism: the reference runs' weight fingerprint is the recorded one{family}", In(() =>
    {
        string actual = ReferenceTraining.FingerprintText(), expected = ReferenceTraining.ExpectedFingerprint;
        return actual == expected ? null : $"fingerprint {actual}, recorded {expected}";
    }));
    checks.Run($"determinism: the reference MLP at every width gives the same weights{family}", In(() => KernelChecks.SameAtEveryWidth(ReferenceTraining.Mlp)));
    checks.Run($"determinism: the reference CNN at every width gives the same weights{family}", In(() => KernelChecks.SameAtEveryWidth(ReferenceTraining.Cnn)));
    checks.Run($"random networks (float): a training pass gives its layers' bits in turn, on one thread and at every width{family}",
        In(() => RandomNetworkChecks.TrainingPasses<float>(RandomNetworkChecks.FloatSeeds.First, RandomNetworkChecks.FloatSeeds.Count)));
    checks.Run($"random networks (double): a training pass gives its layers' bits in turn, on one thread and at every width{family}",
        In(() => RandomNetworkChecks.TrainingPasses<double>(RandomNetworkChecks.DoubleSeeds.First, RandomNetworkChecks.DoubleSeeds.Count)));
}

// No multiply-adds here, so one family: each vector path against the order written out one value at a time.
checks.Run("batch normalisation's plane sums in sixteen lanes: the order written out one value at a time (float and double)", KernelChecks.PlaneSumsInLanes);

// Files are written through code generated at build time and read field by field: the same in a Native AOT build.
checks.Run("files: a model saved and loaded back gives the same bits and predictions; one cut in half is refused", FileChecks.ModelRoundTrip);
checks.Run("files: training resumed from a checkpoint ends with the weights of a straight run; a damaged checkpoint is refused", FileChecks.CheckpointResumes);

// The cache sizes that set the kernels' thresholds come from the system's own report (Linux's sysfs, Windows'
// GetLogicalProcessorInformationEx, macOS's sysctl), not the defaults: the check that each platform's reader works.
checks.Run($"caches: read from the system ({CacheSizes.Source}: L1 data {CacheSizes.L1DataBytes / 1024} KB, L2 {CacheSizes.L2Bytes / 1024} KB per thread)", () =>
{
    string expected = OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "sysctl" : "sysfs";
    return CacheSizes.Source == expected ? null : $"the sizes came from {CacheSizes.Source}, not {expected}";
});

// Printed for CI to compare across x64, ARM64 and Windows: within a numeric family the bits must not depend on the CPU.
Console.WriteLine($"fingerprint of the random networks' training passes, {(KernelWidth.FusedFamily ? "fused" : "unfused")} family: {RandomNetworkChecks.Fingerprint(unfused: false)}");
Console.WriteLine($"fingerprint of the random networks' training passes, unfused family: {RandomNetworkChecks.Fingerprint(unfused: true)}");

Console.WriteLine($"checks: {checks.Passed} passed, {checks.Failed} failed");
return checks.Failed == 0 ? 0 : 1;

/// <summary>Runs named checks: each returns null when it holds, or what was wrong.</summary>
internal sealed class Checks
{
    public int Passed { get; private set; }
    public int Failed { get; private set; }

    public void Run(string name, Func<string?> check)
    {
        string? problem;
        try { problem = check(); }
        catch (Exception e) { problem = e.ToString(); } // with its stack: a failure on another CPU is read from CI's log alone
        if (problem == null) Passed++;
        else Failed++;
        Console.WriteLine(problem == null ? $"pass {name}" : $"FAIL {name}: {problem}");
    }
}

internal static class KernelChecks
{
    private static readonly int[] Widths = [512, 256, 128, KernelWidth.Scalar];

    public static string? MatrixMultiplyEveryWidth(int m, int n, int k)
    {
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            var a = Random(1, m * k);
            var b = Random(2, k * n);
            float[]? first = null;
            foreach (int bits in Widths)
            {
                var c = new float[m * n];
                using (KernelWidth.Limit(bits)) MatrixMultiply.Compute<float>(a, ta, b, tb, c, m, n, k, accumulate: false, parallelThreshold: 0);
                first ??= c;
                if (!Same(first, c)) return $"transposeA={ta}, transposeB={tb}: {bits} bits differ from the widest";
            }
        }
        return null;
    }

    public static string? ElementwiseEveryWidth()
    {
        var x = Random(3, 203, 40);
        var y = Random(4, 203, 1);
        float[]? first = null;
        foreach (int bits in Widths)
        {
            using var scope = KernelWidth.Limit(bits);
            var results = new List<float>();
            var output = new float[x.Length];
            FloatSigmoid.Compute(x, output);
            results.AddRange(output);
            Exponential.Compute<float>(x, output);
            results.AddRange(output);
            Elementwise.SigmoidBackward<float>(y, x, output);
            results.AddRange(output);
            Elementwise.ZeroUnlessPositive<float>(x, y, output);
            results.AddRange(output);
            results.Add(FixedSum.Sum<float>(x));
            results.Add(FixedSum.Dot<float>(x, y));
            var result = results.ToArray();
            first ??= result;
            if (!Same(first, result)) return $"{bits} bits differ from the widest";
        }
        return null;
    }

    public static string? MaxPoolTwoByTwo()
    {
        // Rows of four to seventeen windows (the vector paths' full groups and overlapping last groups, an odd last column);
        // few distinct values, so that ties are common, and a NaN.
        foreach (int width in new[] { 8, 12, 28, 35 })
        {
            const int planes = 3, height = 6;
            int outW = width / 2, outH = height / 2;
            var random = new Random(width);
            var values = new float[planes * height * width];
            for (int i = 0; i < values.Length; i++) values[i] = random.Next(5) - 2;
            values[width + 1] = float.NaN;
            var pool = new MaxPool2D<float>(2);
            var y = Flat(pool.Forward(NeuralNets.Tensors.TensorMemory.Wrap(values, [1, planes, height, width]), training: true));
            var dy = new float[planes * outH * outW];
            for (int i = 0; i < dy.Length; i++) dy[i] = i + 1;
            var dx = Flat(pool.Backward(NeuralNets.Tensors.TensorMemory.Wrap(dy, [1, planes, outH, outW])));
            var (expectedY, expectedDx) = MaxPoolReference.TwoByTwo(values, dy, planes, height, width);
            if (!Same(expectedY, y)) return $"rows of {outW} windows: maxima differ from the first maximum of each window";
            if (!Same(expectedDx, dx)) return $"rows of {outW} windows: the gradient did not go to each window's first maximum only";
        }
        return null;
    }

    public static string? PlaneSumsInLanes()
    {
        const int batch = 3, channels = 4;
        foreach (int spread in new[] { 1, 7, 16, 33, 47 })
        {
            var random = new Random(spread);
            var x = Random(spread, batch * channels * spread, 2);
            var dy = Random(spread + 100, x.Length, 1);
            var mean = Enumerable.Range(0, channels).Select(c => 0.1 * c - 0.2 + random.NextDouble() * 1e-3).ToArray();
            var inverse = Enumerable.Range(0, channels).Select(c => 1.3 + 0.01 * c).ToArray();
            var (sums, squares, sumDy, sumDyXHat) = (new double[channels], new double[channels], new double[channels], new double[channels]);
            var lanes = Enumerable.Repeat(double.NaN, PlaneSums.LaneStorage(channels)).ToArray();
            PlaneSums.Add<float>(x, batch, channels, spread, 0, channels, sums, lanes);
            PlaneSums.AddSquaredDeviations<float>(x, batch, channels, spread, 0, channels, mean, squares, lanes);
            PlaneSums.AddGradientSums<float>(x, dy, batch, channels, spread, 0, channels, mean, inverse, sumDy, sumDyXHat, lanes);
            var doubles = Array.ConvertAll(x, v => (double)v);
            var doubleSums = new double[channels];
            PlaneSums.Add<double>(doubles, batch, channels, spread, 0, channels, doubleSums, lanes);
            for (int c = 0; c < channels; c++)
            {
                double Sum(Func<int, double> term) => PlaneSumsReference.InLanes(batch, channels, spread, c, term);
                if (sums[c] != Sum(at => x[at]) || doubleSums[c] != Sum(at => doubles[at])) return $"planes of {spread}: channel {c}'s sum";
                if (squares[c] != Sum(at => (x[at] - mean[c]) * (x[at] - mean[c]))) return $"planes of {spread}: channel {c}'s squared deviations";
                if (sumDy[c] != Sum(at => dy[at]) || sumDyXHat[c] != Sum(at => (double)dy[at] * (x[at] - mean[c]) * inverse[c]))
                    return $"planes of {spread}: channel {c}'s gradient sums";
            }
        }
        return null;
    }

    public static string? AvgPoolTwoByTwo()
    {
        // Rows of three to seventeen windows (one at a time, the vector paths' full groups and overlapping last groups, an odd
        // last column); zeros of both signs, a window of −0 only, and a NaN.
        foreach (int width in new[] { 7, 8, 13, 20, 35 })
        {
            const int planes = 3, height = 6;
            int outW = width / 2, outH = height / 2;
            var values = Random(width, planes * height * width, 3);
            for (int i = 0; i + 1 < values.Length; i += 5) (values[i], values[i + 1]) = (-0f, i % 10 == 0 ? -0f : 0f);
            foreach (int at in new[] { 0, 1, width, width + 1 }) values[at] = -0f;
            values[width + 3] = float.NaN;
            var dy = Random(width + 1, planes * outH * outW, 1);
            dy[1] = -0f;
            var pool = new AvgPool2D<float>(2);
            var y = Flat(pool.Forward(NeuralNets.Tensors.TensorMemory.Wrap(values, [1, planes, height, width]), training: true));
            var dx = Flat(pool.Backward(NeuralNets.Tensors.TensorMemory.Wrap(dy, [1, planes, outH, outW])));
            var expectedY = new float[y.Length];
            var expectedDx = new float[values.Length];
            for (int p = 0, k = 0; p < planes; p++)
                for (int r = 0; r < outH; r++)
                    for (int q = 0; q < outW; q++, k++)
                    {
                        int top = (p * height + 2 * r) * width + 2 * q, bottom = top + width;
                        float upper = 0f + values[top] + values[top + 1], lower = 0f + values[bottom] + values[bottom + 1];
                        expectedY[k] = (0f + upper + lower) * 0.25f;
                        float share = 0f + dy[k] * 0.25f;
                        (expectedDx[top], expectedDx[top + 1], expectedDx[bottom], expectedDx[bottom + 1]) = (share, share, share, share);
                    }
            if (!Same(expectedY, y)) return $"rows of {outW} windows: averages differ from each window's sum in order";
            if (!Same(expectedDx, dx)) return $"rows of {outW} windows: the shares differ from each window's";
        }
        return null;
    }

    public static string? ActivationPoolPairs()
    {
        foreach (int width in new[] { 20, 13, 7 })
            foreach (var make in new Func<Activation<float>>[] { () => new LeakyReLU<float>(0.1), () => new ELU<float>(), () => new GELU<float>(), () => new ReLU<float>() })
            foreach (bool average in new[] { false, true })
            {
                const int batch = 2, channels = 3;
                int outSide = width / 2;
                ILayer<float>[] Layers() => [make(), average ? new AvgPool2D<float>(2) : new MaxPool2D<float>(2), new Flatten<float>(),
                    new Dense<float>(channels * outSide * outSide, 4, seed: 9)];
                var x = NeuralNets.Tensors.TensorMemory.Wrap(Random(width, batch * channels * width * width, 3), [batch, channels, width, width]);
                var dy = NeuralNets.Tensors.TensorMemory.Wrap(Random(width + 1, batch * 4, 1), [batch, 4]);
                var network = new Sequential<float>(Layers());
                var y = Flat(network.Forward(x, training: true));
                var dx = Flat(network.Backward(dy));
                var layers = Layers();
                var h = x;
                foreach (var layer in layers) h = layer.Forward(h, training: true);
                var g = dy;
                for (int i = layers.Length - 1; i >= 0; i--) g = layers[i].Backward(g);
                if (!Same(Flat(h), y) || !Same(Flat(g), dx)) return $"{layers[0]} before {layers[1]} over {width}×{width} planes: the pair's bits differ from the layers in turn";
            }
        return null;
    }

    public static unsafe string? Transposes()
    {
        // Shapes with whole squares of every side (8 with AVX, 4 and 2 on ARM64) and rows and columns left over.
        foreach (var (rows, columns) in new[] { (8, 8), (13, 22), (16, 5), (256, 128), (3, 3) })
        {
            var source = Random(rows, rows * columns);
            var target = new float[rows * columns];
            fixed (float* s = source) fixed (float* t = target) Transpose.Matrix(s, rows, columns, t);
            var sourceDouble = Array.ConvertAll(source, v => (double)v);
            var targetDouble = new double[rows * columns];
            fixed (double* s = sourceDouble) fixed (double* t = targetDouble) Transpose.Matrix(s, rows, columns, t);
            for (int r = 0; r < rows; r++)
                for (int q = 0; q < columns; q++)
                    if (target[q * rows + r] != source[r * columns + q] || targetDouble[q * rows + r] != sourceDouble[r * columns + q])
                        return $"{rows}×{columns} matrix: element ({r}, {q}) misplaced";
        }
        foreach (var (channels, plane) in new[] { (6, 784), (16, 100), (5, 9) })
        {
            int stride = DirectConvolution.ChannelStride(channels);
            var dy = Random(channels + plane, channels * plane);
            var transposed = Random(1, plane * stride); // what was there before: padding channels must come out zero
            DirectConvolution.TransposeGradient(dy, channels, plane, stride, transposed);
            for (int p = 0; p < plane; p++)
                for (int o = 0; o < stride; o++)
                    if (transposed[p * stride + o] != (o < channels ? dy[o * plane + p] : 0f))
                        return $"output gradient of {channels} channels × {plane} positions: position {p}, channel {o} wrong";
        }
        // Aᵀ·Bᵀ packs Bᵀ by squares; against plain sums in double (the rounding of float sums only).
        int m = 17, n = 70, k = 45;
        var a = Random(5, m * k);
        var b = Random(6, k * n);
        var c = new float[m * n];
        MatrixMultiply.Compute<float>(a, true, b, true, c, m, n, k, accumulate: false, parallelThreshold: 0);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int s = 0; s < k; s++) sum += (double)a[s * m + i] * b[j * k + s];
                if (Math.Abs(c[i * n + j] - sum) > 1e-4 * (1 + Math.Abs(sum))) return $"Aᵀ·Bᵀ element ({i}, {j}): {c[i * n + j]}, expected {sum}";
            }
        return null;
    }

    private static float[] Flat(System.Numerics.Tensors.Tensor<float> tensor) => NeuralNets.Tensors.TensorMemory.Span(tensor).ToArray();

    public static string? ExponentialAccuracy()
    {
        var x = new double[20_001];
        for (int i = 0; i < x.Length; i++) x[i] = -700 + 1400.0 * i / (x.Length - 1);
        var y = new double[x.Length];
        Exponential.Compute<double>(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Math.Exp(x[i]);
            if (Math.Abs(y[i] - expected) > 2 * (Math.BitIncrement(expected) - expected)) return $"e^{x[i]:R}: {y[i]:R}, expected {expected:R}";
        }
        return null;
    }

    public static string? SameAtEveryWidth(Func<float[][]> train)
    {
        float[][]? first = null;
        foreach (int bits in Widths)
        {
            float[][] weights;
            using (KernelWidth.Limit(bits)) weights = train();
            first ??= weights;
            for (int p = 0; p < weights.Length; p++)
                if (!Same(first[p], weights[p])) return $"parameter {p} at {bits} bits differs from the widest";
        }
        return null;
    }

    private static bool Same(float[] a, float[] b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i])) return false;
        return true;
    }

    public static string? ActivationsEveryWidth()
    {
        // 203 values over ±15 (every width has a tail), and the extremes.
        var x = Random(5, 203, 15).Concat([0f, -0f, 1e-30f, -95f, 95f, float.NaN, float.PositiveInfinity, float.NegativeInfinity]).ToArray();
        var dy = Random(6, x.Length, 2);
        Func<ILayer<float>>[] layers = [() => new GELU<float>(), () => new GELU<float>(tanhApproximation: true), () => new ELU<float>(0.7), () => new SiLU<float>(), () => new Softplus<float>(2, 5)];
        foreach (var create in layers)
        {
            float[]? first = null;
            foreach (int bits in Widths)
            {
                using var scope = KernelWidth.Limit(bits);
                var layer = create();
                var y = layer.Forward(Tensor.Create(x, [1, x.Length]), training: true).ToArray();
                var dx = layer.Backward(Tensor.Create(dy, [1, x.Length])).ToArray();
                float[] both = [.. y, .. dx];
                if (first is null) first = both;
                else if (!Same(first, both)) return $"{layer} differs at {bits} bits";
            }
        }
        return null;
    }

    public static string? DirectConvolutionPasses()
    {
        // LeNet's second convolution, a VGG-style padded 3×3, a partial channel tile with a rectangular kernel and padding on
        // one axis, vectors across channels over 4×4, padding of kernel − 1 (dY not padded at all); and products that all
        // underflow (tiny negative weights and gradient), whose fused chains end at −0 where the fold's sums are +0.
        var shapes = new (int Batch, int In, int Out, int H, int W, (int, int) Kernel, (int, int) Padding, bool Tiny)[]
        {
            (2, 6, 16, 14, 14, (5, 5), (0, 0), false), (2, 32, 32, 10, 10, (3, 3), (1, 1), false), (2, 5, 7, 6, 19, (3, 5), (0, 2), false),
            (1, 64, 16, 4, 4, (3, 3), (1, 1), false), (2, 4, 9, 17, 16, (3, 3), (2, 2), false), (2, 4, 3, 6, 6, (3, 3), (1, 1), true),
        };
        foreach (var (batch, cin, cout, h, w, kernel, padding, tiny) in shapes)
        {
            var x = Random(7, batch * cin * h * w);
            int outH = h + 2 * padding.Item1 - kernel.Item1 + 1, outW = w + 2 * padding.Item2 - kernel.Item2 + 1;
            var dy = tiny ? Enumerable.Repeat(1e-30f, batch * cout * outH * outW).ToArray() : Random(8, batch * cout * outH * outW);
            foreach (int bits in Widths)
            {
                using var scope = KernelWidth.Limit(bits);
                float[] Passes(bool direct)
                {
                    var layer = new Conv2D<float>(cin, cout, kernel, new Random(5), padding: padding)
                    {
                        AllowDirect = direct, ForcedChoice = direct ? true : null, ForcedInputGradientChoice = direct ? true : null,
                    };
                    if (tiny) layer.Weight.ValueSpan.Fill(-1e-30f);
                    var y = layer.Forward(Tensor.Create((float[])x.Clone(), [batch, cin, h, w]), training: true).ToArray();
                    var dx = layer.Backward(Tensor.Create((float[])dy.Clone(), [batch, cout, outH, outW])).ToArray();
                    return [.. y, .. dx];
                }
                if (!Same(Passes(direct: true), Passes(direct: false)))
                    return $"{cin}→{cout} {kernel} over {h}×{w}, padding {padding}: the direct passes differ from the unfolded ones at {bits} bits";
            }
        }
        return null;
    }

    public static string? SplitBackwardPasses()
    {
        // One image of a 16-channel 3×3 layer, and nine input channels (ranges of unequal length) with a rectangular kernel.
        var shapes = new (int In, int Out, int H, int W, (int, int) Kernel, (int, int) Padding)[]
        {
            (16, 16, 32, 32, (3, 3), (1, 1)), (9, 8, 17, 40, (3, 5), (0, 2)),
        };
        foreach (var (cin, cout, h, w, kernel, padding) in shapes)
        {
            var x = Random(7, cin * h * w);
            int outH = h + 2 * padding.Item1 - kernel.Item1 + 1, outW = w + 2 * padding.Item2 - kernel.Item2 + 1;
            var dy = Random(8, cout * outH * outW);
            foreach (int bits in Widths)
            {
                using var scope = KernelWidth.Limit(bits);
                // dX direct, and through the column gradient.
                foreach (bool direct in new[] { true, false })
                {
                    (float[] Gradients, int Pieces) Backward(int parts)
                    {
                        var layer = new Conv2D<float>(cin, cout, kernel, new Random(5), padding: padding)
                        {
                            ForcedChoice = true, ForcedInputGradientChoice = direct, MaxParts = parts,
                        };
                        layer.Forward(Tensor.Create((float[])x.Clone(), [1, cin, h, w]), training: true);
                        var dx = layer.Backward(Tensor.Create((float[])dy.Clone(), [1, cout, outH, outW])).ToArray();
                        return ([.. dx, .. layer.Weight.GradientSpan, .. layer.Bias!.GradientSpan], layer.LastBackwardPieces);
                    }
                    var (whole, split) = (Backward(parts: 1), Backward(parts: 3));
                    string path = direct ? "direct dX" : "dX from the column gradient";
                    if (split.Pieces < 2)
                        return $"{cin}→{cout} {kernel} over {h}×{w}, {path}, at {bits} bits: the backward pass was not split";
                    if (!Same(whole.Gradients, split.Gradients))
                        return $"{cin}→{cout} {kernel} over {h}×{w}, padding {padding}, {path}: the split backward pass differs from one part's at {bits} bits";
                }
            }
        }
        return null;
    }

    private static float[] Random(int seed, int count, double scale = 1)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return values;
    }
}

/// <summary>The golden-value tests' first two cases, without a test framework.</summary>
internal static class GoldenChecks
{
    public static string? Mlp()
    {
        var dense1 = new Dense<double>(3, 4, seed: 1);
        var dense2 = new Dense<double>(4, 2, seed: 2);
        dense1.Weight.SetValue(Wave(12, 20, 0.8));
        dense1.Bias!.SetValue(Wave(4, 40, 0.3));
        dense2.Weight.SetValue(Wave(8, 50, 0.9));
        dense2.Bias!.SetValue(Wave(2, 70, 0.2));
        var net = new Sequential<double>(dense1, new Sigmoid<double>(), dense2);
        var loss = new SoftmaxCrossEntropy<double>();
        var x = Tensor.Create(Wave(15, 0, 1.5), [5, 3]);
        var labels = Tensor.Create(new[] { 0.0, 1, 0, 1, 0 }, [5]);
        var z = net.Forward(x, training: true);
        double value = loss.Forward(z, labels);
        var dx = net.Backward(loss.Backward());
        return Compare([value], TorchGoldenValues.MlpLoss, "loss")
            ?? Compare(Flat(z), TorchGoldenValues.MlpOutput, "output")
            ?? Compare(dense1.Weight.GradientSpan.ToArray(), TorchGoldenValues.MlpW1Grad, "dL/dW1")
            ?? Compare(dense1.Bias!.GradientSpan.ToArray(), TorchGoldenValues.MlpB1Grad, "dL/db1")
            ?? Compare(dense2.Weight.GradientSpan.ToArray(), TorchGoldenValues.MlpW2Grad, "dL/dW2")
            ?? Compare(dense2.Bias!.GradientSpan.ToArray(), TorchGoldenValues.MlpB2Grad, "dL/db2")
            ?? Compare(Flat(dx), TorchGoldenValues.MlpInputGrad, "dL/dx");
    }

    public static string? Conv()
    {
        var conv = new Conv2D<double>(2, 3, (3, 2), new Random(1), stride: (2, 1), padding: (1, 0));
        conv.Weight.SetValue(Wave(36, 200, 0.5));
        conv.Bias!.SetValue(Wave(3, 300, 0.4));
        var y = conv.Forward(Tensor.Create(Wave(80, 100, 1.2), [2, 2, 5, 4]), training: true);
        var dx = conv.Backward(Tensor.Create(Wave(54, 400, 1.0), [2, 3, 3, 3]));
        return Compare(Flat(y), TorchGoldenValues.ConvOutput, "output")
            ?? Compare(conv.Weight.GradientSpan.ToArray(), TorchGoldenValues.ConvWeightGrad, "dW")
            ?? Compare(conv.Bias!.GradientSpan.ToArray(), TorchGoldenValues.ConvBiasGrad, "db")
            ?? Compare(Flat(dx), TorchGoldenValues.ConvInputGrad, "dx");
    }

    // The recorder's inputs: v_i = scale·sin(0.7·(i + offset) + 0.3).
    private static double[] Wave(int count, int offset, double scale)
    {
        var v = new double[count];
        for (int i = 0; i < count; i++) v[i] = scale * Math.Sin(0.7 * (i + offset) + 0.3);
        return v;
    }

    private static double[] Flat(Tensor<double> tensor)
    {
        var values = new double[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return values;
    }

    private static string? Compare(double[] actual, double[] expected, string what)
    {
        if (actual.Length != expected.Length) return $"{what}: {actual.Length} elements, libtorch {expected.Length}";
        for (int i = 0; i < actual.Length; i++)
            if (!(Math.Abs(actual[i] - expected[i]) <= 1e-10 * Math.Max(1, Math.Abs(expected[i]))))
                return $"{what}[{i}]: {actual[i]:R}, libtorch {expected[i]:R}";
        return null;
    }
}
