using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Losses;

namespace NeuralNets.Tests.Kernels;

public class ElementwiseTests
{
    [Fact]
    public void SigmoidBackward_Double_EqualsScalarFormulaBitForBit()
    {
        var random = new Random(5);
        var y = Enumerable.Range(0, 37).Select(_ => random.NextDouble()).ToArray();
        var dy = Enumerable.Range(0, 37).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var dx = new double[37];
        Elementwise.SigmoidBackward<double>(y, dy, dx);
        for (int i = 0; i < dx.Length; i++) dx[i].Should().Be(dy[i] * y[i] * (1 - y[i]));
    }

    [Fact]
    public void TanhBackward_Float_EqualsScalarFormulaBitForBit()
    {
        var random = new Random(6);
        var y = Enumerable.Range(0, 29).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var dy = Enumerable.Range(0, 29).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var dx = new float[29];
        Elementwise.TanhBackward<float>(y, dy, dx);
        for (int i = 0; i < dx.Length; i++) dx[i].Should().Be(dy[i] * (1 - y[i] * y[i]));
    }

    [Theory]
    [InlineData(10, 64)]
    [InlineData(128, 3)]
    [InlineData(19, 1)]
    [InlineData(100, 37)]  // a four-vector block at 512 bits, then one at 256 bits, then 128 bits
    public void AddRows_Float_EqualsAddingRowByRowBitForBit(int width, int count)
    {
        var random = new Random(width * count);
        var rows = Enumerable.Range(0, width * count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var start = Enumerable.Range(0, width).Select(_ => (float)random.NextDouble()).ToArray();
        var expected = (float[])start.Clone();
        for (int row = 0; row < count; row++)
            for (int j = 0; j < width; j++) expected[j] += rows[row * width + j];
        var sum = (float[])start.Clone();
        Elementwise.AddRows<float>(rows, width, sum);
        sum.Should().Equal(expected);
    }

    [Fact]
    public void FlushSubnormals_Float_ZeroesOnlySubnormals()
    {
        float smallestNormal = 1.17549435e-38f;
        var values = new[] { 1e-39f, -1e-40f, float.Epsilon, smallestNormal, -smallestNormal, 1f, 0f, float.NaN, 3e-38f, 1e-39f, 2f, -5e-39f };
        Elementwise.FlushSubnormals<float>(values);
        values.Should().Equal(0f, 0f, 0f, smallestNormal, -smallestNormal, 1f, 0f, float.NaN, 3e-38f, 0f, 2f, 0f);
    }

    [Fact]
    public void FlushSubnormals_Double_ZeroesOnlySubnormals()
    {
        var values = new[] { 1e-310, 2.2250738585072014e-308, -4e-320, 1e-300, 5.0 };
        Elementwise.FlushSubnormals<double>(values);
        values.Should().Equal(0.0, 2.2250738585072014e-308, 0.0, 1e-300, 5.0);
    }

    [Fact]
    public void ZeroUnlessPositive_NaNInVectorAndTail_KeepsNaNAndMatchesScalarRuleBitForBit()
    {
        // 11 floats: one vector of 8 and a tail of 3, a NaN in each.
        var x = new[] { -2f, -0f, 0f, 1.5f, float.NaN, 3f, -1f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, -0.25f };
        var relu = new float[x.Length];
        Elementwise.ZeroUnlessPositive<float>(x, x, relu);
        for (int i = 0; i < x.Length; i++)
            BitConverter.SingleToInt32Bits(relu[i]).Should().Be(BitConverter.SingleToInt32Bits(x[i] <= 0 ? 0f : x[i]), $"element {i}");
        float.IsNaN(relu[4]).Should().BeTrue();
        float.IsNaN(relu[9]).Should().BeTrue();
    }

    [Fact]
    public void SelectPositive_LeakyWithNaNInVectorAndTail_MatchesScalarRuleBitForBit()
    {
        var x = new[] { -2.0, -0.0, 0.0, 1.5, double.NaN, 3.0, double.NegativeInfinity, double.NaN };  // two vectors of 4 doubles
        var tail = x.Concat([-1.0, double.NaN, 0.5]).ToArray();                                         // and a tail of 3
        foreach (double slope in new[] { 0.5, 0.0 })
        {
            var leaky = new double[tail.Length];
            Elementwise.SelectPositive<double>(tail, tail, tail, slope, leaky);
            for (int i = 0; i < tail.Length; i++)
                BitConverter.DoubleToInt64Bits(leaky[i]).Should().Be(BitConverter.DoubleToInt64Bits(tail[i] > 0 ? tail[i] : slope * tail[i]), $"element {i}, slope {slope}");
        }
    }

    [Theory]
    [InlineData(-1, 0f)]                       // all finite
    [InlineData(3, float.NaN)]                 // in the first vector
    [InlineData(17, float.PositiveInfinity)]   // in the last vector
    [InlineData(21, float.NegativeInfinity)]   // in the scalar tail
    public void CopyAllFinite_NonFiniteAnywhere_IsFoundAndTheCopyIsExact(int position, float value)
    {
        var x = Enumerable.Range(0, 23).Select(i => (float)Math.Sin(i) * 1e30f).ToArray();
        if (position >= 0) x[position] = value;
        var copy = new float[x.Length];
        Elementwise.CopyAllFinite<float>(x, copy).Should().Be(position < 0);
        copy.Should().Equal(x);
        Elementwise.CopyAllFinite<float>(x, Span<float>.Empty).Should().Be(position < 0, "checking alone finds it too");
    }

    [Fact]
    public void SigmoidLayer_SaturatedFloatUnits_ProduceNoSubnormals()
    {
        var layer = new Sigmoid<float>();
        var x = TestTensors.Create(new[] { -95f, -90f, -88.5f, -10f, 0f, 95f, -100f, -87.5f, -89f }, 1, 9);
        var y = layer.Forward(x, training: true).ToArray();
        var dx = layer.Backward(TestTensors.Create(Enumerable.Repeat(1f, 9).ToArray(), 1, 9)).ToArray();
        foreach (float v in y.Concat(dx)) float.IsSubnormal(v).Should().BeFalse($"{v} is subnormal");
        y[3].Should().BeApproximately(1f / (1f + MathF.Exp(10f)), 1e-10f, "values in the normal range are untouched");
    }

    [Fact]
    public void SoftmaxCrossEntropy_FarOffClasses_GradientHasNoSubnormalsAndBackwardIsRepeatable()
    {
        var loss = new SoftmaxCrossEntropy<float>();
        var z = TestTensors.Create(new[] { 0f, -95f, -100f, 5f, 2f, -90f }, 2, 3);
        loss.Forward(z, TestTensors.Create(new[] { 0f, 1f }, 2));
        var first = loss.Backward().ToArray();
        var second = loss.Backward().ToArray();
        second.Should().Equal(first);
        foreach (float v in first) float.IsSubnormal(v).Should().BeFalse($"{v} is subnormal");
    }
}
