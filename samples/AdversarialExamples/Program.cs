// Adversarial examples, as in the lecture: small changes to an image, made by following the loss's gradient with respect
// to the *input*, make a trained network misclassify it; adversarial training (FGSM examples mixed into every batch) is
// the defence. Draws the pictures and plots into --out.
using System.CommandLine;
using System.Globalization;
using System.Numerics.Tensors;
using NeuralNets;
using NeuralNets.Data;
using NeuralNets.Diagnostics;
using NeuralNets.Initialization;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;
using Spectre.Console;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

var dataOption = new Option<string>("--data") { Description = "Fashion-MNIST directory (IDX files)", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };
var outOption = new Option<string>("--out") { Description = "Where the PNG pictures and plots go", DefaultValueFactory = _ => "adversarial-out" };
var epochsOption = new Option<int>("--epochs") { Description = "Training epochs of the MLP", DefaultValueFactory = _ => 3 };
var cnnEpochsOption = new Option<int>("--cnn-epochs") { Description = "Training epochs of the CNN", DefaultValueFactory = _ => 2 };
var testOption = new Option<int>("--test-size") { Description = "Test images attacked", DefaultValueFactory = _ => 1000 };
var defenceOption = new Option<double>("--defence-epsilon") { Description = "ε of adversarial training", DefaultValueFactory = _ => 0.1 };
foreach (var option in new[] { epochsOption, cnnEpochsOption, testOption })
    option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<int>() <= 0) result.AddError($"{option.Name} must be positive, but was {result.GetValueOrDefault<int>()}.");
    });
defenceOption.Validators.Add(result =>
{
    double value = result.GetValueOrDefault<double>();
    if (!(value > 0 && value < 1)) result.AddError($"--defence-epsilon must lie in (0, 1), but was {value}.");
});

var root = new RootCommand("FGSM and targeted attacks on an MLP and a CNN (Fashion-MNIST), as pictures and plots; adversarial training as the defence.")
{
    dataOption, outOption, epochsOption, cnnEpochsOption, testOption, defenceOption,
};
root.SetAction(parsed => Run(
    parsed.GetValue(dataOption)!, parsed.GetValue(outOption)!, parsed.GetValue(epochsOption), parsed.GetValue(cnnEpochsOption),
    parsed.GetValue(testOption), parsed.GetValue(defenceOption)));
return root.Parse(args).Invoke();

static int Run(string directory, string outDirectory, int epochs, int cnnEpochs, int testSize, double defenceEpsilon)
{
    Dataset<float> flatTrain, imageTrain, flatTest, imageTest;
    try
    {
        flatTrain = FashionMnist.Load<float>(directory, train: true, flatten: true);
        imageTrain = FashionMnist.Load<float>(directory, train: true);
        flatTest = FashionMnist.Load<float>(directory, train: false, flatten: true).Take(testSize);
        imageTest = FashionMnist.Load<float>(directory, train: false).Take(testSize);
    }
    catch (IOException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
    Directory.CreateDirectory(outDirectory);
    string Out(string name) => Path.Combine(outDirectory, name);
    var names = FashionMnist.ClassNames;
    var defence = new AdversarialTraining { Epsilon = defenceEpsilon, Fraction = 0.5 };

    var mlp = Train("MLP", Mlp, flatTrain, epochs, adversarial: null);
    var cnn = Train("CNN", Cnn, imageTrain, cnnEpochs, adversarial: null);

    // Untargeted: the fast gradient sign method at growing budgets ε (pixels are in [0, 1]).
    double[] epsilons = [0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2];
    var mlpCurve = Attacks.AccuracyUnderFgsm(mlp, flatTest, epsilons);
    var cnnCurve = Attacks.AccuracyUnderFgsm(cnn, imageTest, epsilons);
    Plots.AccuracyAgainstEpsilon($"FGSM on {testSize} Fashion-MNIST test images", epsilons, [("MLP", mlpCurve, false), ("CNN", cnnCurve, false)], Out("accuracy-vs-epsilon.png"));

    const double PanelEpsilon = 0.1;
    var fgsmLoss = new SoftmaxCrossEntropy<float>();
    foreach (var (name, network, test) in new[] { ("MLP", mlp, flatTest), ("CNN", cnn, imageTest) })
    {
        var examples = test.Subset(Attacks.CorrectlyClassified(network, test, count: 4));
        var attacked = Adversarial.FastGradientSign(network, fgsmLoss, examples.Features, examples.Targets, PanelEpsilon);
        AdversarialPanel.Draw(network, examples.Features, attacked, names,
                new AdversarialPanelOptions { Title = $"FGSM on the {name}, ε = {PanelEpsilon}" })
            .SavePng(Out($"fgsm-{name.ToLowerInvariant()}.png"));
    }

    // Targeted, as on the slide: make y₁ (the true class, a sneaker) low and y₂ (the wanted class, a bag) high.
    const int Sneaker = 7, Bag = 8, Steps = 40;
    const double TargetEpsilon = 0.08, StepSize = 0.005;
    var traces = new List<(string, double[], double[])>();
    var targetedRows = new List<(string Name, string Result)>();
    foreach (var (name, network, test) in new[] { ("MLP", mlp, flatTest), ("CNN", cnn, imageTest) })
    {
        var sneakers = test.Subset(Attacks.CorrectlyClassified(network, test, count: 3, label: Sneaker));
        var wanted = Tensor.Create(Enumerable.Repeat((float)Bag, sneakers.Count).ToArray(), [sneakers.Count]);
        var trace = new AttackTrace<float>();
        var forged = Adversarial.Targeted(network, fgsmLoss, sneakers.Features, wanted, TargetEpsilon, StepSize, Steps, trace);
        AdversarialPanel.Draw(network, sneakers.Features, forged, names,
                new AdversarialPanelOptions { Title = $"Targeted on the {name}: {names[Sneaker]} → {names[Bag]}, ε = {TargetEpsilon}" })
            .SavePng(Out($"targeted-{name.ToLowerInvariant()}.png"));
        traces.Add((name, trace.Series(0, Sneaker), trace.Series(0, Bag)));
        int hijacked = Enumerable.Range(0, sneakers.Count).Count(n => IndexOfMax(trace, Steps, n) == Bag);
        targetedRows.Add((name, $"{hijacked} of {sneakers.Count} read as {names[Bag]}"));
    }
    Plots.TargetedTrace($"Targeted attack ({Steps} steps of {StepSize}, ε = {TargetEpsilon}): the first sneaker's logits",
        traces, names[Sneaker], names[Bag], Out("targeted-trace.png"));

    // The defence: the same networks trained with half of every batch replaced by FGSM examples of the moment.
    var mlpDefended = Train($"MLP, adversarial training ε = {defenceEpsilon}", Mlp, flatTrain, epochs, defence);
    var cnnDefended = Train($"CNN, adversarial training ε = {defenceEpsilon}", Cnn, imageTrain, cnnEpochs, defence);
    var mlpDefendedCurve = Attacks.AccuracyUnderFgsm(mlpDefended, flatTest, epsilons);
    var cnnDefendedCurve = Attacks.AccuracyUnderFgsm(cnnDefended, imageTest, epsilons);
    Plots.AccuracyAgainstEpsilon($"FGSM before (solid) and after (dashed) adversarial training with ε = {defenceEpsilon}", epsilons,
        [("MLP", mlpCurve, false), ("MLP, adversarially trained", mlpDefendedCurve, true), ("CNN", cnnCurve, false), ("CNN, adversarially trained", cnnDefendedCurve, true)],
        Out("adversarial-training.png"));

    var table = new Table().Title($"Test accuracy under FGSM ({testSize} images)").AddColumns("ε", "MLP", "MLP, adv. trained", "CNN", "CNN, adv. trained");
    for (int e = 0; e < epsilons.Length; e++)
        table.AddRow($"{epsilons[e]:F2}", $"{mlpCurve[e]:F3}", $"{mlpDefendedCurve[e]:F3}", $"{cnnCurve[e]:F3}", $"{cnnDefendedCurve[e]:F3}");
    AnsiConsole.Write(table);
    var targeted = new Table().Title($"Targeted attack, {names[Sneaker]} → {names[Bag]}, {Steps} steps, ε = {TargetEpsilon}").AddColumns("network", "result");
    foreach (var (name, result) in targetedRows) targeted.AddRow(name, result);
    AnsiConsole.Write(targeted);
    AnsiConsole.MarkupLine($"Pictures and plots in [bold]{Markup.Escape(Path.GetFullPath(outDirectory))}[/]: " +
        "fgsm-mlp.png, fgsm-cnn.png, targeted-mlp.png, targeted-cnn.png, targeted-trace.png, accuracy-vs-epsilon.png, adversarial-training.png");
    return 0;
}

static Sequential<float> Mlp() => Network.Sequential<float>(784).Dense(256, WeightInit.HeUniform).ReLU().Dense(10).Build(seed: 1);

static Sequential<float> Cnn() => Network.Sequential<float>(1, 28, 28)
    .Conv2D(8, kernel: 5, padding: 2).ReLU().MaxPool2D(2)
    .Conv2D(16, kernel: 5).ReLU().MaxPool2D(2)
    .Flatten().Dense(10).Build(seed: 1);

static Sequential<float> Train(string title, Func<Sequential<float>> build, Dataset<float> train, int epochs, AdversarialTraining? adversarial)
{
    var network = build();
    var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(network.Parameters, learningRate: 1e-3));
    var options = new TrainingOptions { Epochs = epochs, BatchSize = 64, Seed = 1, Adversarial = adversarial };
    double lastLoss = double.NaN;
    AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
        .Start(context =>
        {
            var task = context.AddTask(Markup.Escape(title), maxValue: (double)epochs * ((train.Count + 63) / 64));
            trainer.Fit(train, options,
                progress: new SynchronousProgress<EpochReport>(report => lastLoss = report.TrainLoss),
                batchProgress: new SynchronousProgress<BatchReport>(_ => task.Increment(1)));
        });
    AnsiConsole.MarkupLine($"{Markup.Escape(title)}: training loss {lastLoss:F4} after {epochs} epochs");
    return network;
}

static int IndexOfMax(AttackTrace<float> trace, int iteration, int sample)
{
    int best = 0;
    for (int k = 1; k < trace.Outputs; k++)
        if (trace.Output(iteration, sample, k) > trace.Output(iteration, sample, best)) best = k;
    return best;
}
