// Tabular: a classifier for one of the CSV data sets scikit-learn ships (breast cancer by default, wine or iris),
// read with CsvTable, standardised with a TabularEncoder fitted on the training rows only, saved with the model,
// loaded back as a service would, and reported per class.
//   dotnet run --project samples/Tabular -c Release [-- breast_cancer.csv|wine_data.csv|iris.csv [DATA-FOLDER]] [--epochs N]
// The data folder defaults to $NEURALNETS_SKLEARN_DATA, then to where Debian's python3-sklearn installs it.
using System.CommandLine;
using System.Globalization;
using NeuralNets;
using NeuralNets.Data;
using NeuralNets.Initialization;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Samples;
using NeuralNets.Serialization;
using NeuralNets.Training;

var fileArgument = new Argument<string>("file")
{
    Description = "One of scikit-learn's classification CSV files: breast_cancer.csv, wine_data.csv or iris.csv",
    DefaultValueFactory = _ => "breast_cancer.csv",
};
var folderArgument = new Argument<string>("data-folder")
{
    Description = "The folder holding it",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NEURALNETS_SKLEARN_DATA") is { Length: > 0 } fromEnvironment
        ? fromEnvironment : "/usr/lib/python3/dist-packages/sklearn/datasets/data",
};
var epochsOption = SampleCommandLine.PositiveInteger("--epochs", "Passes over the training rows", 40);
var command = new RootCommand("Trains a classifier on a CSV file of scikit-learn's, saves it with its encoder, loads both back and reports the test rows per class.")
{
    fileArgument, folderArgument, epochsOption,
};
command.SetAction(parsed => Train(parsed.GetRequiredValue(fileArgument), parsed.GetRequiredValue(folderArgument), parsed.GetRequiredValue(epochsOption)));
return SampleCommandLine.Run(command, args);

static int Train(string file, string folder, int epochs)
{
    string path = Path.Combine(folder, file);
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"{path} not found. Get scikit-learn's data without Python:");
        Console.Error.WriteLine("  apt-get download python3-sklearn && dpkg-deb -x python3-sklearn_*.deb /tmp/sklearn");
        Console.Error.WriteLine("  export NEURALNETS_SKLEARN_DATA=/tmp/sklearn/usr/lib/python3/dist-packages/sklearn/datasets/data");
        return 1;
    }

    // scikit-learn's files start with a line "samples,features,class names..." and have no header; the label is the last column.
    var table = CsvTable.Read(path, new CsvOptions { SkipRows = 1, HasHeader = false, Label = ^1 });
    string[] classNames = table.Preamble[0].Skip(2).ToArray();
    var (trainRows, testRows) = table.Split(testFraction: 0.25, seed: 1);
    var encoder = TabularEncoder.Fit(trainRows);            // means and deviations of the training rows only
    var train = encoder.ToDataset<float>(trainRows);
    var test = encoder.ToDataset<float>(testRows);
    SampleConsole.Line($"{file}: {table.RowCount} rows, {table.FeatureCount} features, classes {string.Join(", ", classNames)}; {train.Count} to train, {test.Count} to test");

    var network = Network.Sequential<float>(encoder.EncodedFeatureCount)
        .Dense(32, WeightInit.HeUniform).ReLU()
        .Dense(encoder.ClassCount!.Value)
        .Build(seed: 42);
    SampleConsole.Line(network.Summary());

    var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(network.Parameters, learningRate: 0.005));
    TrainingBars.Show(bars =>
    {
        var bar = bars.Add(file, printEpoch: report => report.Epoch % 10 == 0 || report.Epoch == 1);
        return trainer.Fit(train, new TrainingOptions { Epochs = epochs, BatchSize = 32, Seed = 1 }, validation: test, progress: bar, batchProgress: bar);
    });

    // The model and its encoder, saved side by side and loaded back as a service would.
    string modelPath = Path.Combine(Path.GetTempPath(), "tabular-model.json");
    string encoderPath = Path.Combine(Path.GetTempPath(), "tabular-model.encoder.json");
    ModelFile.Save(network, modelPath);
    encoder.Save(encoderPath);
    var served = ModelFile.Load<float>(modelPath);
    var servedEncoder = TabularEncoder.Load(encoderPath);

    // The encoder numbers the classes in its own order; the file's preamble names them by their label value.
    string[] names = classNames.Length == servedEncoder.ClassCount
        ? [.. servedEncoder.Classes!.Select(label => classNames[int.Parse(label, CultureInfo.InvariantCulture)])]
        : [.. servedEncoder.Classes!];
    var report = served.ReportClassification(servedEncoder.ToDataset<float>(testRows), classNames: names);
    SampleConsole.Line();
    ReportTables.Show(report, "test rows, per class (the model loaded back)");
    SampleConsole.Line(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {report.Accuracy:F4}"));
    return 0;
}
