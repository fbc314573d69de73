// Tabular: a classifier for one of the CSV data sets scikit-learn ships (breast cancer by default, or wine),
// read with CsvTable, standardised with a TabularEncoder fitted on the training rows only, and saved with the model.
//   dotnet run --project samples/Tabular -c Release [-- breast_cancer.csv|wine_data.csv [DATA-FOLDER]]
// The data folder defaults to $NEURALNETS_SKLEARN_DATA, then to where Debian's python3-sklearn installs it.
using System.Globalization;
using NeuralNets.Data;
using NeuralNets.Initialization;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Serialization;
using NeuralNets.Training;
using NeuralNets;

string file = args.Length > 0 ? args[0] : "breast_cancer.csv";
string folder = args.Length > 1 ? args[1]
    : Environment.GetEnvironmentVariable("NEURALNETS_SKLEARN_DATA") is { Length: > 0 } fromEnvironment ? fromEnvironment
    : "/usr/lib/python3/dist-packages/sklearn/datasets/data";
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
Console.WriteLine($"{file}: {table.RowCount} rows, {table.FeatureCount} features, classes {string.Join(", ", classNames)}; {train.Count} to train, {test.Count} to test");

var network = Network.Sequential<float>(encoder.EncodedFeatureCount)
    .Dense(32, WeightInit.HeUniform).ReLU()
    .Dense(encoder.ClassCount!.Value)
    .Build(seed: 42);
Console.WriteLine(network.Summary());

var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(network.Parameters, learningRate: 0.005));
trainer.Fit(train, new TrainingOptions { Epochs = 40, BatchSize = 32, Seed = 1 }, validation: test,
    progress: new SynchronousProgress<EpochReport>(report => { if (report.Epoch % 10 == 0 || report.Epoch == 1) Console.WriteLine(report); }));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {trainer.Evaluate(test).Accuracy:F4}"));

// The model and its encoder, saved side by side and loaded back as a service would.
string modelPath = Path.Combine(Path.GetTempPath(), "tabular-model.json");
string encoderPath = Path.Combine(Path.GetTempPath(), "tabular-model.encoder.json");
ModelFile.Save(network, modelPath);
encoder.Save(encoderPath);
var served = ModelFile.Load<float>(modelPath);
var servedEncoder = TabularEncoder.Load(encoderPath);
int[] predicted = served.PredictClass(servedEncoder.EncodeFeatures<float>(testRows));
int[] actual = servedEncoder.EncodeClasses(testRows);

// Per-class precision and recall from the loaded model's predictions.
int classes = servedEncoder.ClassCount!.Value;
var confusion = new int[classes, classes];
for (int i = 0; i < actual.Length; i++) confusion[actual[i], predicted[i]]++;
Console.WriteLine();
Console.WriteLine($"{"class",-12} {"precision",9} {"recall",9} {"support",8}");
for (int k = 0; k < classes; k++)
{
    int truePositives = confusion[k, k], predictedK = 0, actualK = 0;
    for (int j = 0; j < classes; j++) { predictedK += confusion[j, k]; actualK += confusion[k, j]; }
    string name = classNames.Length == classes ? classNames[int.Parse(servedEncoder.Classes![k], CultureInfo.InvariantCulture)] : servedEncoder.Classes![k];
    double precision = predictedK == 0 ? 0 : (double)truePositives / predictedK, recall = actualK == 0 ? 0 : (double)truePositives / actualK;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-12} {precision,9:F3} {recall,9:F3} {actualK,8}"));
}
Console.WriteLine($"confusion (rows: actual, columns: predicted): {string.Join(" | ", Enumerable.Range(0, classes).Select(r => string.Join(" ", Enumerable.Range(0, classes).Select(c => confusion[r, c]))))}");
return 0;
