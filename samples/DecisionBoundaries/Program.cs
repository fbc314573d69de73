// DecisionBoundaries: the console counterpart of the playground. Trains a small MLP on a 2-D synthetic set
// (spirals, circles, XOR, Gaussian blobs) with the network and optimizer the options choose, then draws its
// decision regions with the library's DecisionBoundary: class regions whose strength is the probability,
// the boundary between them, training points as discs and test points as crosses.
using System.Globalization;
using DecisionBoundariesSample;
using NeuralNets.Diagnostics;
using NeuralNets.Losses;
using NeuralNets.Training;
using Spectre.Console;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
return SampleOptions.Command(Run).Parse(args).Invoke();

static int Run(SampleOptions options)
{
    Directory.CreateDirectory(options.OutputDirectory);
    var results = new Table().AddColumns("data", "network", "optimizer", "train accuracy", "test accuracy", "picture");
    AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
        .Start(context =>
        {
            foreach (string name in options.DataSets)
            {
                var (train, test, title) = DataSets.Load(name, options.Points, options.Noise, options.Seed);
                int classes = train.ClassCount!.Value;
                var network = Choices.Network(options.Width, options.Depth, options.Activation, classes, options.Seed);
                var optimizer = Choices.Optimizer(options.Optimizer, network.Parameters, options.LearningRate);
                var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), optimizer);
                var task = context.AddTask(title, maxValue: options.Epochs);
                trainer.Fit(train, new TrainingOptions { Epochs = options.Epochs, BatchSize = options.BatchSize, Seed = options.Seed },
                    progress: new SynchronousProgress<EpochReport>(e => task.Value = e.Epoch));

                double trainAccuracy = trainer.Evaluate(train).Accuracy ?? double.NaN, testAccuracy = trainer.Evaluate(test).Accuracy ?? double.NaN;
                string shape = $"2-{string.Concat(Enumerable.Repeat($"{options.Width}-", options.Depth))}{classes} {options.Activation}";
                string picture = Path.Combine(options.OutputDirectory, $"decision-{name}.png");
                DecisionBoundary.Draw(network, train, test, new DecisionBoundaryOptions
                {
                    Width = options.Size, Height = options.Size,
                    Title = $"{title} · {shape} · {options.Optimizer} η={options.LearningRate} · {options.Epochs} epochs\ntrain accuracy {trainAccuracy:F3}, test accuracy {testAccuracy:F3}",
                }).Picture.SavePng(picture);
                results.AddRow(title, shape, $"{options.Optimizer} η={options.LearningRate}", $"{trainAccuracy:F3}", $"{testAccuracy:F3}", picture);
            }
        });
    AnsiConsole.Write(results);
    return 0;
}
