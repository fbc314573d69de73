using NeuralNets.Data;

namespace NeuralNets.Tests.Data;

/// <summary>
/// A quote that is never closed, or one inside an unquoted cell, would make the rest of the file one cell and its rows
/// disappear: it is refused, naming the line and the column. Quoted cells that hold line breaks (RFC 4180) still read.
/// </summary>
public class CsvStrayQuoteTests
{
    private static readonly CsvOptions Labelled = new() { Label = "label" };

    [Theory]
    [InlineData("x,label\n1,a\n2,\"b\n3,c\n4,d\n", 3, "'label' (index 1)")]   // a quote opens the cell and never closes
    [InlineData("x,label\n1,a\n2,b\"\n3,c\n", 3, "'label' (index 1)")]        // a quote inside an unquoted cell
    [InlineData("x,label\n1,a\n\"2,b\n3,c\n4,d\n", 3, "'x' (index 0)")]       // in the first column
    [InlineData("x,label\n1,a\n2,\"b", 3, "'label' (index 1)")]               // unterminated on the last line
    [InlineData("x,label\n1,a\n2,b\"x\"\"\n3,c\n", 3, "'label' (index 1)")]   // an odd number of quotes inside an unquoted cell
    [InlineData("x,label\n1,a\n2,\"b\"x\"\n3,c\"\n", 3, "'label' (index 1)")] // text after a closing quote, then a quote that runs on
    public void Parse_StrayQuote_FailsNamingTheLineAndTheColumn(string text, int line, string column)
    {
        var act = () => CsvTable.Parse(text, Labelled, "quotes.csv");

        act.Should().Throw<InvalidDataException>().WithMessage($"'quotes.csv', line {line}, column {column}: *quote*");
    }

    [Fact]
    public void Parse_StrayQuoteInANumericColumn_Fails()
    {
        var act = () => CsvTable.Parse("x,y\n1,1.5\n2,\"2.5\n3,3.5\n", new CsvOptions { Label = "y", LabelKind = CsvLabelKind.Value }, "values.csv");

        act.Should().Throw<InvalidDataException>().WithMessage("'values.csv', line 3, column 'y' (index 1): *");
    }

    [Fact]
    public void Parse_StrayQuoteInTheHeader_FailsNamingTheColumnByIndex()
    {
        var act = () => CsvTable.Parse("x,\"label\n1,a\n", Labelled, "header.csv");

        act.Should().Throw<InvalidDataException>().WithMessage("'header.csv', line 1, column index 1: *quote*");
    }

    [Fact]
    public void Parse_QuotedCellsHoldingLineBreaks_ReadAsOneCellEach()
    {
        var table = CsvTable.Parse("x,label\n1,\"a\nb\"\n2,\"say \"\"hi\"\"\r\nthere\"\n3,c\n", Labelled);

        table.RowCount.Should().Be(3);
        table.LabelText(0).Should().Be("a\nb");
        table.LabelText(1).Should().Be("say \"hi\"\r\nthere");
        table.LabelText(2).Should().Be("c");
        table.LineOf(2).Should().Be(6);
    }

    [Fact]
    public void Parse_QuotesClosedOnTheirOwnLine_ReadAsBefore()
    {
        // Sep keeps quotes inside an unquoted cell as they are when they pair up; no row is lost, so they stay accepted.
        var table = CsvTable.Parse("x,label\n1,say \"hi\"\n2,\"b\"\n", Labelled);

        table.RowCount.Should().Be(2);
        table.LabelText(0).Should().Be("say \"hi\"");
        table.LabelText(1).Should().Be("b");
    }
}
