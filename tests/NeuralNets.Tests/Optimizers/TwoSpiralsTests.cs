using NeuralNets.Data;
using NeuralNets.Initialization;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Tests.Optimizers;

public class TwoSpiralsTests
{
    public static TheoryData<string> Names => new(["Sgd", "Momentum", "Nesterov", "Adagrad", "Adadelta", "RmsProp", "Adam", "AdamW", "Lbfgs"]);

    private static IOptimizer<float> Create(string name, IReadOnlyList<Parameter<float>> p) => name switch
    {
        "Sgd" => new Sgd<float>(p, 0.1),
        "Momentum" => new Momentum<float>(p, 0.01),
        "Nesterov" => new Nesterov<float>(p, 0.01),
        "Adagrad" => new Adagrad<float>(p, 0.05),
        "Adadelta" => new Adadelta<float>(p),
        "RmsProp" => new RmsProp<float>(p, 0.003),
        "Adam" => new Adam<float>(p, 0.005),
        "AdamW" => new AdamW<float>(p, 0.005),
        "Lbfgs" => new Lbfgs<float>(p),
        _ => throw new ArgumentException(name, nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Fit_TwoSpirals_LearnsThem(string name)
    {
        var data = SyntheticData.TwoSpirals<float>(pointsPerClass: 150, noise: 0.05, turns: 1.5, seed: 3);
        var network = Network.Sequential<float>(2)
            .Dense(64, WeightInit.HeUniform).ReLU()
            .Dense(64, WeightInit.HeUniform).ReLU()
            .Dense(2)
            .Build(seed: 42);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), Create(name, network.Parameters));
        bool fullBatch = name == "Lbfgs";
        double before = trainer.Evaluate(data).Loss;

        trainer.Fit(data, new TrainingOptions { Epochs = fullBatch ? 30 : 150, BatchSize = fullBatch ? data.Count : 32, Seed = 1 },
            cancellationToken: TestContext.Current.CancellationToken);

        var after = trainer.Evaluate(data);
        after.Accuracy.Should().BeGreaterThanOrEqualTo(0.95, $"{name} should separate the spirals (loss {before:F3} → {after.Loss:F3})");
        after.Loss.Should().BeLessThan(0.25 * before);
    }
}
