using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using nietras.SeparatedValues;
using NeuralNets.Data;

namespace NeuralNets.Benchmarks;

/// <summary>
/// What CsvTable's checks cost over Sep itself: 20,000 rows of 30 numbers and a class label (breast_cancer.csv's
/// shape, 35 times its rows), parsed from memory. The baseline is Sep alone, parsing every cell to a double.
/// </summary>
[BenchmarkCategory("Csv")]
public class CsvTableBenchmarks
{
    private const int Rows = 20_000, Features = 30;
    private string _text = "";
    private CsvTable _table = null!;
    private TabularEncoder _encoder = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", Enumerable.Range(0, Features).Select(i => $"f{i}")) + ",label");
        for (int r = 0; r < Rows; r++)
        {
            for (int f = 0; f < Features; f++) text.Append((random.NextDouble() * 1000).ToString("G6", CultureInfo.InvariantCulture)).Append(',');
            text.Append(random.Next(2)).Append('\n');
        }
        _text = text.ToString();
        _table = CsvTable.Parse(_text, Options);
        _encoder = TabularEncoder.Fit(_table);
    }

    private static readonly CsvOptions Options = new() { Label = "label" };

    [Benchmark(Baseline = true)]
    public double SepAlone()
    {
        double sum = 0;
        using var reader = Sep.Reader(o => o with { CultureInfo = CultureInfo.InvariantCulture }).FromText(_text);
        foreach (var row in reader)
            for (int c = 0; c <= Features; c++) sum += row[c].Parse<double>();
        return sum;
    }

    [Benchmark]
    public double SepAloneUnescaping()
    {
        double sum = 0;
        using var reader = Sep.Reader(o => o with { CultureInfo = CultureInfo.InvariantCulture, Unescape = true, DisableColCountCheck = true }).FromText(_text);
        foreach (var row in reader)
            for (int c = 0; c <= Features; c++) sum += row[c].Parse<double>();
        return sum;
    }

    [Benchmark]
    public int CsvTableParse() => CsvTable.Parse(_text, Options).RowCount;

    [Benchmark]
    public int EncodeToDataset() => _encoder.ToDataset<float>(_table).Count;
}
