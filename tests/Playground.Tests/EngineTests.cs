using Playground.Engine;

namespace Playground.Tests;

/// <summary>The page's logic without a browser: configuration, URL, data, features, network, training slices.</summary>
public class EngineTests
{
    [Fact]
    public void Url_round_trips_every_setting()
    {
        var config = new PlaygroundConfig
        {
            Data = DataKind.Circle, Points = 300, Noise = 25, TrainPercent = 70, BatchSize = 16,
            Features = Features.X1Squared | Features.X2Squared | Features.SinX1, HiddenLayers = [3, 5, 2],
            Activation = ActivationKind.LeakyReLU, Optimizer = OptimizerKind.Nesterov, LearningRate = 0.03, Momentum = 0.8,
            Beta1 = 0.85, Beta2 = 0.99, Epsilon = 1e-7, WeightDecay = 0.001, Schedule = ScheduleKind.Cosine,
            ScheduleEpochs = 40, ScheduleGamma = 0.7, Seed = 12345,
        };
        string query = ConfigUrl.Encode(config);
        query.Should().Contain("opt=nesterov").And.Contain("lr=0.03").And.Contain("layers=3,5,2").And.Contain("features=x1sq,x2sq,sinx1");
        ConfigUrl.Decode("?" + query).Should().Be(config);
    }

    [Fact]
    public void Url_decoding_forgives_missing_and_bad_values()
    {
        ConfigUrl.Decode(null).Should().Be(new PlaygroundConfig());
        var config = ConfigUrl.Decode("opt=nope&lr=abc&layers=20,0,x&noise=999&features=bogus&data=XOR&eps=1e-9");
        config.Optimizer.Should().Be(OptimizerKind.Adam);
        config.LearningRate.Should().Be(0.03);
        config.HiddenLayers.Should().Equal(8, 1, 4);
        config.Noise.Should().Be(50);
        config.Features.Should().Be(Features.X1 | Features.X2);
        config.Data.Should().Be(DataKind.Xor);
        config.Epsilon.Should().Be(1e-9);
        ConfigUrl.Decode("layers=").HiddenLayers.Should().BeEmpty("no hidden layer is logistic regression on the features");
    }

    [Fact]
    public void Features_are_the_originals()
    {
        var chosen = FeatureNames.Chosen(Features.X1 | Features.X1X2 | Features.SinX2);
        var rows = new float[6];
        FeatureNames.Map(chosen, [2f, -1f], [3f, 0.5f], rows);
        rows.Should().Equal(2f, 6f, MathF.Sin(3f), -1f, -0.5f, MathF.Sin(0.5f));
    }

    [Theory]
    [InlineData(DataKind.Spiral)]
    [InlineData(DataKind.Xor)]
    [InlineData(DataKind.Circle)]
    [InlineData(DataKind.Gauss)]
    [InlineData(DataKind.Regression)]
    public void Data_sets_fill_the_plane_and_split_by_the_ratio(DataKind kind)
    {
        var data = PlaneData.Generate(new PlaygroundConfig { Data = kind, Points = 400, TrainPercent = 30, Noise = 20, Seed = 3 });
        data.Count.Should().Be(400);
        data.TrainCount.Should().Be(120);
        data.X1.Concat(data.X2).Should().OnlyContain(v => v >= -PlaneData.Extent && v <= PlaneData.Extent);
        if (kind == DataKind.Regression) data.Target.Should().OnlyContain(t => t >= -1 && t <= 1);
        else data.Target.Distinct().Should().BeEquivalentTo([0f, 1f]);
        PlaneData.Generate(new PlaygroundConfig { Data = kind, Points = 400, TrainPercent = 30, Noise = 20, Seed = 3 }).X1
            .Should().Equal(data.X1, "the seed decides the points");
    }

    [Fact]
    public void Network_follows_the_configuration()
    {
        var config = new PlaygroundConfig { Features = Features.X1 | Features.X2 | Features.X1X2, HiddenLayers = [4, 2] };
        var dense = NetworkFactory.DenseLayers(NetworkFactory.Build(config));
        dense.Select(d => (d.Inputs, d.Outputs)).Should().Equal((3, 4), (4, 2), (2, 1));
        new DiagramLayout(config).Lines(dense).Should().HaveCount(3 * 4 + 4 * 2 + 2);
    }

    [Fact]
    public void Every_optimizer_and_schedule_trains_without_failing()
    {
        foreach (var optimizer in Enum.GetValues<OptimizerKind>())
            foreach (var schedule in Enum.GetValues<ScheduleKind>())
            {
                var config = new PlaygroundConfig
                {
                    Data = DataKind.Circle, Points = 100, Optimizer = optimizer, Schedule = schedule, ScheduleEpochs = 2,
                    // RMSprop with γ = 0.9 steps about ten times η: it gets a smaller one.
                    LearningRate = optimizer switch { OptimizerKind.Adadelta or OptimizerKind.Lbfgs => 1, OptimizerKind.RmsProp => 0.003, _ => 0.03 },
                    WeightDecay = 1e-4,
                };
                var session = new TrainingSession(config);
                for (int e = 0; e < 5; e++) session.RunEpoch();
                session.Failure.Should().BeNull($"{optimizer} with {schedule}");
                session.Epoch.Should().Be(5);
                session.TestLoss.Should().HaveCount(6);
                session.TrainLoss[^1].Should().BeLessThan(session.TrainLoss[0], $"{optimizer} with {schedule} should learn a little");
            }
    }

    [Fact]
    public void Slices_split_an_epoch_into_steps_and_record_one_loss_per_epoch()
    {
        var session = new TrainingSession(new PlaygroundConfig { Points = 100, BatchSize = 15 });   // 50 training points: 3 steps of 15, one of 5
        session.StepsPerEpoch.Should().Be(4);
        for (int i = 0; i < 3; i++) session.Step().Should().BeFalse();
        session.Step().Should().BeTrue();
        session.Epoch.Should().Be(1);
        session.RunFor(0).Should().Be(0, "a zero budget still takes one step, which does not end an epoch here");
        session.Steps.Should().Be(5);
    }

    [Fact]
    public void Schedule_sets_eta_per_epoch()
    {
        var session = new TrainingSession(new PlaygroundConfig { Points = 40, Schedule = ScheduleKind.Step, ScheduleEpochs = 2, ScheduleGamma = 0.5, LearningRate = 0.1 });
        var seen = new List<double>();
        for (int e = 0; e < 5; e++)
        {
            session.RunEpoch();
            seen.Add(session.LearningRate);
        }
        seen.Should().Equal(0.1, 0.1, 0.05, 0.05, 0.025);
    }

    [Fact]
    public void Grid_view_shows_the_output_and_every_hidden_neuron()
    {
        var session = new TrainingSession(new PlaygroundConfig { HiddenLayers = [3, 2], Activation = ActivationKind.ReLU });
        var view = new PlaneView(session, outputResolution: 12, thumbnailResolution: 10);
        view.Update();
        view.Hidden(0).Length.Should().Be(100 * 3);
        view.Hidden(1).Length.Should().Be(100 * 2);
        view.Output.Length.Should().Be(144);
        view.Hidden(0).ToArray().Should().OnlyContain(v => v >= 0, "ReLU outputs");
        view.Output.ToArray().Should().OnlyContain(v => v > -1 && v < 1);
        // The grid's output is the network's prediction at the cell centre.
        var prediction = new float[1];
        session.Network.Predict([PlaneView.Coordinate(0, 12), -PlaneView.Coordinate(0, 12)], prediction);
        view.Output[0].Should().BeApproximately(MathF.Tanh(prediction[0] / 2), 1e-5f);
    }

    [Fact]
    public void Colours_run_from_orange_through_white_to_blue()
    {
        ColorScale.Color(-1).Should().Be(((byte)245, (byte)147, (byte)34, (byte)255));
        ColorScale.Color(-5).Should().Be(ColorScale.Color(-1), "values are clamped");
        ColorScale.Color(1).Should().Be(((byte)8, (byte)119, (byte)189, (byte)255));
        var middle = ColorScale.Color(0);
        middle.R.Should().BeInRange(228, 236);
        middle.B.Should().BeInRange(228, 236);
    }

    [Theory]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.ReLU)]
    [InlineData(ActivationKind.LeakyReLU)]
    public void Grid_evaluator_agrees_with_the_library_forward(ActivationKind activation)
    {
        var config = new PlaygroundConfig { Activation = activation, HiddenLayers = [5, 8, 3], Features = Features.X1 | Features.X2 | Features.SinX1 };
        var session = new TrainingSession(config);
        for (int e = 0; e < 3; e++) session.RunEpoch();   // weights away from their initial values
        var random = new Random(5);
        var inputs = Enumerable.Range(0, 7 * 3).Select(_ => (float)(random.NextDouble() * 12 - 6)).ToArray();
        var expected = new float[7];
        session.Network.Forward(System.Numerics.Tensors.Tensor.Create(inputs, [7, 3]), training: false).FlattenTo(expected);
        var output = new float[7];
        var hidden = config.HiddenLayers.Select(n => new float[7 * n]).ToArray();
        new GridEvaluator(session.Network, config, 7).Run(inputs, 7, hidden, output);
        for (int i = 0; i < 7; i++) output[i].Should().BeApproximately(expected[i], 1e-5f);
        var again = new float[7];
        new GridEvaluator(session.Network, config, 7).Run(inputs, 7, null, again);
        again.Should().Equal(output, "the scratch path computes the same");
    }

    [Fact]
    public void Loss_text_draws_at_most_the_point_limit_and_appends_the_history()
    {
        var text = new LossText();
        var losses = Enumerable.Range(0, 1001).Select(i => 1f / (1 + i)).ToList();
        var points = text.Points(losses, top: 1f).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        points.Length.Should().BeLessThanOrEqualTo(LossText.MaxPoints + 1);
        points[0].Should().Be("0,0", "the first loss is the top");
        var run = new object();
        text.History(run, [0.5f, 0.25f]).Should().Be("0.50000 0.25000");
        text.History(run, [0.5f, 0.25f, 0.125f]).Should().Be("0.50000 0.25000 0.12500");
        text.History(new object(), [0.75f]).Should().Be("0.75000", "a new run starts a new history");
    }

    [Fact]
    public void A_diverging_run_stops_with_a_message_instead_of_throwing()
    {
        var session = new TrainingSession(new PlaygroundConfig
        {
            Data = DataKind.Regression, Optimizer = OptimizerKind.Sgd, LearningRate = 10, Activation = ActivationKind.ReLU,
            Features = Features.X1Squared | Features.X2Squared | Features.X1X2,
        });
        for (int e = 0; e < 50 && session.Failure is null; e++) session.RunEpoch();
        session.Failure.Should().NotBeNull().And.Contain("epoch");
        session.Step().Should().BeFalse("a failed run takes no more steps");
    }
}
