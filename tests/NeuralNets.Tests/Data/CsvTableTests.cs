using NeuralNets.Data;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Data;

public class CsvTableTests
{
    private const string Flowers = "width,colour,height,species\n1.5,red,10,rose\n2.5,blue,20,iris\n3.0,red,30,rose\n";

    [Fact]
    public void Parse_HeaderAndLabel_ReadsNumbersCategoriesAndLines()
    {
        var table = CsvTable.Parse(Flowers, new CsvOptions { Label = "species", Categorical = ["colour"] }, "flowers.csv");

        table.RowCount.Should().Be(3);
        table.FeatureNames.Should().Equal("width", "colour", "height");
        table.LabelName.Should().Be("species");
        table.HeaderLine.Should().Be(1);
        table.LineOf(0).Should().Be(2);
        table.Number(1, 0).Should().Be(2.5);
        table.Category(2, 1).Should().Be("red");
        table.IsCategorical(1).Should().BeTrue();
        table.LabelText(1).Should().Be("iris");
    }

    [Fact]
    public void Number_IndexPastTheFeatures_ThrowsRatherThanReadingTheLabel()
    {
        // The label is stored after the features: an index one past them must not reach it.
        var table = CsvTable.Parse("x,y\n1,2\n", new CsvOptions { Label = "y", LabelKind = CsvLabelKind.Value });

        table.Invoking(t => t.Number(0, 1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*feature*");
    }

    [Fact]
    public void Parse_FeaturesByNameAndPosition_KeepsTheGivenOrder()
    {
        var table = CsvTable.Parse(Flowers, new CsvOptions { Features = ["height", 0], Label = ^1 });

        table.FeatureNames.Should().Equal("height", "width");
        table.Number(2, 0).Should().Be(30);
        table.Number(2, 1).Should().Be(3.0);
    }

    [Fact]
    public void Parse_QuotedCellsAndSemicolons_Unescapes()
    {
        var table = CsvTable.Parse("\"a;b\";x\n\"1.5\";\"say \"\"hi\"\"\"\n", new CsvOptions { Separator = ';', Categorical = ["x"] });

        table.FeatureNames.Should().Equal("a;b", "x");
        table.Number(0, 0).Should().Be(1.5);
        table.Category(0, 1).Should().Be("say \"hi\"");
    }

    [Fact]
    public void Parse_PreambleWithoutHeader_KeepsPreambleAndNamesColumnsByPosition()
    {
        var table = CsvTable.Parse("2,2,no,yes\n0.5,1,0\n1.5,2,1\n", new CsvOptions { SkipRows = 1, HasHeader = false, Label = ^1 });

        table.Preamble.Should().ContainSingle().Which.Should().Equal("2", "2", "no", "yes");
        table.FeatureNames.Should().Equal("column 0", "column 1");
        table.HeaderLine.Should().Be(0);
        table.LineOf(0).Should().Be(2);
        table.LabelText(1).Should().Be("1");
    }

    [Fact]
    public void Parse_RaggedRowShort_NamesLineAndMissingColumn()
    {
        var act = () => CsvTable.Parse("a,b,c\n1,2,3\n4,5\n", new CsvOptions(), "short.csv");

        act.Should().Throw<InvalidDataException>()
            .WithMessage("'short.csv', line 3: the row has 2 cells but the header (line 1) has 3; column 'c' (index 2) is missing.");
    }

    [Fact]
    public void Parse_RaggedRowLong_NamesLineAndExtraColumn()
    {
        var act = () => CsvTable.Parse("a,b\n1,2\n3,4,5\n", new CsvOptions(), "long.csv");

        act.Should().Throw<InvalidDataException>().WithMessage("'long.csv', line 3: *3 cells*has 2; column index 2 and after are extra.");
    }

    [Fact]
    public void Parse_BlankLineInTheMiddle_IsARaggedRowNotSkipped()
    {
        var act = () => CsvTable.Parse("a,b\n1,2\n\n3,4\n", new CsvOptions(), "blank.csv");

        act.Should().Throw<InvalidDataException>().WithMessage("'blank.csv', line 3: the row has 1 cells*");
    }

    [Theory]
    [InlineData("abc", "'abc' is not a number")]
    [InlineData("1,5", "the row has 3 cells*")]
    [InlineData("Infinity", "'Infinity' is not a finite number")]
    [InlineData("0x10", "'0x10' is not a number")]
    public void Parse_NonNumericCell_NamesFileLineAndColumn(string cell, string expected)
    {
        string text = cell.Contains(',') ? $"a,b\n1,2\n3,{cell}\n" : $"a,b\n1,2\n3,\"{cell}\"\n";

        var act = () => CsvTable.Parse(text, new CsvOptions(), "cells.csv");

        act.Should().Throw<InvalidDataException>().WithMessage(cell.Contains(',') ? $"'cells.csv', line 3: {expected}" : $"'cells.csv', line 3, column 'b' (index 1): {expected}*");
    }

    [Theory]
    [InlineData("1.5abc")]
    [InlineData("1e")]
    [InlineData("--1")]
    [InlineData("1_000")]
    [InlineData("1.2.3")]
    [InlineData("١٢")]
    [InlineData("NA5")]
    public void Parse_AlmostANumber_IsNotANumber(string cell)
    {
        var act = () => CsvTable.Parse($"a\n\"{cell}\"\n", new CsvOptions(), "almost.csv");

        act.Should().Throw<InvalidDataException>().WithMessage($"'almost.csv', line 2, column 'a' (index 0): '{cell}' is not a number*");
    }

    [Theory]
    [InlineData(" 2.5 ", 2.5)]
    [InlineData("-1e-3", -0.001)]
    [InlineData("+7", 7)]
    [InlineData(".5", 0.5)]
    [InlineData("1E+2", 100)]
    [InlineData("0.1", 0.1)]
    public void Parse_Numbers_ReadExactlyAsDoubleParse(string cell, double expected)
    {
        CsvTable.Parse($"a\n\"{cell}\"\n", new CsvOptions()).Number(0, 0).Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("NA")]
    [InlineData(" nan ")]
    [InlineData("?")]
    public void Parse_MissingValueUnderThrow_NamesFileLineAndColumn(string cell)
    {
        var act = () => CsvTable.Parse($"a,b\n1,2\n{cell},4\n", new CsvOptions(), "gaps.csv");

        act.Should().Throw<InvalidDataException>().WithMessage("'gaps.csv', line 3, column 'a' (index 0): the value is missing*SkipRow*");
    }

    [Fact]
    public void Parse_MissingValueUnderSkipRow_LeavesRowOutAndListsIt()
    {
        var table = CsvTable.Parse("a,b\n1,2\nNA,4\n5,6\n7,\n", new CsvOptions { MissingValues = MissingValuePolicy.SkipRow });

        table.RowCount.Should().Be(2);
        table.Number(1, 0).Should().Be(5);
        table.SkippedLines.Should().Equal(3, 5);
    }

    [Fact]
    public void Parse_MissingValueInUnselectedColumn_IsIgnored()
    {
        var table = CsvTable.Parse("a,b,notes\n1,2,\n3,4,x\n", new CsvOptions { Features = ["a", "b"] });

        table.RowCount.Should().Be(2);
    }

    [Fact]
    public void Parse_EveryRowMissing_SaysNoneIsLeft()
    {
        var act = () => CsvTable.Parse("a\nNA\n\n", new CsvOptions { MissingValues = MissingValuePolicy.SkipRow }, "empty.csv");

        act.Should().Throw<InvalidDataException>().WithMessage("'empty.csv': every one of its 2 data rows has a missing value*");
    }

    [Fact]
    public void Parse_HeaderOnly_SaysNoDataRows()
    {
        var act = () => CsvTable.Parse("a,b\n", new CsvOptions(), "header.csv");

        act.Should().Throw<InvalidDataException>().WithMessage("'header.csv' holds no data rows.");
    }

    [Fact]
    public void Parse_ColumnNotInHeader_NamesHeaderLineAndColumn()
    {
        var act = () => CsvTable.Parse("x,y\n1,2\n", new CsvOptions { Label = "species" }, "iris.csv");

        act.Should().Throw<InvalidDataException>().WithMessage("'iris.csv', line 1 (header): no column is named 'species'; the header has 'x', 'y'.");
    }

    [Fact]
    public void Parse_PositionOutsideRow_NamesThePosition()
    {
        var act = () => CsvTable.Parse("1,2\n", new CsvOptions { HasHeader = false, Label = 5 }, "narrow.csv");

        act.Should().Throw<InvalidDataException>().WithMessage("'narrow.csv', line 1: no column at index 5: rows have 2 columns.");
    }

    [Fact]
    public void Parse_DuplicateHeaderName_IsAmbiguous()
    {
        var act = () => CsvTable.Parse("a,a\n1,2\n", new CsvOptions { Features = ["a"] }, "twice.csv");

        act.Should().Throw<InvalidDataException>().WithMessage("'twice.csv', line 1 (header): more than one column is named 'a'.");
    }

    [Fact]
    public void Parse_LabelAlsoAFeature_IsAnOptionsError()
    {
        var act = () => CsvTable.Parse(Flowers, new CsvOptions { Features = ["width", "species"], Label = "species" });

        act.Should().Throw<ArgumentException>().WithMessage("*'species' (index 3) is selected both as the label and as a feature*");
    }

    [Fact]
    public void Parse_NameWithoutHeader_IsAnOptionsError()
    {
        var act = () => CsvTable.Parse("1,2\n", new CsvOptions { HasHeader = false, Label = "b" });

        act.Should().Throw<ArgumentException>().WithMessage("*'b' is selected by name*no header*");
    }

    [Fact]
    public void Read_GzipFile_InflatesAndChecksTheLimit()
    {
        using var dir = new TempDirectory();
        string path = dir.File("data.csv.gz");
        string text = "a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 1000));
        File.WriteAllBytes(path, IdxFiles.Gzip(System.Text.Encoding.UTF8.GetBytes(text)));

        CsvTable.Read(path, new CsvOptions()).RowCount.Should().Be(1000);
        var act = () => CsvTable.Read(path, new CsvOptions { MaxInflatedBytes = 1000 });
        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}' inflates to more than 1000 bytes*");
    }

    [Fact]
    public void Read_TruncatedGzip_IsInvalidData()
    {
        using var dir = new TempDirectory();
        string path = dir.File("cut.csv.gz");
        byte[] whole = IdxFiles.Gzip(System.Text.Encoding.UTF8.GetBytes("a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 1000))));
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);

        var act = () => CsvTable.Read(path, new CsvOptions());

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}'*");
    }

    [Fact]
    public void Read_ByteOrderMark_IsNotPartOfTheFirstName()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bom.csv");
        File.WriteAllText(path, "a,b\n1,2\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        CsvTable.Read(path, new CsvOptions { Features = ["a"] }).Number(0, 0).Should().Be(1);
    }

    [Fact]
    public void Split_SameSeed_SameRowsAndNoneLost()
    {
        string text = "x\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"{i}\n"));
        var table = CsvTable.Parse(text, new CsvOptions());

        var (train, test) = table.Split(0.25, seed: 7);
        var (train2, _) = table.Split(0.25, seed: 7);

        test.RowCount.Should().Be(5);
        var all = Enumerable.Range(0, train.RowCount).Select(r => train.Number(r, 0))
            .Concat(Enumerable.Range(0, test.RowCount).Select(r => test.Number(r, 0)));
        all.Order().Should().Equal(Enumerable.Range(0, 20).Select(i => (double)i));
        Enumerable.Range(0, train.RowCount).Select(r => train2.Number(r, 0))
            .Should().Equal(Enumerable.Range(0, train.RowCount).Select(r => train.Number(r, 0)));
        test.LineOf(0).Should().Be((int)test.Number(0, 0) + 2);
    }

    [Fact]
    public void Split_SameSeed_HoldsOutTheRowsDatasetSplitHoldsOut()
    {
        string text = "x\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i}\n"));
        var table = CsvTable.Parse(text, new CsvOptions());
        var data = Dataset<double>.FromArrays(Enumerable.Range(0, 30).Select(i => new double[] { i }).ToArray(), Enumerable.Range(0, 30).Select(_ => new double[] { 0 }).ToArray());

        var (_, test) = table.Split(0.2, seed: 11);
        var (_, validation) = data.Split(0.2, seed: 11);

        Enumerable.Range(0, test.RowCount).Select(r => test.Number(r, 0)).Should().Equal(validation.Features.Span().ToArray());
    }
}
