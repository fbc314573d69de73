using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Tests.Layers;

public class ConvTranspose2DTests
{
    // batch, cin, cout, h, w, kh, kw, sh, sw, ph, pw, oph, opw
    public static TheoryData<int, int, int, int, int, int, int, int, int, int, int, int, int> Configurations => new()
    {
        { 2, 1, 2, 3, 3, 3, 3, 1, 1, 0, 0, 0, 0 },   // stride 1: a 'full' convolution
        { 1, 2, 3, 3, 4, 4, 4, 2, 2, 1, 1, 0, 0 },   // the GAN's doubling: 4×4, stride 2, padding 1
        { 2, 3, 2, 4, 3, 3, 2, 2, 3, 1, 0, 1, 2 },   // rectangular everything, output padding on both axes
        { 1, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0 },   // stamps that touch without overlap
        { 3, 1, 4, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0 },   // 1×1
        { 1, 2, 1, 4, 4, 3, 3, 1, 1, 2, 2, 0, 0 },   // padding cuts a whole ring off
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Backward_AnyGeometry_MatchesFiniteDifferences(int batch, int cin, int cout, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oph, int opw)
    {
        var layer = new ConvTranspose2D<double>(cin, cout, (kh, kw), new Random(1), (sh, sw), (ph, pw), (oph, opw));
        layer.Bias!.SetValue(TestTensors.Random<double>(2, cout).ToArray());
        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(3, batch, cin, h, w), seed: 4, epsilon: 1e-3);
        result.MaxRelativeError.Should().BeLessThan(1e-8, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Forward_AnyGeometry_MatchesDirectScatter(int batch, int cin, int cout, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oph, int opw)
    {
        var layer = new ConvTranspose2D<double>(cin, cout, (kh, kw), new Random(5), (sh, sw), (ph, pw), (oph, opw));
        layer.Bias!.SetValue(TestTensors.Random<double>(6, cout).ToArray());
        var x = TestTensors.Random<double>(7, batch, cin, h, w);
        int outH = (h - 1) * sh - 2 * ph + kh + oph, outW = (w - 1) * sw - 2 * pw + kw + opw;
        var wt = layer.Weight.ValueSpan.ToArray();
        var b = layer.Bias!.ValueSpan.ToArray();
        var xs = x.ToArray();
        var expected = new double[batch * cout * outH * outW];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < cout; o++)
                for (int r = 0; r < outH * outW; r++) expected[(n * cout + o) * outH * outW + r] = b[o];
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < cin; c++)
                for (int r = 0; r < h; r++)
                    for (int q = 0; q < w; q++)
                        for (int o = 0; o < cout; o++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int y = r * sh - ph + i, z = q * sw - pw + j;
                                    if (y < 0 || y >= outH || z < 0 || z >= outW) continue;
                                    expected[((n * cout + o) * outH + y) * outW + z] += wt[((c * cout + o) * kh + i) * kw + j] * xs[((n * cin + c) * h + r) * w + q];
                                }

        var output = layer.Forward(x, training: false);

        output.Lengths.ToArray().Should().Equal(batch, cout, outH, outW);
        layer.OutputShape([cin, h, w]).Should().Equal(cout, outH, outW);
        output.ToArray().Should().Equal(expected, (a, e) => Math.Abs(a - e) <= 1e-12 * Math.Max(1, Math.Abs(e)));
    }

    [Fact]
    public void ForwardBackward_BatchCutIntoChunks_MatchesOneChunk()
    {
        // K·H·W = 3·9·16 = 432 per sample: chunks of 1000 elements hold 2 samples, so 5 samples make 3 chunks.
        var whole = new ConvTranspose2D<double>(2, 3, kernel: 3, seed: 1, stride: 2, padding: 1, outputPadding: 1);
        var chunked = new ConvTranspose2D<double>(2, 3, kernel: 3, seed: 1, stride: 2, padding: 1, outputPadding: 1) { ChunkElements = 1000 };
        var x = TestTensors.Random<double>(2, 5, 2, 4, 4);
        var g = TestTensors.Random<double>(3, 5, 3, 8, 8);
        chunked.Forward(x, training: true).ToArray().Should().Equal(whole.Forward(x, training: true).ToArray(), (a, b) => Math.Abs(a - b) <= 1e-14);
        chunked.Backward(g).ToArray().Should().Equal(whole.Backward(g).ToArray(), (a, b) => Math.Abs(a - b) <= 1e-14);
        chunked.Weight.GradientSpan.ToArray().Should().Equal(whole.Weight.GradientSpan.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-13);
        chunked.Bias!.GradientSpan.ToArray().Should().Equal(whole.Bias!.GradientSpan.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-13);
    }

    [Fact]
    public void Backward_CalledTwice_AccumulatesParameterGradients()
    {
        var layer = new ConvTranspose2D<double>(2, 2, kernel: 2, seed: 3, stride: 2);
        var x = TestTensors.Random<double>(1, 2, 2, 3, 3);
        var g = TestTensors.Random<double>(2, 2, 2, 6, 6);
        layer.Forward(x, training: true);
        layer.Backward(g);
        var once = layer.Weight.GradientSpan.ToArray();
        var bias = layer.Bias!.GradientSpan.ToArray();
        layer.Backward(g);
        layer.Weight.GradientSpan.ToArray().Should().Equal(once.Select(v => 2 * v), (a, b) => Math.Abs(a - b) <= 1e-12);
        layer.Bias!.GradientSpan.ToArray().Should().Equal(bias.Select(v => 2 * v), (a, b) => Math.Abs(a - b) <= 1e-12);
    }

    [Fact]
    public void Forward_Stride2Kernel2_StampsEachPixelsKernelIntoItsOwnBlock()
    {
        // Hand-checkable: 1 channel, kernel [[1, 2], [3, 4]], stride 2: pixel v becomes the block v·[[1, 2], [3, 4]].
        var layer = new ConvTranspose2D<double>(1, 1, kernel: 2, seed: 0, stride: 2);
        layer.Weight.SetValue([1.0, 2, 3, 4]);
        var y = layer.Forward(TestTensors.Create([1.0, 10], 1, 1, 1, 2), training: false);
        y.ToArray().Should().Equal(1, 2, 10, 20, 3, 4, 30, 40);
    }

    [Fact]
    public void Constructor_OutputPaddingNotBelowStride_ThrowsNamingIt()
    {
        var act = () => new ConvTranspose2D<double>(1, 1, kernel: 3, seed: 0, stride: 2, outputPadding: 2);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*output padding*smaller than the stride*");
    }

    [Fact]
    public void Forward_PaddingCutsEverything_NamesLayerAndShape()
    {
        var layer = new ConvTranspose2D<double>(1, 1, kernel: 2, seed: 0, padding: 1);
        var act = () => layer.Forward(TestTensors.Random<double>(1, 1, 1, 1, 1), training: false);
        act.Should().Throw<ShapeMismatchException>().WithMessage("*ConvTranspose2D(1 → 1*0×0 output*");
    }

    [Fact]
    public void Forward_FloatAgreesWithDouble()
    {
        var d = new ConvTranspose2D<double>(3, 2, kernel: 4, seed: 9, stride: 2, padding: 1);
        var f = new ConvTranspose2D<float>(3, 2, kernel: 4, seed: 9, stride: 2, padding: 1);
        f.Weight.SetValue(d.Weight.ValueSpan.ToArray().Select(v => (float)v).ToArray());
        var x = TestTensors.Random<double>(4, 2, 3, 5, 5);
        var yd = d.Forward(x, training: false).ToArray();
        var yf = f.Forward(TestTensors.Create(x.ToArray().Select(v => (float)v).ToArray(), 2, 3, 5, 5), training: false).ToArray();
        yf.Select(v => (double)v).Should().Equal(yd, (a, b) => Math.Abs(a - b) <= 1e-5);
    }

    [Fact]
    public void Builder_GeneratorShape_DoublesTheImageAndSavesAndLoads()
    {
        var network = Network.Sequential<double>(8, 4, 4).ConvTranspose2D(4, kernel: 4, stride: 2, padding: 1).ReLU()
            .ConvTranspose2D(1, kernel: 3, stride: 2, padding: 1, outputPadding: 1).Build(seed: 2);
        network.OutputShape([8, 4, 4]).Should().Equal(1, 16, 16);
        network.Layers[2].ToString().Should().Be("ConvTranspose2D(4 → 1, 3×3, stride 2, padding 1, output padding 1×1)");
        var path = Path.Combine(Path.GetTempPath(), $"convtranspose-{Guid.NewGuid():N}.json");
        try
        {
            ModelFile.Save(network, path);
            var loaded = ModelFile.Load<double>(path);
            var x = TestTensors.Random<double>(5, 3, 8, 4, 4);
            loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
            loaded.Layers[0].Describe().Should().Be(network.Layers[0].Describe());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void InferenceCopy_SharesWeights_AndGivesTheSameOutput()
    {
        var layer = new ConvTranspose2D<double>(2, 3, kernel: 3, seed: 4, stride: 2);
        var copy = (ConvTranspose2D<double>)layer.CreateInferenceCopy();
        copy.Weight.Should().BeSameAs(layer.Weight);
        var x = TestTensors.Random<double>(1, 2, 2, 3, 3);
        copy.Forward(x, training: false).ToArray().Should().Equal(layer.Forward(x, training: false).ToArray());
    }

    [Fact]
    public void Parameters_ArePyTorchShaped()
    {
        var layer = new ConvTranspose2D<double>(5, 3, (4, 2), new Random(0));
        layer.Weight.Shape.Should().Equal(5, 3, 4, 2);
        layer.Bias!.Shape.Should().Equal(3);
    }
}
