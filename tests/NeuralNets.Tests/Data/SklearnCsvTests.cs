using System.Globalization;
using NeuralNets.Data;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Tensors;
using NeuralNets.Training;

namespace NeuralNets.Tests.Data;

/// <summary>Real files: the CSV data sets scikit-learn ships, read as a user would (their first line is an option, not a special case).</summary>
public class SklearnCsvTests
{
    // scikit-learn's files start with "samples,features,class names..." and have no header; the label is the last column.
    private static readonly CsvOptions SklearnLayout = new() { SkipRows = 1, HasHeader = false, Label = ^1 };

    [Theory]
    [InlineData("iris.csv", 150, 4, new[] { "setosa", "versicolor", "virginica" })]
    [InlineData("wine_data.csv", 178, 13, new[] { "class_0", "class_1", "class_2" })]
    [InlineData("breast_cancer.csv", 569, 30, new[] { "malignant", "benign" })]
    public void Read_SklearnFile_MatchesItsFirstLine(string name, int rows, int features, string[] classNames)
    {
        var table = CsvTable.Read(SklearnData.File(name), SklearnLayout);

        var preamble = table.Preamble.Should().ContainSingle().Subject;
        int.Parse(preamble[0], CultureInfo.InvariantCulture).Should().Be(rows);
        int.Parse(preamble[1], CultureInfo.InvariantCulture).Should().Be(features);
        preamble.Skip(2).Should().Equal(classNames);
        table.RowCount.Should().Be(rows);
        table.FeatureCount.Should().Be(features);
        TabularEncoder.Fit(table).Classes.Should().Equal(Enumerable.Range(0, classNames.Length).Select(i => i.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Read_DigitsGzip_Has1797ImagesOf64PixelsAndTenClasses()
    {
        var table = CsvTable.Read(SklearnData.File("digits.csv.gz"), new CsvOptions { HasHeader = false, Label = ^1 });

        table.RowCount.Should().Be(1797);
        table.FeatureCount.Should().Be(64);
        TabularEncoder.Fit(table).ClassCount.Should().Be(10);
        Enumerable.Range(0, 64).Max(f => table.Number(0, f)).Should().Be(15, "pixels of the first digit run from 0 to 15");
    }

    [Fact]
    public void Fit_BreastCancer_ScoresAtLeast94PercentOnHeldOutRows()
    {
        var table = CsvTable.Read(SklearnData.File("breast_cancer.csv"), SklearnLayout);
        var (trainRows, testRows) = table.Split(0.25, seed: 1);
        var encoder = TabularEncoder.Fit(trainRows);
        var train = encoder.ToDataset<float>(trainRows);
        var test = encoder.ToDataset<float>(testRows);
        var network = Network.Sequential<float>(encoder.EncodedFeatureCount).Dense(16).ReLU().Dense(2).Build(seed: 3);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(network.Parameters, learningRate: 0.01));

        trainer.Fit(train, new TrainingOptions { Epochs = 30, BatchSize = 32, Seed = 2 }, cancellationToken: TestContext.Current.CancellationToken);

        trainer.Evaluate(test).Accuracy.Should().BeGreaterThanOrEqualTo(0.94);
    }

    [Fact]
    public void Read_IrisSampleFixture_PipelineRoundTripsThroughTheEncoderFile()
    {
        using var dir = new TempDirectory();
        var table = CsvTable.Read(SklearnData.IrisSample, SklearnLayout);
        var encoder = TabularEncoder.Fit(table);

        encoder.Save(dir.File("iris.encoder.json"));
        var data = TabularEncoder.Load(dir.File("iris.encoder.json")).ToDataset<double>(table);

        table.Preamble[0].Skip(2).Should().Equal("setosa", "versicolor", "virginica");
        data.Count.Should().Be(15);
        data.ClassCount.Should().Be(3);
        data.Targets.Span().ToArray().Should().Equal(0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2);
        // Standardised on these 15 rows: every column has mean 0.
        for (int f = 0; f < 4; f++)
            Enumerable.Range(0, 15).Select(r => data.Features.Span()[r * 4 + f]).Average().Should().BeApproximately(0, 1e-12);
    }
}
