using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Tests.Golden;

namespace NeuralNets.Tests.Losses;

/// <summary>
/// The losses against torch.nn.functional's values and autograd gradients (PyTorchLossValues.cs, from
/// tests/PyTorchReference/losses.py), 1e-10 relative to each value itself (gradients of a mean are far below 1).
/// </summary>
public class PyTorchLossTests
{
    public static TheoryData<int> L1Cases => Indices(PyTorchLossValues.L1Loss.Length);
    public static TheoryData<int> HuberCases => Indices(PyTorchLossValues.HuberLoss.Length);
    public static TheoryData<int> BceCases => Indices(PyTorchLossValues.BceWithLogitsLoss.Length);
    public static TheoryData<int> CrossEntropyCases => Indices(PyTorchLossValues.CrossEntropyLoss.Length);
    public static TheoryData<int> NllCases => Indices(PyTorchLossValues.NllLoss.Length);
    public static TheoryData<int> LogSoftmaxCases => Indices(PyTorchLossValues.LogSoftmax.Length);
    public static TheoryData<int> DenseCases => Indices(PyTorchLossValues.IgnoredAndKDimensional.Length);

    [Theory]
    [MemberData(nameof(L1Cases))]
    public void L1Loss_RecordedCase_MatchesTorch(int index) => ShouldMatch(new L1Loss<double>(), PyTorchLossValues.L1Loss[index]);

    [Theory]
    [MemberData(nameof(HuberCases))]
    public void Huber_RecordedCase_MatchesTorch(int index) =>
        ShouldMatch(new Huber<double>(PyTorchLossValues.HuberLoss[index].Delta), PyTorchLossValues.HuberLoss[index].Recorded);

    [Theory]
    [MemberData(nameof(BceCases))]
    public void BinaryCrossEntropyWithLogits_RecordedCase_MatchesTorch(int index) =>
        ShouldMatch(new BinaryCrossEntropyWithLogits<double>(), PyTorchLossValues.BceWithLogitsLoss[index]);

    [Fact]
    public void BinaryCrossEntropyWithLogits_LossFarBelowItsTerms_KeepsTheDigitsPyTorchLoses()
    {
        // Logits of ±30…±40 on their target's side: each term is log(1 + e^(−|z|)) = e^(−|z|) to 1e-13 relative, which
        // ours computes as such; PyTorch's (1 − y)·z − log_sigmoid(z) subtracts numbers near |z| and keeps only a few
        // digits of it (1.13's fused form, log(e^(−m) + e^(−z−m)), loses them too). The gradient has no such cancellation.
        var recorded = PyTorchLossValues.BceWithLogitsTinyLoss[0];
        var loss = new BinaryCrossEntropyWithLogits<double>();
        double accurate = recorded.Output.Sum(z => Math.Exp(-Math.Abs(z))) / recorded.Output.Length;

        double ours = loss.Forward(TestTensors.Create(recorded.Output, recorded.Shape), TestTensors.Create(recorded.Target, recorded.Shape));

        new[] { ours }.ShouldMatchTorchRelatively([accurate], "loss against Σe^(−|z|)/n");
        Math.Abs(recorded.Loss[0] - accurate).Should().BeGreaterThan(1e-4 * accurate, "PyTorch's value is the one that parts from the exact loss");
        loss.Backward().ToArray().ShouldMatchTorchRelatively(recorded.Gradient, $"{loss} on {recorded.Inputs}: gradient");
    }

    [Theory]
    [MemberData(nameof(CrossEntropyCases))]
    public void CrossEntropy_RecordedCase_MatchesTorch(int index)
    {
        var recorded = PyTorchLossValues.CrossEntropyLoss[index];
        ShouldMatch(new CrossEntropy<double>(recorded.Weights, recorded.LabelSmoothing), recorded);
        if (recorded.Weights is null && recorded.LabelSmoothing == 0) ShouldMatch(new SoftmaxCrossEntropy<double>(), recorded);
    }

    [Theory]
    [MemberData(nameof(NllCases))]
    public void NegativeLogLikelihood_RecordedCase_MatchesTorch(int index) =>
        ShouldMatch(new NegativeLogLikelihood<double>(PyTorchLossValues.NllLoss[index].Weights), PyTorchLossValues.NllLoss[index]);

    /// <summary>cross_entropy and nll_loss with ignore_index, and on [N, C, d1, …] against [N, d1, …], as PyTorch's K-dimensional losses.</summary>
    [Theory]
    [MemberData(nameof(DenseCases))]
    public void IgnoredOrKDimensional_RecordedCase_MatchesTorch(int index)
    {
        var recorded = PyTorchLossValues.IgnoredAndKDimensional[index];
        ILoss<double> loss = recorded.Loss == "ce"
            ? new CrossEntropy<double>(recorded.Weights, recorded.LabelSmoothing, recorded.IgnoreIndex)
            : new NegativeLogLikelihood<double>(recorded.Weights, recorded.IgnoreIndex);

        double ours = loss.Forward(TestTensors.Create(recorded.Output, recorded.Shape), TestTensors.Create(recorded.Labels, recorded.LabelShape));

        new[] { ours }.ShouldMatchTorchRelatively(recorded.Value, $"{loss} on {recorded.Inputs}: loss");
        loss.Backward().ToArray().ShouldMatchTorchRelatively(recorded.Gradient, $"{loss} on {recorded.Inputs}: gradient");
    }

    /// <summary>The layer before nll_loss: its output and input gradient within 1e-10 of PyTorch's, relative to max(1, |value|).</summary>
    [Theory]
    [MemberData(nameof(LogSoftmaxCases))]
    public void LogSoftmax_RecordedCase_MatchesTorch(int index)
    {
        var recorded = PyTorchLossValues.LogSoftmax[index];
        var layer = new LogSoftmax<double>();

        layer.Forward(TestTensors.Create(recorded.Input, recorded.Shape), training: true).ToArray().ShouldMatchTorch(recorded.Output, $"LogSoftmax on {recorded.Inputs}: output");
        layer.Backward(TestTensors.Create(recorded.OutputGradient, recorded.Shape)).ToArray()
            .ShouldMatchTorch(recorded.InputGradient, $"LogSoftmax on {recorded.Inputs}: input gradient");
    }

    [Fact]
    public void CrossEntropy_SubnormalProbabilities_KeepsThemAsPyTorch()
    {
        var recorded = PyTorchLossValues.CrossEntropySubnormalProbabilities[0];
        var gradient = ShouldMatchLoss(new CrossEntropy<double>(), recorded);
        gradient.ShouldMatchTorchRelatively(recorded.Gradient, $"CrossEntropy on {recorded.Inputs}: gradient");
    }

    [Fact]
    public void SoftmaxCrossEntropy_SubnormalProbabilities_FlushesTheirGradientToZero()
    {
        // The documented difference (SoftmaxCrossEntropy's remarks): entries below the smallest normal double become 0.
        var recorded = PyTorchLossValues.CrossEntropySubnormalProbabilities[0];
        var gradient = ShouldMatchLoss(new SoftmaxCrossEntropy<double>(), recorded);
        var flushed = recorded.Gradient.Select(g => Math.Abs(g) < SmallestNormal ? 0 : g).ToArray();
        flushed.Should().NotEqual(recorded.Gradient, "PyTorch's gradient has subnormal entries here");
        gradient.ShouldMatchTorchRelatively(flushed, $"SoftmaxCrossEntropy on {recorded.Inputs}: gradient, PyTorch's subnormals as 0");
    }

    private const double SmallestNormal = 2.2250738585072014e-308;

    private static void ShouldMatch(ILoss<double> loss, ElementwiseLossCase recorded)
    {
        double ours = loss.Forward(TestTensors.Create(recorded.Output, recorded.Shape), TestTensors.Create(recorded.Target, recorded.Shape));
        new[] { ours }.ShouldMatchTorchRelatively(recorded.Loss, $"{loss} on {recorded.Inputs}: loss");
        loss.Backward().ToArray().ShouldMatchTorchRelatively(recorded.Gradient, $"{loss} on {recorded.Inputs}: gradient");
    }

    private static void ShouldMatch(ILoss<double> loss, ClassLossCase recorded) =>
        ShouldMatchLoss(loss, recorded).ShouldMatchTorchRelatively(recorded.Gradient, $"{loss} on {recorded.Inputs}: gradient");

    /// <summary>Checks the loss and returns the gradient.</summary>
    private static double[] ShouldMatchLoss(ILoss<double> loss, ClassLossCase recorded)
    {
        double ours = loss.Forward(TestTensors.Create(recorded.Output, recorded.Shape), TestTensors.Create(recorded.Labels, recorded.Labels.Length));
        new[] { ours }.ShouldMatchTorchRelatively(recorded.Loss, $"{loss} on {recorded.Inputs}: loss");
        return loss.Backward().ToArray();
    }

    private static TheoryData<int> Indices(int count) => [.. Enumerable.Range(0, count)];
}
