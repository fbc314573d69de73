using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Integration;

/// <summary>
/// The lecture's in-class network (2 inputs, 2 sigmoid hidden units, 1 linear output, squared
/// error), checked against the lecture's formulas written out by hand:
/// <code>
/// s_j = Σ_i w_{j,i} x_i          (x_0 = 1: w_{j,0} is the bias)
/// h_j = σ(s_j)
/// ŷ   = Σ_j w_{3,j} h_j          (h_0 = 1: w_{3,0} is the bias)
/// L   = (ŷ − y)²                  (PyTorch's MSELoss, the mean over one output)
/// dL/dŷ       = 2(ŷ − y)
/// dL/dw_{3,j} = dL/dŷ · h_j
/// dL/dh_j     = dL/dŷ · w_{3,j}
/// dL/ds_j     = dL/dh_j · h_j(1 − h_j)
/// dL/dw_{j,i} = dL/ds_j · x_i
/// </code>
/// </summary>
public class InClassExampleTests
{
    private static readonly double[] X = [1.0, 0.5, -1.0]; // x_0 = 1 for the bias
    private const double Y = 1.0;
    private static readonly double[][] W = [[0.1, 0.2, -0.3], [-0.1, 0.4, 0.5], [0.2, 0.6, -0.7]]; // w_1, w_2, w_3

    private static (Sequential<double> Network, Dense<double> Hidden, Dense<double> Output) Build()
    {
        var hidden = new Dense<double>(2, 2, seed: 0);
        hidden.Weight.SetValue([W[0][1], W[0][2], W[1][1], W[1][2]]);
        hidden.Bias!.SetValue([W[0][0], W[1][0]]);
        var output = new Dense<double>(2, 1, seed: 0);
        output.Weight.SetValue([W[2][1], W[2][2]]);
        output.Bias!.SetValue([W[2][0]]);
        return (new Sequential<double>([2], hidden, new Sigmoid<double>(), output), hidden, output);
    }

    private static double Sigma(double v) => 1 / (1 + Math.Exp(-v));

    [Fact]
    public void Forward_InClassExample_MatchesLectureFormulas()
    {
        var (network, hidden, _) = Build();
        var x = TestTensors.Create([X[1], X[2]], 1, 2);

        double[] s = hidden.Forward(x, training: false).ToArray();
        double yHat = network.Forward(x, training: false).ToArray()[0];
        double loss = new MeanSquaredError<double>().Forward(network.Forward(x, training: false), TestTensors.Create([Y], 1, 1));

        double s1 = W[0][0] * X[0] + W[0][1] * X[1] + W[0][2] * X[2];
        double s2 = W[1][0] * X[0] + W[1][1] * X[1] + W[1][2] * X[2];
        double expectedYHat = W[2][0] + W[2][1] * Sigma(s1) + W[2][2] * Sigma(s2);
        s.Should().Equal(s1, s2);
        yHat.Should().BeApproximately(expectedYHat, 1e-15);
        loss.Should().BeApproximately((expectedYHat - Y) * (expectedYHat - Y), 1e-15);
        // The same numbers worked out independently (Python, math.exp) to guard the formulas above.
        s.Should().Equal(0.5, -0.4);
        yHat.Should().BeApproximately(0.2925569607998292, 1e-14);
        loss.Should().BeApproximately(0.5004756537127745, 1e-14);
    }

    [Fact]
    public void Backward_InClassExample_MatchesChainRuleByHand()
    {
        var (network, hidden, output) = Build();
        var loss = new MeanSquaredError<double>();
        network.ZeroGradients();
        loss.Forward(network.Forward(TestTensors.Create([X[1], X[2]], 1, 2), training: false), TestTensors.Create([Y], 1, 1));
        double[] inputGradient = network.Backward(loss.Backward()).ToArray();

        double[] s = [Dot(W[0], X), Dot(W[1], X)];
        double[] h = [1, Sigma(s[0]), Sigma(s[1])]; // h_0 = 1 for the output's bias
        double yHat = Dot(W[2], h);
        double dYHat = 2 * (yHat - Y);
        double[] dW3 = [dYHat * h[0], dYHat * h[1], dYHat * h[2]];
        double[] dH = [dYHat * W[2][1], dYHat * W[2][2]];
        double[] dS = [dH[0] * h[1] * (1 - h[1]), dH[1] * h[2] * (1 - h[2])];
        double[][] dW = [[dS[0] * X[0], dS[0] * X[1], dS[0] * X[2]], [dS[1] * X[0], dS[1] * X[1], dS[1] * X[2]]];
        double[] dX = [dS[0] * W[0][1] + dS[1] * W[1][1], dS[0] * W[0][2] + dS[1] * W[1][2]];

        ShouldMatch(output.Bias!.GradientSpan, [dW3[0]]);
        ShouldMatch(output.Weight.GradientSpan, [dW3[1], dW3[2]]);
        ShouldMatch(hidden.Bias!.GradientSpan, [dW[0][0], dW[1][0]]);
        ShouldMatch(hidden.Weight.GradientSpan, [dW[0][1], dW[0][2], dW[1][1], dW[1][2]]);
        ShouldMatch(inputGradient, dX);
        // Independent figures (Python): dL/dw_{3,1} and dL/dw_{1,2}.
        output.Weight.GradientSpan[0].Should().BeApproximately(-0.8807090420878915, 1e-14);
        hidden.Weight.GradientSpan[1].Should().BeApproximately(0.1995020884598619, 1e-14);
    }

    [Fact]
    public void SgdStep_InClassExample_MovesEachWeightByLearningRateTimesGradient()
    {
        var (network, _, output) = Build();
        var loss = new MeanSquaredError<double>();
        var x = TestTensors.Create([X[1], X[2]], 1, 2);
        var y = TestTensors.Create([Y], 1, 1);
        var sgd = new Sgd<double>(network.Parameters, learningRate: 0.5);

        var losses = new List<double>();
        for (int step = 0; step < 10; step++)
        {
            losses.Add(sgd.Step(() =>
            {
                network.ZeroGradients();
                double value = loss.Forward(network.Forward(x, training: true), y);
                network.Backward(loss.Backward());
                return value;
            }));
            if (step == 0) output.Weight.ValueSpan[0].Should().BeApproximately(0.6 - 0.5 * -0.8807090420878915, 1e-14);
        }

        losses[0].Should().BeApproximately(0.5004756537127745, 1e-14);
        losses.Should().BeInDescendingOrder();
        losses[^1].Should().BeLessThan(1e-3);
    }

    private static double Dot(double[] a, double[] b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

    private static void ShouldMatch(ReadOnlySpan<double> actual, double[] expected)
    {
        actual.Length.Should().Be(expected.Length);
        for (int i = 0; i < expected.Length; i++)
            actual[i].Should().BeApproximately(expected[i], 1e-14 * Math.Max(1, Math.Abs(expected[i])), $"element {i}");
    }
}
