using NeuralNets.Data;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Data;

public class TabularEncoderTests
{
    private static readonly CsvOptions Options = new() { Label = "species", Categorical = ["colour"] };

    private const string Training = "width,colour,species\n1,red,rose\n3,blue,iris\n5,red,tulip\n7,green,rose\n";

    [Fact]
    public void Fit_StandardisesNumbersOneHotsCategoriesAndNumbersClasses()
    {
        var encoder = TabularEncoder.Fit(CsvTable.Parse(Training, Options, "train.csv"));

        // width: mean 4, population variance (9 + 1 + 1 + 9) / 4 = 5. Categories and classes sorted ordinally.
        encoder.EncodedFeatureNames.Should().Equal("width", "colour=blue", "colour=green", "colour=red");
        encoder.Classes.Should().Equal("iris", "rose", "tulip");
        var table = CsvTable.Parse("width,colour,species\n6,green,tulip\n", Options, "new.csv");
        encoder.EncodeFeatures<double>(table).Span().ToArray().Should().Equal(2 / Math.Sqrt(5), 0, 1, 0);
        encoder.EncodeClasses(table).Should().Equal(2);
    }

    [Fact]
    public void Fit_NumericClassNames_SortNumerically()
    {
        var table = CsvTable.Parse("x,y\n1,10\n2,9\n3,2\n", new CsvOptions { Label = "y" });

        TabularEncoder.Fit(table).Classes.Should().Equal("2", "9", "10");
    }

    [Fact]
    public void Fit_RowOrder_DoesNotChangeTheEncoding()
    {
        var reversed = "width,colour,species\n7,green,rose\n5,red,tulip\n3,blue,iris\n1,red,rose\n";

        var a = TabularEncoder.Fit(CsvTable.Parse(Training, Options));
        var b = TabularEncoder.Fit(CsvTable.Parse(reversed, Options));

        b.EncodedFeatureNames.Should().Equal(a.EncodedFeatureNames);
        b.Classes.Should().Equal(a.Classes);
    }

    [Fact]
    public void Fit_OnTrainingSplitOnly_DoesNotSeeTestCategories()
    {
        var all = CsvTable.Parse(Training, Options);
        var train = all.Subset([0, 1, 2]);

        var encoder = TabularEncoder.Fit(train);

        encoder.Categories(1).Should().Equal("blue", "red");
        var act = () => encoder.EncodeFeatures<float>(all.Subset([3]));
        act.Should().Throw<InvalidDataException>().WithMessage("'text', line 5, column 'colour' (index 1): the category 'green' was not in the training data*");
    }

    [Fact]
    public void Fit_CategoryOnlyInASkippedRow_IsNotACategory()
    {
        var table = CsvTable.Parse("x,c,y\n1,red,a\n,blue,b\n2,red,b\n", new CsvOptions { Label = "y", Categorical = ["c"], MissingValues = MissingValuePolicy.SkipRow });

        var encoder = TabularEncoder.Fit(table);

        table.SkippedLines.Should().Equal(3);
        encoder.Categories(1).Should().Equal("red");
    }

    [Fact]
    public void EncodeFeatures_UnknownCategoryUnderAllZeros_EncodesZeros()
    {
        var encoder = TabularEncoder.Fit(CsvTable.Parse(Training, Options), unknownCategories: UnknownCategoryPolicy.AllZeros);

        var row = encoder.EncodeFeatures<float>(CsvTable.Parse("width,colour,species\n4,purple,rose\n", Options));

        row.Span().ToArray().Should().Equal(0, 0, 0, 0);
    }

    [Fact]
    public void EncodeClasses_UnknownClass_NamesFileLineAndColumn()
    {
        var encoder = TabularEncoder.Fit(CsvTable.Parse(Training, Options));

        var act = () => encoder.EncodeClasses(CsvTable.Parse("width,colour,species\n4,red,rose\n4,red,lily\n", Options, "new.csv"));

        act.Should().Throw<InvalidDataException>().WithMessage("'new.csv', line 3, column 'species' (index 2): the class 'lily' was not in the training data, whose classes are 'iris', 'rose', 'tulip'.");
    }

    [Fact]
    public void EncodeFeatures_HeaderThatDoesNotMatch_NamesHeaderAndColumn()
    {
        var encoder = TabularEncoder.Fit(CsvTable.Parse(Training, Options));
        var renamed = CsvTable.Parse("height,colour\n1,red\n", new CsvOptions { Categorical = ["colour"] }, "renamed.csv");

        var act = () => encoder.EncodeFeatures<float>(renamed);

        act.Should().Throw<InvalidDataException>().WithMessage("'renamed.csv', line 1 (header): feature 0 is column 'height' (index 0) but the encoder was fitted on 'width' there.");
    }

    [Fact]
    public void EncodeFeatures_CategoricalReadAsNumber_SaysBothKinds()
    {
        var encoder = TabularEncoder.Fit(CsvTable.Parse("a,b\n1,2\n3,4\n", new CsvOptions { Categorical = ["b"] }));

        var act = () => encoder.EncodeFeatures<float>(CsvTable.Parse("a,b\n1,2\n", new CsvOptions(), "n.csv"));

        act.Should().Throw<InvalidDataException>().WithMessage("'n.csv', line 1 (header): column 'b' (index 1) is read as numbers but the encoder was fitted on it as categories.");
    }

    [Fact]
    public void ToDataset_ClassIndicesOrOneHot_MatchTheClasses()
    {
        var table = CsvTable.Parse(Training, Options);
        var encoder = TabularEncoder.Fit(table);

        var indices = encoder.ToDataset<float>(table);
        var oneHot = encoder.ToDataset<float>(table, oneHotLabels: true);

        indices.ClassCount.Should().Be(3);
        indices.Targets.Span().ToArray().Should().Equal(1, 0, 2, 1);
        oneHot.Targets.Shape().Should().Equal(4, 3);
        oneHot.Targets.Span().ToArray()[..3].Should().Equal(0, 1, 0);
        indices.SampleShape.Should().Equal(4);
    }

    [Fact]
    public void ToDataset_RegressionLabel_TargetsAreTheValues()
    {
        var table = CsvTable.Parse("x,y\n1,0.5\n2,1.5\n", new CsvOptions { Label = "y", LabelKind = CsvLabelKind.Value });

        var data = TabularEncoder.Fit(table, standardize: false).ToDataset<double>(table);

        data.Features.Span().ToArray().Should().Equal(1, 2);
        data.Targets.Shape().Should().Equal(2, 1);
        data.Targets.Span().ToArray().Should().Equal(0.5, 1.5);
    }

    [Fact]
    public void Fit_OneClass_IsInvalidData()
    {
        var act = () => TabularEncoder.Fit(CsvTable.Parse("x,y\n1,a\n2,a\n", new CsvOptions { Label = "y" }, "one.csv"));

        act.Should().Throw<InvalidDataException>().WithMessage("'one.csv': the label 'y' has only the class 'a'*");
    }

    [Fact]
    public void SaveLoad_RoundTrip_EncodesBitForBitTheSame()
    {
        using var dir = new TempDirectory();
        var table = CsvTable.Parse("width,colour,species\n1.1,red,rose\n3.3,blue,iris\n5.7,red,tulip\n", Options);
        var encoder = TabularEncoder.Fit(table);

        encoder.Save(dir.File("model.encoder.json"));
        var loaded = TabularEncoder.Load(dir.File("model.encoder.json"));

        loaded.EncodedFeatureNames.Should().Equal(encoder.EncodedFeatureNames);
        loaded.Classes.Should().Equal(encoder.Classes);
        loaded.Standardizer!.Means.Should().Equal(encoder.Standardizer!.Means);
        loaded.Standardizer.Scales.Should().Equal(encoder.Standardizer.Scales);
        loaded.EncodeFeatures<double>(table).Span().ToArray().Should().Equal(encoder.EncodeFeatures<double>(table).Span().ToArray());
        Directory.GetFiles(dir.Path).Should().ContainSingle("the temporary file was moved into place");
    }

    [Theory]
    [InlineData("[]", "is not a NeuralNets encoder file*")]
    [InlineData("{\"Format\":\"NeuralNets.TabularEncoder/1\",\"UnknownCategories\":\"Throw\",\"Features\":[],\"Label\":null}", "*'Features' must be a non-empty array, was an array of 0.")]
    [InlineData("{\"Format\":\"NeuralNets.TabularEncoder/1\",\"UnknownCategories\":\"Maybe\",\"Features\":[],\"Label\":null}", "*'UnknownCategories' must be \"Throw\" or \"AllZeros\", was \"Maybe\".")]
    [InlineData("{\"Format\":\"NeuralNets.TabularEncoder/1\",\"UnknownCategories\":\"Throw\",\"Features\":[{\"Name\":\"a\",\"Kind\":\"Number\",\"Mean\":0,\"Scale\":0}],\"Label\":null}", "*Features[0]: 'Scale' must be a finite positive number, was 0.")]
    [InlineData("{\"Format\":\"NeuralNets.TabularEncoder/1\",\"UnknownCategories\":\"Throw\",\"Features\":[{\"Name\":\"a\",\"Kind\":\"Category\",\"Categories\":[\"x\",\"x\"]}],\"Label\":null}", "*Features[0]: Categories[1] repeats 'x'.")]
    [InlineData("{\"Format\":\"NeuralNets.TabularEncoder/1\",\"UnknownCategories\":\"Throw\",\"Features\":[{\"Name\":\"a\",\"Kind\":\"Number\",\"Mean\":0,\"Scale\":1}],\"Label\":{\"Name\":\"y\",\"Kind\":\"Category\",\"Classes\":[\"only\"]}}", "*Label: 'Classes' must be an array of at least 2 strings, was an array of 1.")]
    [InlineData("{\"Format\":\"NeuralNets.TabularEncoder/1\",\"UnknownCategories\":\"Throw\",\"Features\":[{\"Name\":\"a\",\"Kind\":\"Number\",\"Mean\":0}],\"Label\":null}", "*Features[0]: the field 'Scale' is missing.")]
    [InlineData("{\"Format\":", "is not a NeuralNets encoder file*")]
    public void Load_MalformedFile_NamesFileAndField(string json, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.encoder.json");
        File.WriteAllText(path, json);

        var act = () => TabularEncoder.Load(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}'{(expected.StartsWith('*') ? "" : " ")}{expected}");
    }

    [Fact]
    public void Load_HugeFile_RefusedBeforeReading()
    {
        using var dir = new TempDirectory();
        string path = dir.File("huge.encoder.json");
        using (var stream = File.Create(path)) stream.SetLength(65L << 20);

        var act = () => TabularEncoder.Load(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}' is {65L << 20} bytes; an encoder file is at most*");
    }
}
