using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

/// <summary>
/// The helpers a rule written outside the library updates with (<c>ScratchBuffers</c>, <c>ElementRange.Scratch</c>,
/// <c>ElementRange.GradientWithL2</c>): the built-in rules fold the L2 term into their one-pass kernels and no longer
/// use them, so they are checked here, against the built-in SGD.
/// </summary>
public class RuleHelperTests
{
    /// <summary>SGD with the L2 term, written with the public helpers and TensorPrimitives as a user would.</summary>
    private sealed class SgdFromHelpers<T>(IEnumerable<Parameter<T>> parameters, double learningRate, double weightDecay)
        : ElementwiseOptimizer<T>(parameters, learningRate) where T : unmanaged, IFloatingPointIeee754<T>
    {
        protected override int ScratchBuffers => 1;

        protected override void Update(ElementRange<T> range)
        {
            var g = range.GradientWithL2(T.CreateChecked(weightDecay), scratch: 0);
            TensorPrimitives.MultiplyAdd(g, -T.CreateChecked(LearningRate), range.Value, range.Value);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void SgdWrittenWithTheHelpers_SameBitsAsTheBuiltIn(double weightDecay)
    {
        // Long enough to be cut into ranges that run at once, each with its own part of the scratch buffer.
        const int length = 100_003;
        var random = new Random(17);
        float[] start = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        Parameter<float> ours = new("w", length), theirs = new("w", length);
        ours.SetValue(start);
        theirs.SetValue(start);
        var builtIn = new Sgd<float>([ours], 0.1, weightDecay);
        var written = new SgdFromHelpers<float>([theirs], 0.1, weightDecay);
        for (int step = 0; step < 3; step++)
        {
            float[] gradient = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            builtIn.Step(() => { gradient.CopyTo(ours.GradientSpan); return 0; });
            written.Step(() => { gradient.CopyTo(theirs.GradientSpan); return 0; });
        }

        theirs.ValueSpan.ToArray().Should().Equal(ours.ValueSpan.ToArray());
        theirs.ValueSpan.ToArray().Should().NotEqual(start);
    }
}
