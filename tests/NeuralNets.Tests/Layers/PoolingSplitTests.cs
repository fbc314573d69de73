using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// A long batch of planes is split across cores; every window must come out exactly as when the
/// batch is too short to split (one sample at a time), winners and gradients included.
/// </summary>
public class PoolingSplitTests
{
    public static TheoryData<string> Layers => new(["MaxPool2x2", "MaxPool3x3Stride2Padded", "Flatten", "MaxPool3x3Stride2PaddedCeil", "AvgPool3x3Stride2PaddedCeilNotCounted"]);

    // In ceil mode, 3×3 windows with stride 2 and padding 1 over 12 rows give 7, the last overhanging the padding.
    private static ILayer<float> Create(string name) => name switch
    {
        "MaxPool2x2" => new MaxPool2D<float>(2),
        "MaxPool3x3Stride2Padded" => new MaxPool2D<float>(3, stride: 2, padding: 1),
        "MaxPool3x3Stride2PaddedCeil" => new MaxPool2D<float>(3, stride: 2, padding: 1, ceilMode: true),
        "AvgPool3x3Stride2PaddedCeilNotCounted" => new AvgPool2D<float>(3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false),
        _ => new Flatten<float>(),
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void ForwardAndBackward_LongBatch_EqualOneSampleAtATime(string name)
    {
        // 40 samples of 6×12×12: 34,560 elements, long enough to split; plane counts that do not split evenly.
        const int batch = 40, channels = 6, size = 12, sample = channels * size * size;
        var x = TestTensors.Random<float>(21, batch, channels, size, size);
        var whole = Create(name);
        var y = whole.Forward(x, training: true);
        var dy = TestTensors.Random<float>(22, [batch, .. y.Lengths[1..].ToArray().Select(l => (int)l)]);
        var yWhole = y.ToArray();
        var dxWhole = whole.Backward(dy).ToArray();

        var xs = x.ToArray();
        var dys = dy.ToArray();
        int outSample = dys.Length / batch;
        var single = Create(name);
        for (int n = 0; n < batch; n++)
        {
            var row = TestTensors.Create(xs.AsSpan(n * sample, sample).ToArray(), 1, channels, size, size);
            var yRow = single.Forward(row, training: true);
            yRow.ToArray().Should().Equal(yWhole.AsSpan(n * outSample, outSample).ToArray(), $"sample {n} forward");
            var dyRow = TestTensors.Create(dys.AsSpan(n * outSample, outSample).ToArray(), [1, .. yRow.Lengths[1..].ToArray().Select(l => (int)l)]);
            single.Backward(dyRow).ToArray().Should().Equal(dxWhole.AsSpan(n * sample, sample).ToArray(), $"sample {n} backward");
        }
    }
}
