using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

public class HyperparameterValidationTests
{
    private static readonly Parameter<double>[] P = [new("w", 2)];

    public static TheoryData<string, string, Func<object>> Cases => new()
    {
        { "learningRate", "-1", () => new Momentum<double>(P, learningRate: -1) },
        { "learningRate", "NaN", () => new Adam<double>(P, learningRate: double.NaN) },
        { "momentum", "2", () => new Momentum<double>(P, 0.1, momentum: 2) },
        { "momentum", "-1", () => new Nesterov<double>(P, 0.1, momentum: -1) },
        { "weightDecay", "-1", () => new Nesterov<double>(P, 0.1, weightDecay: -1) },
        { "weightDecay", "-2", () => new Sgd<double>(P, 0.1, weightDecay: -2) },
        { "learningRateDecay", "-1", () => new Adagrad<double>(P, learningRateDecay: -1) },
        { "initialAccumulatorValue", "-3", () => new Adagrad<double>(P, initialAccumulatorValue: -3) },
        { "epsilon", "0", () => new Adagrad<double>(P, epsilon: 0) },
        { "epsilonPlacement", "7", () => new Adagrad<double>(P, epsilonPlacement: (AdagradEpsilon)7) },
        { "rho", "1", () => new Adadelta<double>(P, rho: 1) },
        { "epsilon", "-1", () => new Adadelta<double>(P, epsilon: -1) },
        { "beta1", "1", () => new Adam<double>(P, beta1: 1) },
        { "beta2", "-1", () => new AdamW<double>(P, beta2: -1) },
        { "epsilon", "0", () => new AdamW<double>(P, epsilon: 0) },
        { "weightDecay", "-1", () => new AdamW<double>(P, weightDecay: -1) },
        { "alpha", "1", () => new RmsProp<double>(P, alpha: 1) },
        { "beta1", "-0.5", () => new Nadam<double>(P, beta1: -0.5) },
        { "momentumDecay", "-1", () => new Nadam<double>(P, momentumDecay: -1) },
        { "epsilon", "0", () => new Nadam<double>(P, epsilon: 0) },
        { "momentum", "3", () => new RmsProp<double>(P, momentum: 3) },
        { "maxIterations", "0", () => new Lbfgs<double>(P, maxIterations: 0) },
        { "maxEvaluations", "-5", () => new Lbfgs<double>(P, maxEvaluations: -5) },
        { "historySize", "0", () => new Lbfgs<double>(P, historySize: 0) },
        { "gradientTolerance", "-1", () => new Lbfgs<double>(P, gradientTolerance: -1) },
        { "changeTolerance", "Infinity", () => new Lbfgs<double>(P, changeTolerance: double.PositiveInfinity) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Constructor_InvalidHyperparameter_MessageNamesItAndItsValue(string name, string value, Func<object> create)
    {
        create.Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == name)
            .WithMessage($"{name} *{value}*");
    }

    [Fact]
    public void LearningRateSetter_Zero_Throws()
    {
        var optimizer = new Adam<float>([new Parameter<float>("w", 1)]);
        optimizer.Invoking(o => o.LearningRate = 0).Should().Throw<ArgumentOutOfRangeException>().WithMessage("learningRate *0*");
        optimizer.LearningRate.Should().Be(1e-3);
    }
}
