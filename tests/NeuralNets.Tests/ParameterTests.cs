using NeuralNets.Layers;

namespace NeuralNets.Tests;

public class ParameterTests
{
    [Fact]
    public void ZeroGradient_ThenRead_SeesZerosThroughSpanAndTensor()
    {
        var parameter = new Parameter<double>("w", 2, 3);
        parameter.GradientSpan.Fill(4.5);
        parameter.ZeroGradient();
        parameter.Gradient.ToArray().Should().OnlyContain(g => g == 0);
        parameter.GradientSpan.Fill(1.0);
        parameter.ZeroGradient();
        parameter.GradientSpan.ToArray().Should().OnlyContain(g => g == 0);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(3 * 8192 + 5)] // cleared by the worker team
    public void ZeroGradient_TensorAndSpanTakenBefore_ReadZeros(int length)
    {
        var parameter = new Parameter<float>("w", length);
        var tensor = parameter.Gradient;
        var span = parameter.GradientSpan;
        span.Fill(2.5f);
        parameter.ZeroGradient();
        tensor.ToArray().Should().OnlyContain(g => g == 0);
        span.ToArray().Should().OnlyContain(g => g == 0);
    }

    [Fact]
    public void ZeroGradientDeferred_ThenAccessor_MaterialisesZerosForTensorsTakenBefore()
    {
        var layer = new Dense<double>(5, 3, seed: 2);
        var tensor = layer.Weight.Gradient;
        layer.Forward(TestTensors.Random<double>(1, 4, 5), training: false);
        layer.Backward(TestTensors.Random<double>(2, 4, 3));
        layer.Weight.ZeroGradientDeferred();
        _ = layer.Weight.GradientSpan;
        tensor.ToArray().Should().OnlyContain(g => g == 0);
    }

    [Fact]
    public void NewParameter_DoesNotLandRightAfterAnInputBatchAllocatedJustBefore()
    {
        // A batch that both cores stream through column by column has the CPU prefetch tens of kilobytes
        // past its end; a weight there is pulled into the wrong core's cache on every step. An ordinary
        // array allocated next lands right behind the batch (tens of bytes); a parameter must not. Its heap
        // may by chance begin right after a batch's heap, so one pair of three placed apart is enough,
        // while the old placement fails all three.
        var distances = new List<long>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var (value, gradient) = DistancesAfterBatch();
            distances.Add(Math.Min(value, gradient));
            if (!IsRightBehind(value) && !IsRightBehind(gradient)) return;
        }
        Assert.Fail($"parameters started {string.Join(", ", distances)} bytes after the batch allocated just before them");
    }

    private static bool IsRightBehind(long distance) => distance is >= 0 and < 256 * 1024;

    private static unsafe (long Value, long Gradient) DistancesAfterBatch()
    {
        var batch = new float[64 * 784];
        var weight = new Parameter<float>("weight", 128, 784);
        fixed (float* batchStart = batch)
        fixed (float* value = weight.ValueSpan)
        fixed (float* gradient = weight.GradientSpan)
        {
            long batchEnd = (long)(batchStart + batch.Length);
            return ((long)value - batchEnd, (long)gradient - batchEnd);
        }
    }

    [Fact]
    public void DenseBackward_AfterDeferredZero_EqualsBackwardIntoClearedGradientBitForBit()
    {
        var deferred = new Dense<float>(37, 19, seed: 3);
        var cleared = new Dense<float>(37, 19, seed: 3);
        var x = TestTensors.Random<float>(1, 8, 37);
        var dy = TestTensors.Random<float>(2, 8, 19);
        foreach (var layer in new[] { deferred, cleared })
        {
            layer.Forward(x, training: false);
            layer.Backward(dy); // leave a stale gradient behind
        }

        deferred.Weight.ZeroGradientDeferred();          // deferred: the next backward overwrites
        cleared.Weight.ZeroGradient();                   // cleared now: the next backward adds to zeros
        deferred.Bias!.ZeroGradientDeferred();
        cleared.Bias!.ZeroGradient();
        foreach (var layer in new[] { deferred, cleared })
        {
            layer.Forward(x, training: false);
            layer.Backward(dy);
        }

        deferred.Weight.Gradient.ToArray().Should().Equal(cleared.Weight.Gradient.ToArray());
        deferred.Bias!.Gradient.ToArray().Should().Equal(cleared.Bias!.Gradient.ToArray());
    }

    [Fact]
    public void DenseBackward_TwiceAfterDeferredZero_AccumulatesTheSecond()
    {
        var layer = new Dense<double>(5, 3, seed: 1);
        var x = TestTensors.Random<double>(3, 4, 5);
        var dy = TestTensors.Random<double>(4, 4, 3);
        layer.Weight.ZeroGradientDeferred();
        layer.Forward(x, training: false);
        layer.Backward(dy);
        var once = layer.Weight.Gradient.ToArray();
        layer.Forward(x, training: false);
        layer.Backward(dy);
        layer.Weight.Gradient.ToArray().Should().Equal(once.Select(v => 2 * v), (a, b) => Math.Abs(a - b) <= 1e-14 * Math.Abs(b));
    }
}
