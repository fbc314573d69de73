using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace NeuralNets.Samples.Gan;

/// <summary>The options shared by the image GANs.</summary>
/// <param name="Epochs">Passes over the real images.</param>
/// <param name="BatchSize">Real (and generated) images per round.</param>
/// <param name="NoiseSize">Length of the noise vector z.</param>
/// <param name="LearningRate">Adam's rate for both networks.</param>
/// <param name="Seed">Seeds everything: networks, batches, noise.</param>
/// <param name="OutputDirectory">Where the PNGs go.</param>
/// <param name="SnapshotEpochs">Epochs after which a grid is drawn (the last epoch always is).</param>
/// <param name="CheckSamples">Generated samples per class for the recognisability check.</param>
public sealed record GanOptions(int Epochs, int BatchSize, int NoiseSize, double LearningRate, int Seed, string OutputDirectory,
    IReadOnlyList<int> SnapshotEpochs, int CheckSamples);

/// <summary>Trains one image GAN with a progress bar, draws its grids and plot, runs the recognisability check and prints the tables.</summary>
public static class GanRun
{
    private const int GridColumns = 10;

    /// <summary>Runs <paramref name="experiment"/> with <paramref name="options"/>; returns the check's figures.</summary>
    public static Recognisability Run(GanExperiment experiment, GanOptions options, double? bar)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var clock = Stopwatch.StartNew();
        var gan = new ConditionalGan(experiment.Generator, experiment.Discriminator, experiment.Conditioning, experiment.Real,
            options.NoiseSize, options.BatchSize, options.Seed, options.LearningRate, realTarget: 0.9);
        AnsiConsole.MarkupLineInterpolated(
            $"[bold]{experiment.Name}[/]: {experiment.Real.Count} real images, {gan.RoundsPerEpoch} rounds per epoch, {options.Epochs} epochs");
        var history = new List<GanEpoch>();
        var snapshots = new List<GanEpoch>();
        var pictures = new List<string>();
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("epoch 1", maxValue: options.Epochs * gan.RoundsPerEpoch);
                for (int epoch = 1; epoch <= options.Epochs; epoch++)
                {
                    var figures = gan.TrainEpoch(() => task.Increment(1));
                    history.Add(figures);
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"epoch {epoch}: D {figures.DiscriminatorLoss:F3}, G {figures.GeneratorLoss:F3}, D acc {figures.DiscriminatorAccuracy:F2}");
                    if (epoch == options.Epochs || options.SnapshotEpochs.Contains(epoch))
                    {
                        snapshots.Add(figures);
                        string path = Path.Combine(options.OutputDirectory, string.Create(CultureInfo.InvariantCulture, $"gan-{experiment.Name}-epoch-{epoch:D3}.png"));
                        ClassGrid.Draw(gan, experiment.ClassNames, GridColumns, options.Seed + 1000, experiment.Zoom,
                            string.Create(CultureInfo.InvariantCulture, $"Conditional GAN, {experiment.Name}: epoch {epoch}")).SavePng(path);
                        pictures.Add(path);
                    }
                }
            });
        double trainingSeconds = clock.Elapsed.TotalSeconds;
        string plotPath = Path.Combine(options.OutputDirectory, $"gan-{experiment.Name}-training.png");
        TrainingPlot.Save(history, $"Conditional GAN on {experiment.Name}: losses and the discriminator's accuracy", plotPath);

        var judgeClock = Stopwatch.StartNew();
        double classifierAccuracy = RecognisabilityCheck.TrainClassifier(experiment.Classifier, experiment.ClassifierTrain, experiment.ClassifierTest,
            experiment.ClassifierEpochs, options.Seed);
        var result = RecognisabilityCheck.Judge(gan, experiment.Classifier, classifierAccuracy, experiment.ClassNames.Count, options.CheckSamples, options.Seed + 2000);
        double judgeSeconds = judgeClock.Elapsed.TotalSeconds;

        Print(experiment, snapshots, result, options.CheckSamples, bar);
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GAN training {trainingSeconds:F1} s; classifier and check {judgeSeconds:F1} s."));
        foreach (string path in pictures.Append(plotPath)) AnsiConsole.WriteLine($"wrote {path}");
        return result;
    }

    private static void Print(GanExperiment experiment, IReadOnlyList<GanEpoch> snapshots, Recognisability result, int perClass, double? bar)
    {
        var training = new Table().Title("Training").AddColumns("epoch", "D loss", "G loss", "D accuracy");
        foreach (var s in snapshots)
            training.AddRow(s.Epoch.ToString(CultureInfo.InvariantCulture), F(s.DiscriminatorLoss, "F3"), F(s.GeneratorLoss, "F3"), F(s.DiscriminatorAccuracy, "F2"));
        AnsiConsole.Write(training);

        var check = new Table().Title($"Recognisability: {perClass} generated samples per class, labelled by a classifier trained on real images")
            .AddColumns("class", "labelled as asked");
        for (int c = 0; c < experiment.ClassNames.Count; c++) check.AddRow(Markup.Escape(experiment.ClassNames[c]), F(result.PerClass[c], "P1"));
        check.AddRow("[bold]all[/]", $"[bold]{F(result.Overall, "P1")}[/]");
        AnsiConsole.Write(check);
        AnsiConsole.WriteLine($"classifier accuracy on held-out real images: {F(result.ClassifierAccuracy, "P1")}");
        if (bar is double b)
            AnsiConsole.MarkupLine(result.Overall >= b
                ? $"[green]recognisable: {F(result.Overall, "P1")} ≥ {F(b, "P0")}[/]"
                : $"[red]below the bar: {F(result.Overall, "P1")} < {F(b, "P0")}[/]");
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
