using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The forward pass computed without unfolding (<see cref="DirectConvolution"/>) gives the unfolded product's output
/// bit for bit: at every vector width, in both numeric families, over shapes that reach every edge of the kernel
/// (partial channel tiles, rows narrower and wider than a vector, two k-blocks, bands of rows, padding on one axis).
/// </summary>
[Collection(NarrowedWidth.Name)]
public class DirectConvolutionTests
{
    public static TheoryData<int, int, int, int, int, int, int, int, int, int> Shapes => new()
    {
        // batch, Cin, Cout, H, W, kH, kW, pH, pW, threads
        { 4, 1, 6, 28, 28, 5, 5, 2, 2, 0 },    // LeNet's first convolution
        { 3, 6, 16, 14, 14, 5, 5, 0, 0, 0 },   // LeNet's second
        { 1, 1, 6, 28, 28, 5, 5, 2, 2, 0 },    // one image: cut into bands of rows across the team
        { 1, 3, 5, 9, 7, 3, 3, 1, 1, 3 },      // three bands, five channels (a partial tile)
        { 2, 12, 4, 9, 9, 5, 5, 2, 2, 0 },     // k = 300: two k-blocks whose sums are added
        { 2, 2, 19, 5, 40, 3, 5, 0, 2, 2 },    // rows wider than two vectors, padding on one axis, rectangular kernel
        { 5, 2, 7, 6, 3, 1, 3, 0, 1, 1 },      // rows of three: each vector spills across several rows
        { 2, 1, 4, 1, 1, 1, 1, 0, 0, 0 },      // a single pixel
        { 3, 4, 9, 17, 16, 3, 3, 1, 1, 0 },    // rows exactly one 512-bit vector wide
        { 2, 2, 8, 2, 3, 3, 3, 4, 5, 0 },      // padding wider than the kernel around a 2×3 image
        { 7, 2, 3, 11, 13, 3, 4, 1, 0, 2 },    // few channels: an odd count, four taps a row, chunks on two threads
        { 3, 3, 12, 9, 11, 5, 5, 1, 1, 2 },    // rows of 9 (an odd count: a last single position), 15 kernel rows for runs of five
        { 2, 2, 10, 7, 8, 4, 4, 0, 0, 0 },     // four taps a row: runs of three that do not fit the rows, eight-tap tiles
        { 2, 3, 64, 6, 10, 3, 3, 1, 1, 0 },    // 64 channels: four-channel tiles of three vectors below 512 bits
        { 1, 4, 24, 12, 12, 3, 3, 0, 0, 2 },   // rows of 10, 24 channels: vectors across channels below 512 bits, a half group, two bands
        { 2, 12, 16, 9, 9, 5, 5, 0, 0, 0 },    // rows of 5, 16 channels across the lanes, k = 300 in two k-blocks
        { 2, 3, 5, 4, 70, 3, 5, 1, 2, 0 },     // rows of 70: more pixel vectors than the gathered fold's band of tap masks at 128 bits
        { 1, 2, 3, 5, 60, 3, 13, 1, 6, 0 },    // a kernel 13 wide over rows of 60: bands of four pixel vectors at 256 and 128 bits
        { 2, 3, 16, 14, 16, 3, 3, 1, 1, 1 },   // rows of 16 over 14 rows: eight-channel tiles at 512 bits end two vectors short
        { 2, 5, 8, 16, 16, 3, 3, 1, 1, 1 },    // rows of 16 over 16 rows: one vector short
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_IsTheUnfoldedProductsBits_AtEveryWidthInBothFamilies(int batch, int cin, int cout, int h, int w, int kh, int kw, int ph, int pw, int threads)
    {
        var random = new Random(batch * 31 + cin * 7 + cout);
        var x = new float[batch * cin * h * w];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        x[0] = 0f;
        if (x.Length > 3) x[3] = -0f;
        foreach (bool unfused in new[] { false, true })
            foreach (int bits in NarrowedWidth.Widths)
            {
                using var family = KernelWidth.ForceUnfused(unfused);
                using var width = KernelWidth.Limit(bits);
                var direct = Forward(allowDirect: true);
                var unfolded = Forward(allowDirect: false);
                direct.Should().Equal(unfolded, $"{(unfused ? "unfused" : "fused")} family, {bits} bits");
            }

        float[] Forward(bool allowDirect)
        {
            var layer = new Conv2D<float>(cin, cout, (kh, kw), new Random(5), padding: (ph, pw)) { AllowDirect = allowDirect, ForcedChoice = allowDirect ? true : null, MaxParts = threads };
            var bias = layer.Bias!.ValueSpan;
            for (int o = 0; o < cout; o++) bias[o] = 0.125f * (o - 2);
            var output = layer.Forward(TensorMemory.Wrap((float[])x.Clone(), [batch, cin, h, w]), training: true);
            return output.Span().ToArray();
        }
    }

    [Fact]
    public void Forward_NaNAndInfinityInTheImage_StayInTheirOwnOutputs()
    {
        // The extra lanes of a row's last vector read pixels that belong to the next row; whatever they hold must not
        // reach another output.
        var x = new float[1 * 1 * 6 * 5];
        x[4] = float.NaN;                 // last pixel of row 0
        x[5] = float.PositiveInfinity;    // first pixel of row 1
        var layer = new Conv2D<float>(1, 4, (1, 1), new Random(2));
        var y = layer.Forward(TensorMemory.Wrap(x, [1, 1, 6, 5]), training: true).Span().ToArray();
        for (int o = 0; o < 4; o++)
            for (int p = 0; p < 30; p++)
            {
                float value = y[o * 30 + p];
                if (p == 4) float.IsNaN(value).Should().BeTrue();
                else if (p == 5) float.IsInfinity(value).Should().BeTrue();
                else value.Should().Be(0f, $"output {o}, {p} sees only zeros");
            }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void InputGradient_GatheredFold_IsTheScatteredFoldsBits_AtEveryWidthInBothFamilies(int batch, int cin, int cout, int h, int w, int kh, int kw, int ph, int pw, int threads)
    {
        var (x, dy) = Inputs(batch, cin, cout, h, w, kh, kw, ph, pw);
        foreach (bool unfused in new[] { false, true })
            foreach (int bits in NarrowedWidth.Widths)
            {
                using var family = KernelWidth.ForceUnfused(unfused);
                using var width = KernelWidth.Limit(bits);
                var direct = Backward(true).InputGradient;
                var folded = Backward(false).InputGradient;
                direct.Should().Equal(folded, $"{(unfused ? "unfused" : "fused")} family, {bits} bits");
            }

        (float[] InputGradient, float[] WeightGradient, bool InputGradientWasDirect) Backward(bool allowDirect)
            => Run(cin, cout, kh, kw, ph, pw, threads, allowDirect, chunkElements: 1 << 16, x, dy, [batch, cin, h, w], directInputGradient: false);
    }

    /// <summary>
    /// Shapes whose input gradient the direct pass takes (four input channels or more, padding below the kernel), reaching
    /// the edges of that pass: dY padded by kernel − 1 − padding, one k-block per tap, the input channels as its tiles.
    /// </summary>
    public static TheoryData<int, int, int, int, int, int, int, int, int, int> InputGradientShapes => new()
    {
        // batch, Cin, Cout, H, W, kH, kW, pH, pW, threads
        { 3, 6, 16, 14, 14, 5, 5, 0, 0, 0 },   // LeNet's second convolution
        { 2, 12, 4, 9, 9, 5, 5, 2, 2, 0 },     // four output channels, 5×5 padded by 2
        { 3, 4, 9, 17, 16, 3, 3, 1, 1, 0 },    // rows exactly one 512-bit vector wide
        { 2, 12, 16, 9, 9, 5, 5, 0, 0, 0 },    // rows of 9 after padding dY by 4
        { 2, 32, 32, 10, 10, 3, 3, 1, 1, 2 },  // a VGG-style 3×3 layer, padded to keep its size
        { 2, 5, 7, 6, 19, 3, 5, 0, 2, 0 },     // five input channels (a partial tile), rows of 19, padding on one axis
        { 3, 4, 9, 17, 16, 3, 3, 2, 2, 0 },    // padding of kernel − 1: dY is not padded at all
        { 2, 8, 3, 7, 3, 1, 3, 0, 1, 1 },      // rows of three, a 1×3 kernel
        { 1, 4, 24, 12, 12, 3, 3, 0, 0, 2 },   // rows of 12, 24 output channels (k-blocks of 24 taps)
        { 2, 12, 300, 5, 5, 3, 3, 1, 1, 0 },   // 300 output channels: more than one k-block, left to the column gradient
        { 2, 16, 8, 9, 9, 1, 1, 0, 0, 0 },     // a 1×1 convolution
        { 1, 6, 4, 5, 60, 3, 13, 1, 6, 0 },    // a kernel 13 wide over rows of 60
        { 2, 64, 16, 4, 4, 3, 3, 1, 1, 0 },    // 64 input channels over 4×4: vectors across channels below 512 bits
    };

    [Theory]
    [MemberData(nameof(InputGradientShapes))]
    public void InputGradient_WithoutTheColumnGradient_IsTheScatteredFoldsBits_AtEveryWidthInBothFamilies(int batch, int cin, int cout, int h, int w, int kh, int kw, int ph, int pw, int threads)
    {
        var (x, dy) = Inputs(batch, cin, cout, h, w, kh, kw, ph, pw);
        int taps = cin * kh * kw;
        // Chunks of one sample and of the whole batch: the direct pass runs per chunk.
        foreach (int chunkElements in new[] { taps * (h + 2 * ph - kh + 1) * (w + 2 * pw - kw + 1), 1 << 16 })
            foreach (bool unfused in new[] { false, true })
                foreach (int bits in NarrowedWidth.Widths)
                {
                    using var family = KernelWidth.ForceUnfused(unfused);
                    using var width = KernelWidth.Limit(bits);
                    var direct = Run(cin, cout, kh, kw, ph, pw, threads, allowDirect: true, chunkElements, x, dy, [batch, cin, h, w], directInputGradient: true);
                    var folded = Run(cin, cout, kh, kw, ph, pw, threads, allowDirect: false, chunkElements, x, dy, [batch, cin, h, w]);
                    // Every shape here but the one over Cout's limit, wherever the CPU (or the narrowed width) has vectors.
                    direct.InputGradientWasDirect.Should().Be(cout <= GemmPacked.MaxKBlock && KernelWidth.MultiplyAdd >= 128, $"{bits} bits");
                    direct.InputGradient.Should().Equal(folded.InputGradient, Bitwise,
                        $"{(unfused ? "unfused" : "fused")} family, {bits} bits, chunks of {chunkElements} elements");
                }
    }

    /// <summary>Passes with fewer chunks of samples than parts, over a million multiply-adds in all: split inside their chunks.</summary>
    public static TheoryData<int, int, int, int, int, int, int, int, int> SplitShapes => new()
    {
        // batch, Cin, Cout, H, W, kH, kW, pH, pW
        { 1, 16, 16, 32, 32, 3, 3, 1, 1 },    // one image, one chunk
        { 2, 8, 12, 20, 24, 5, 5, 2, 2 },     // two chunks of one image: two pieces each at five parts, none at three
        { 1, 9, 8, 15, 40, 3, 5, 0, 2 },      // nine input channels (ranges of unequal length), eight output channels, a rectangular kernel; not split without dX (too small)
        { 1, 64, 32, 24, 24, 1, 1, 0, 0 },    // a 1×1 convolution
        { 3, 12, 16, 15, 14, 3, 3, 1, 1 },    // chunks of two images and one: split at five parts
        { 1, 4, 320, 10, 10, 3, 3, 1, 1 },    // 320 output channels: dX through the column gradient whatever the choice
    };

    [Theory]
    [MemberData(nameof(SplitShapes))]
    public void Backward_SplitInsideItsChunks_GivesOnePartsBits_AtEveryWidthInBothFamilies(int batch, int cin, int cout, int h, int w, int kh, int kw, int ph, int pw)
    {
        var (x, dy) = Inputs(batch, cin, cout, h, w, kh, kw, ph, pw);
        // dX direct (in bands of rows where it applies), through the column gradient (one piece), or not wanted (a first layer).
        foreach (bool? directInputGradient in new bool?[] { true, false, null })
            foreach (bool unfused in new[] { false, true })
                foreach (int bits in NarrowedWidth.Widths)
                {
                    using var family = KernelWidth.ForceUnfused(unfused);
                    using var width = KernelWidth.Limit(bits);
                    var whole = Pass(parts: 1, directInputGradient);
                    whole.Pieces.Should().Be(1);
                    foreach (int parts in new[] { 2, 3, 5 })
                    {
                        var split = Pass(parts, directInputGradient);
                        string because = $"{parts} parts, dX {directInputGradient switch { true => "direct", false => "from the column gradient", null => "not wanted" }}, "
                            + $"{(unfused ? "unfused" : "fused")} family, {bits} bits";
                        long multiplyAdds = (long)batch * cout * (h + 2 * ph - kh + 1) * (w + 2 * pw - kw + 1) * cin * kh * kw * (directInputGradient is null ? 1 : 2);
                        // Split where every part can take a piece of its own (at least two a chunk), a weight gradient across
                        // output channels cuts into ranges of input channels, and the pass is worth the team.
                        bool splits = parts / whole.Chunks >= 2 && cout >= DirectConvolution.MinimumGradientChannels && (directInputGradient is not null || cin >= 2)
                            && multiplyAdds >= MatrixMultiply.ParallelThreshold;
                        (split.Pieces > 1).Should().Be(splits, because);
                        split.Dx.Should().Equal(whole.Dx, Bitwise, because);
                        split.Dw.Should().Equal(whole.Dw, Bitwise, because);
                        split.Db.Should().Equal(whole.Db, Bitwise, because);
                    }
                }

        (float[] Dx, float[] Dw, float[] Db, int Pieces, int Chunks) Pass(int parts, bool? directInputGradient)
        {
            var layer = new Conv2D<float>(cin, cout, (kh, kw), new Random(5), padding: (ph, pw))
            {
                ForcedChoice = true, ForcedInputGradientChoice = directInputGradient ?? true, MaxParts = parts,
            };
            var output = layer.Forward(TensorMemory.Wrap((float[])x.Clone(), [batch, cin, h, w]), training: true);
            var gradient = TensorMemory.Wrap((float[])dy.Clone(), output.Shape());
            float[] dx = [];
            if (directInputGradient is not null) dx = layer.Backward(gradient).Span().ToArray();
            else ((IParameterGradientOnly<float>)layer).BackwardToParameters(gradient);
            int chunk = Math.Max(1, Math.Min(batch, (1 << 16) / (cin * kh * kw * (int)output.Lengths[2] * (int)output.Lengths[3])));
            return (dx, layer.Weight.GradientSpan.ToArray(), layer.Bias!.GradientSpan.ToArray(), layer.LastBackwardPieces, (batch + chunk - 1) / chunk);
        }
    }

    private static bool Bitwise(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b);

    /// <summary>Backward passes of several chunks whose weight gradient is direct across output channels.</summary>
    public static TheoryData<int, int, int, int, int, int, int, int, int> OrderedSumShapes => new()
    {
        // batch, cin, cout, h, w, kh, kw, ph, pw
        { 6, 32, 16, 16, 16, 3, 3, 1, 1 },    // six chunks of one sample
        { 5, 16, 32, 12, 12, 3, 3, 1, 1 },    // chunks of three samples and of two
        { 9, 64, 64, 8, 8, 3, 3, 1, 1 },      // nine chunks, four vectors of channels at 512 bits
        { 4, 8, 24, 20, 20, 5, 5, 2, 2 },     // 24 channels: whole vectors at 256 and 128 bits only
        { 7, 24, 8, 14, 14, 3, 3, 0, 0 },     // eight channels, no padding
    };

    [Theory]
    [MemberData(nameof(OrderedSumShapes))]
    public void Backward_ChunksAddedUpAsTheyFinish_GiveTheEndSumsBits_AtEveryWidthInBothFamilies(int batch, int cin, int cout, int h, int w, int kh, int kw, int ph, int pw)
    {
        var (x, dy) = Inputs(batch, cin, cout, h, w, kh, kw, ph, pw);
        var dy2 = dy.Select(v => v * 0.75f - 0.125f).ToArray();
        int inOrder = 0;
        foreach (bool unfused in new[] { false, true })
            foreach (int bits in NarrowedWidth.Widths)
            {
                using var family = KernelWidth.ForceUnfused(unfused);
                using var width = KernelWidth.Limit(bits);
                foreach (bool accumulate in new[] { false, true })
                {
                    var atTheEnd = Pass(parts: 1, ordered: false, aside: false, accumulate);
                    foreach (int parts in new[] { 1, 2, 3, 5 })
                        foreach (bool aside in new[] { false, true })
                        {
                            var ordered = Pass(parts, ordered: true, aside, accumulate);
                            string because = $"{parts} parts, {(aside ? "every chunk aside" : "in turn where it can")}, {(accumulate ? "accumulating" : "written over")}, "
                                + $"{(unfused ? "unfused" : "fused")} family, {bits} bits";
                            ordered.InOrder.Should().Be(DirectConvolution.LeavesTapMajor(cout) && ordered.Pieces == 1, because);
                            if (ordered.InOrder) inOrder++;
                            ordered.Dw.Should().Equal(atTheEnd.Dw, Bitwise, because);
                            ordered.Db.Should().Equal(atTheEnd.Db, Bitwise, because);
                            ordered.Dx.Should().Equal(atTheEnd.Dx, Bitwise, because);
                        }
                }
            }
        // Without vectors (intrinsics off) no width takes the channels in vectors, and every pass sums at the end.
        if (KernelWidth.MultiplyAdd >= 128) inOrder.Should().BePositive("some width takes these channels in whole vectors");

        // Two backward passes: the first written over dW (its zeroing deferred) or added to dW's zeros, the second added to it.
        (float[] Dx, float[] Dw, float[] Db, bool InOrder, int Pieces) Pass(int parts, bool ordered, bool aside, bool accumulate)
        {
            var layer = new Conv2D<float>(cin, cout, (kh, kw), new Random(5), padding: (ph, pw))
            {
                ForcedChoice = true, ForcedInputGradientChoice = true, MaxParts = parts, AllowOrderedSums = ordered, SetsEveryChunkAside = aside,
            };
            var input = TensorMemory.Wrap((float[])x.Clone(), [batch, cin, h, w]);
            var output = layer.Forward(input, training: true);
            if (!accumulate) layer.Weight.ZeroGradientDeferred();
            layer.Backward(TensorMemory.Wrap((float[])dy2.Clone(), output.Shape()));
            var dx = layer.Backward(TensorMemory.Wrap((float[])dy.Clone(), output.Shape())).Span().ToArray();
            return (dx, layer.Weight.GradientSpan.ToArray(), layer.Bias!.GradientSpan.ToArray(), layer.LastBackwardSummedInOrder, layer.LastBackwardPieces);
        }
    }

    [Fact]
    public void InputGradient_WithoutTheColumnGradient_ProductsThatUnderflow_GiveTheFoldsPositiveZeros()
    {
        // Tiny negative weights times a tiny gradient: every product underflows, and a fused chain from +0 ends at −0. Inside
        // the image every tap's chain is −0, so the direct sum is −0 where the fold's, from +0, is +0: the +0 bias added
        // last must settle the sign.
        var x = new float[2 * 4 * 6 * 6];
        var dy = Enumerable.Repeat(1e-30f, 2 * 3 * 6 * 6).ToArray();
        foreach (bool unfused in new[] { false, true })
            foreach (int bits in NarrowedWidth.Widths)
            {
                using var family = KernelWidth.ForceUnfused(unfused);
                using var width = KernelWidth.Limit(bits);
                var results = new[] { true, false }.Select(allowDirect =>
                {
                    var layer = new Conv2D<float>(4, 3, (3, 3), new Random(5), padding: (1, 1))
                    {
                        AllowDirect = allowDirect, ForcedChoice = allowDirect ? true : null, ForcedInputGradientChoice = allowDirect ? true : null,
                    };
                    var weight = layer.Weight.ValueSpan;
                    weight.Fill(-1e-30f);
                    layer.Forward(TensorMemory.Wrap(x, [2, 4, 6, 6]), training: true);
                    return layer.Backward(TensorMemory.Wrap(dy, [2, 3, 6, 6])).Span().ToArray();
                }).ToArray();
                results[0].Should().Equal(results[1], Bitwise,
                    $"{(unfused ? "unfused" : "fused")} family, {bits} bits");
                results[1].Should().OnlyContain(v => BitConverter.SingleToInt32Bits(v) == 0, "every sum of underflowed products is +0");
            }
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NaN)]
    public void InputGradient_ANonFiniteWeight_GivesTheScatteredFoldsBits(float value)
    {
        // Times the padding's zeros a non-finite weight would be NaN where the fold adds nothing: such weights are left to
        // the unfolded path, whatever the choice says.
        var (x, dy) = Inputs(2, 4, 8, 6, 6, 3, 3, 1, 1);
        var results = new[] { true, false }.Select(allowDirect =>
        {
            var layer = new Conv2D<float>(4, 8, (3, 3), new Random(5), padding: (1, 1)) { AllowDirect = allowDirect, ForcedChoice = allowDirect ? true : null, ForcedInputGradientChoice = allowDirect ? true : null };
            layer.Weight.ValueSpan[5] = value;
            layer.Forward(TensorMemory.Wrap((float[])x.Clone(), [2, 4, 6, 6]), training: true);
            var dx = layer.Backward(TensorMemory.Wrap((float[])dy.Clone(), [2, 8, 6, 6])).Span().ToArray();
            layer.LastInputGradientWasDirect.Should().BeFalse("a weight that is not finite keeps the column gradient");
            return dx;
        }).ToArray();
        results[0].Should().Equal(results[1], Bitwise);
        results[0].Count(v => !float.IsFinite(v)).Should().BeLessThan(results[0].Length, "only the pixels the weight reaches from inside dY");
    }

    [Fact]
    public void InputGradient_HugeFiniteWeights_TakeTheDirectPath_WithTheScatteredFoldsBits()
    {
        // Finite weights whose sum overflows (and whose products with dY overflow too) are still finite: times the padding's
        // zeros they give ±0, so the direct path applies and gives the fold's bits, infinities and NaNs of Inf − Inf included.
        var (x, dy) = Inputs(2, 4, 8, 6, 6, 3, 3, 1, 1);
        for (int i = 0; i < dy.Length; i++) dy[i] *= 1e10f;
        var results = new[] { true, false }.Select(allowDirect =>
        {
            var layer = new Conv2D<float>(4, 8, (3, 3), new Random(5), padding: (1, 1)) { AllowDirect = allowDirect, ForcedChoice = allowDirect ? true : null, ForcedInputGradientChoice = allowDirect ? true : null };
            var weights = layer.Weight.ValueSpan;
            for (int i = 0; i < weights.Length; i++) weights[i] = i % 3 == 0 ? -3e38f : 3e38f;
            layer.Forward(TensorMemory.Wrap((float[])x.Clone(), [2, 4, 6, 6]), training: true);
            var dx = layer.Backward(TensorMemory.Wrap((float[])dy.Clone(), [2, 8, 6, 6])).Span().ToArray();
            layer.LastInputGradientWasDirect.Should().Be(allowDirect && KernelWidth.MultiplyAdd >= 128, "finite weights take the direct path where it is forced and the CPU has vectors");
            return dx;
        }).ToArray();
        results[0].Should().Equal(results[1], Bitwise);
        results[0].Should().Contain(v => !float.IsFinite(v), "the products overflow");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WeightGradient_IsOneChainPerChunk_InOrder_AtEveryWidthInBothFamilies(int batch, int cin, int cout, int h, int w, int kh, int kw, int ph, int pw, int threads)
    {
        var (x, dy) = Inputs(batch, cin, cout, h, w, kh, kw, ph, pw);
        int outH = h + 2 * ph - kh + 1, outW = w + 2 * pw - kw + 1, taps = cin * kh * kw;
        // Chunks of two samples (at most), so that the chunk sums are part of what is checked.
        int chunkElements = 2 * taps * outH * outW;
        foreach (bool unfused in new[] { false, true })
        {
            // The hardware's family is the unfused one where there is no FMA (CI's AVX2-off and intrinsics-off runs).
            float[] expected;
            using (KernelWidth.ForceUnfused(unfused))
                expected = cout >= DirectConvolution.MinimumGradientChannels ? Expected(unfused || !KernelWidth.HardwareFma)
                    : ExpectedAcrossPositions(unfused || !KernelWidth.HardwareFma);
            foreach (int bits in NarrowedWidth.Widths)
            {
                using var family = KernelWidth.ForceUnfused(unfused);
                using var width = KernelWidth.Limit(bits);
                var actual = Run(cin, cout, kh, kw, ph, pw, threads, allowDirect: true, chunkElements, x, dy, [batch, cin, h, w]).WeightGradient;
                actual.Should().Equal(expected, $"{(unfused ? "unfused" : "fused")} family, {bits} bits");
            }
        }

        // dW[o, c, i, j] per chunk of two samples: s ← x[c, r + i − pH, q + j − pW] · dY[o, r, q] + s in (sample, row, column)
        // order from 0, one rounding (fused) or two; then the chunks' sums added in order.
        float[] Expected(bool unfused)
        {
            var total = new float[cout * taps];
            for (int first = 0; first < batch; first += 2)
            {
                for (int o = 0; o < cout; o++)
                    for (int c = 0; c < cin; c++)
                        for (int i = 0; i < kh; i++)
                            for (int j = 0; j < kw; j++)
                            {
                                float s = 0f;
                                for (int n = first; n < Math.Min(batch, first + 2); n++)
                                    for (int r = 0; r < outH; r++)
                                        for (int q = 0; q < outW; q++)
                                        {
                                            int y = r + i - ph, xx = q + j - pw;
                                            float pixel = y < 0 || y >= h || xx < 0 || xx >= w ? 0f : x[((n * cin + c) * h + y) * w + xx];
                                            float gradient = dy[((n * cout + o) * outH + r) * outW + q];
                                            s = unfused ? pixel * gradient + s : MathF.FusedMultiplyAdd(pixel, gradient, s);
                                        }
                                int at = o * taps + (c * kh + i) * kw + j;
                                total[at] = first == 0 ? s : total[at] + s;
                            }
            }
            return total;
        }

        // Fewer channels: per chunk, 16 lanes over the spread positions v = r·(W + 2pW) + q of each sample (zero gradient
        // past the output's columns and rows, up to a whole number of lanes), lane v mod 16; then the lanes folded in halves.
        float[] ExpectedAcrossPositions(bool unfused)
        {
            int paddedH = h + 2 * ph, paddedW = w + 2 * pw, length = (outH * paddedW + 15) / 16 * 16;
            var total = new float[cout * taps];
            for (int first = 0; first < batch; first += 2)
            {
                // Each sample's zero-padded image, with zeros after it for the reads past its last row.
                var padded = new float[Math.Min(batch, first + 2) - first][];
                for (int s = 0; s < padded.Length; s++)
                {
                    padded[s] = new float[cin * paddedH * paddedW + length + kh * paddedW + kw];
                    for (int c = 0; c < cin; c++)
                        for (int row = 0; row < h; row++)
                            for (int column = 0; column < w; column++)
                                padded[s][(c * paddedH + row + ph) * paddedW + column + pw] = x[(((first + s) * cin + c) * h + row) * w + column];
                }
                for (int o = 0; o < cout; o++)
                    for (int c = 0; c < cin; c++)
                        for (int i = 0; i < kh; i++)
                            for (int j = 0; j < kw; j++)
                            {
                                var lanes = new float[16];
                                for (int s = 0; s < padded.Length; s++)
                                    for (int v = 0; v < length; v++)
                                    {
                                        int r = v / paddedW, q = v % paddedW;
                                        float pixel = padded[s][(c * paddedH + i) * paddedW + j + v];
                                        float gradient = r < outH && q < outW ? dy[(((first + s) * cout + o) * outH + r) * outW + q] : 0f;
                                        lanes[v % 16] = unfused ? pixel * gradient + lanes[v % 16] : MathF.FusedMultiplyAdd(pixel, gradient, lanes[v % 16]);
                                    }
                                for (int half = 8; half >= 1; half /= 2)
                                    for (int l = 0; l < half; l++) lanes[l] += lanes[l + half];
                                int at = o * taps + (c * kh + i) * kw + j;
                                total[at] = first == 0 ? lanes[0] : total[at] + lanes[0];
                            }
            }
            return total;
        }
    }

    [Fact]
    public void SpreadGradient_LaysEachRowAtThePaddedWidth_ZeroBetweenAndAfterTheRows()
    {
        // Two channels of 3×5 outputs at a padded width of 7: rows 7 apart, two zero columns after each, then zeros up to 32.
        int outH = 3, outW = 5, paddedWidth = 7, length = DirectConvolution.SpreadLength(outH, paddedWidth);
        length.Should().Be(32);
        var dy = Enumerable.Range(1, 2 * outH * outW).Select(i => (float)i).ToArray();
        var spread = Enumerable.Repeat(float.NaN, 2 * length).ToArray();
        DirectConvolution.SpreadGradient(dy, 2, outH, outW, paddedWidth, spread);
        for (int o = 0; o < 2; o++)
            for (int v = 0; v < length; v++)
            {
                int r = v / paddedWidth, q = v % paddedWidth;
                float expected = r < outH && q < outW ? dy[(o * outH + r) * outW + q] : 0f;
                spread[o * length + v].Should().Be(expected, $"channel {o}, spread position {v}");
            }
    }

    [Fact]
    public void WeightGradientAcrossPositions_ShortBuffersOrATapPastTheImage_Throw()
    {
        var window = Window2D.Create("probe", (3, 3), (1, 1), (1, 1));
        int imageLength = DirectConvolution.SpreadImageLength(1, 4, 4, window), length = DirectConvolution.SpreadLength(4, 6);
        var offsets = new int[9];
        DirectConvolution.TapOffsets(1, 4, 4, window, offsets);
        var images = new float[imageLength];
        var rows = new float[2 * length];
        var sums = new float[DirectConvolution.LaneSumsLength(2, 9)];
        var dw = new float[18];
        DirectConvolution.WeightGradientAcrossPositions(images, imageLength, offsets, rows, length, 2, 1, sums, dw);
        FluentActions.Invoking(() => DirectConvolution.WeightGradientAcrossPositions(images, imageLength, offsets, rows, length, 2, 1, sums, new float[17]))
            .Should().Throw<ArgumentException>().WithMessage("*too short*");
        FluentActions.Invoking(() => DirectConvolution.WeightGradientAcrossPositions(images, imageLength, offsets, rows, length, 2, 1, new float[10], dw))
            .Should().Throw<ArgumentException>().WithMessage("*too short*");
        var pastTheEnd = offsets.ToArray();
        pastTheEnd[8] = imageLength - length + 1;
        FluentActions.Invoking(() => DirectConvolution.WeightGradientAcrossPositions(images, imageLength, pastTheEnd, rows, length, 2, 1, sums, dw))
            .Should().Throw<ArgumentException>().WithMessage("*reads past*");
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    public void InputGradient_ANaNInTheOutputGradient_StaysInItsOwnPixels(int inChannels, bool withoutColumnGradient)
    {
        // The gathering fold's shifted loads read dX̂ entries that belong to other rows and samples, and drop them; the direct
        // input gradient's vectors read padded dY across row ends and write extra lanes that later vectors overwrite. A NaN
        // there must reach only the pixels whose windows hold it.
        var x = new float[2 * inChannels * 5 * 5];
        var dy = new float[2 * 4 * 5 * 5];
        dy[(1 * 4 + 2) * 25 + 12] = float.NaN;    // sample 1, channel 2, centre
        var results = new[] { true, false }.Select(allowDirect =>
        {
            var layer = new Conv2D<float>(inChannels, 4, (3, 3), new Random(5), padding: (1, 1))
            {
                AllowDirect = allowDirect, ForcedChoice = allowDirect ? true : null, ForcedInputGradientChoice = allowDirect ? withoutColumnGradient : null,
            };
            layer.Forward(TensorMemory.Wrap(x, [2, inChannels, 5, 5]), training: true);
            return layer.Backward(TensorMemory.Wrap(dy, [2, 4, 5, 5])).Span().ToArray();
        }).ToArray();
        results[0].Should().Equal(results[1], Bitwise);
        results[0].Take(inChannels * 25).Should().OnlyContain(v => v == 0f, "sample 0 has a zero gradient");
        results[0].Skip(inChannels * 25).Count(float.IsNaN).Should().Be(inChannels * 9, "the NaN reaches the 3×3 pixels around it in each input channel");
    }

    [Fact]
    public void CalibratedChoice_TimesBothPathsThenKeepsOne_AndEveryPassGivesTheSameBits()
    {
        // By default the machine's timings choose between the direct and the unfolded forward pass, between the direct
        // input gradient and the column gradient, and for the latter between the gathered and the scattered fold: the first
        // passes of a shape alternate, so they must all agree.
        var (x, dy) = Inputs(3, 6, 16, 14, 14, 5, 5, 0, 0);
        var layer = new Conv2D<float>(6, 16, (5, 5), new Random(5));
        var input = TensorMemory.Wrap(x, [3, 6, 14, 14]);
        var gradient = TensorMemory.Wrap(dy, [3, 16, 10, 10]);
        float[]? firstOutput = null, firstInputGradient = null;
        // The fold is chosen in the first passes, then dX's way against the column gradient with that fold.
        for (int pass = 0; pass < 4 * (2 + 2 * CalibratedChoice.TimedCalls); pass++)
        {
            var output = layer.Forward(input, training: true).Span().ToArray();
            var inputGradient = layer.Backward(gradient).Span().ToArray();
            firstOutput ??= output;
            firstInputGradient ??= inputGradient;
            output.Should().Equal(firstOutput, $"pass {pass}");
            inputGradient.Should().Equal(firstInputGradient, $"pass {pass}");
        }
        if (KernelWidth.MultiplyAdd >= 128)
        {
            layer.Choices.DirectForward.Should().NotBeNull("six passes of one shape decide the forward pass");
            layer.Choices.GatheredFold.Should().NotBeNull("and the fold, first");
            layer.Choices.DirectInputGradient.Should().NotBeNull("then how dX is computed");
        }
        else
        {
            // Without vectors (intrinsics off) neither alternative applies: nothing is timed.
            layer.Choices.DirectForward.Should().BeNull();
            layer.Choices.GatheredFold.Should().BeNull();
            layer.Choices.DirectInputGradient.Should().BeNull();
        }
    }

    [Fact]
    public void CalibratedChoice_KeepsTheFasterOfTheTimedCalls()
    {
        var choice = new CalibratedChoice();
        const long shape = 7;
        int calls = 0;
        while (choice.Choice(shape) is null)
        {
            bool first = choice.UseFirst(shape);
            choice.Record(shape, first, first ? 100 : 300);
            calls++;
        }
        calls.Should().Be(2 + 2 * CalibratedChoice.TimedCalls);
        choice.Choice(shape).Should().BeTrue();
        choice.UseFirst(shape).Should().BeTrue();
        var slowFirst = new CalibratedChoice();
        while (slowFirst.Choice(shape) is null)
        {
            bool first = slowFirst.UseFirst(shape);
            // The untimed first call of each is the slowest (compiling); only the timed ones count.
            slowFirst.Record(shape, first, first ? 500 : 200);
        }
        slowFirst.Choice(shape).Should().BeFalse();
    }

    private static (float[] X, float[] Dy) Inputs(int batch, int cin, int cout, int h, int w, int kh, int kw, int ph, int pw)
    {
        var random = new Random(batch * 31 + cin * 7 + cout);
        int outH = h + 2 * ph - kh + 1, outW = w + 2 * pw - kw + 1;
        var x = new float[batch * cin * h * w];
        var dy = new float[batch * cout * outH * outW];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        for (int i = 0; i < dy.Length; i++) dy[i] = (float)(random.NextDouble() * 2 - 1);
        dy[0] = -0f;
        return (x, dy);
    }

    private static (float[] InputGradient, float[] WeightGradient, bool InputGradientWasDirect) Run(int cin, int cout, int kh, int kw, int ph, int pw, int threads, bool allowDirect,
        int chunkElements, float[] x, float[] dy, int[] shape, bool? directInputGradient = null)
    {
        var layer = new Conv2D<float>(cin, cout, (kh, kw), new Random(5), padding: (ph, pw))
        {
            AllowDirect = allowDirect, ForcedChoice = allowDirect ? true : null, ForcedInputGradientChoice = allowDirect ? directInputGradient : null,
            MaxParts = threads, ChunkElements = chunkElements,
        };
        // A zero weight among them: its padding taps' products are +0 or −0 by the sign of dY.
        layer.Weight.ValueSpan[1] = 0f;
        var output = layer.Forward(TensorMemory.Wrap((float[])x.Clone(), shape), training: true);
        var dx = layer.Backward(TensorMemory.Wrap((float[])dy.Clone(), output.Shape())).Span().ToArray();
        return (dx, layer.Weight.GradientSpan.ToArray(), layer.LastInputGradientWasDirect);
    }
}
