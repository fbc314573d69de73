using System.Text;
using NeuralNets.Data;

namespace NeuralNets.Tests.Data;

/// <summary>
/// What reading a CSV file allocates, against the file's size: a wide file (one row of many short cells) must cost a
/// small multiple of its bytes, as a long file (many rows of a few cells) does; a hostile file cannot cost more.
/// </summary>
public class CsvTableMemoryTests : IDisposable
{
    // A long file of 100,000 rows of four cells costs about 15 times its bytes (8 bytes a number, the growing arrays,
    // the row's line); a wide one may cost as much, not a few hundred bytes a column.
    private const int Ratio = 20;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(200_000, 1, true)]
    [InlineData(200_000, 1, false)]
    [InlineData(4, 100_000, true)]
    public void Read_WideOrLongFile_AllocatesASmallMultipleOfItsSize(int columns, int rows, bool header)
    {
        // One-character cells: the cheapest text per column a file can have.
        string path = Write(columns, rows, header);
        var options = new CsvOptions { HasHeader = header };
        CsvTable.Read(path, options);  // warm-up: first-call allocations are not the file's
        long fileBytes = new FileInfo(path).Length;

        CsvTable? table = null;
        long allocated = ThreadAllocation.LeastOf(() => table = CsvTable.Read(path, options));

        table!.FeatureCount.Should().Be(columns);
        table.RowCount.Should().Be(rows);
        allocated.Should().BeLessThan(Ratio * fileBytes, $"{allocated} bytes were allocated for a file of {fileBytes} bytes ({(double)allocated / fileBytes:F1} times)");
    }

    [Fact]
    public void Read_WideFileTwoColumnsSelected_AllocatesLessThanTheFile()
    {
        // Unselected columns cost their header cell's name (one-character names are shared strings), and only while the header is resolved.
        string path = Write(200_000, 1, header: true);
        var options = new CsvOptions { Features = [0, 1] };
        CsvTable.Read(path, options);
        long fileBytes = new FileInfo(path).Length;

        long allocated = ThreadAllocation.LeastOf(() => CsvTable.Read(path, options));

        allocated.Should().BeLessThan(8 * fileBytes, $"{allocated} bytes were allocated for a file of {fileBytes} bytes");
    }

    [Theory]
    [InlineData(true, 12)]
    // Without a header each column gets a name made from its position ("column 123456", 48 bytes) for a cell of two bytes:
    // 22 times here, 28 in one CI run of the whole suite with DOTNET_EnableHWIntrinsic=0 (not reproduced alone); 53 before.
    [InlineData(false, 32)]
    public void FitAndEncodeFeatures_WideTable_AllocateASmallMultipleOfTheFile(bool header, int ratio)
    {
        // What the encoder learns is a mean and a scale a column: about 32 bytes, for a column of 6 bytes in this file.
        string path = Write(200_000, 2, header);
        var table = CsvTable.Read(path, new CsvOptions { HasHeader = header });
        TabularEncoder.Fit(table).EncodeFeatures<float>(table);  // warm-up
        long fileBytes = new FileInfo(path).Length;

        long allocated = ThreadAllocation.LeastOf(() => TabularEncoder.Fit(table).EncodeFeatures<float>(table));

        allocated.Should().BeLessThan(ratio * fileBytes, $"{allocated} bytes were allocated for a file of {fileBytes} bytes ({(double)allocated / fileBytes:F1} times)");
    }

    /// <summary>A file of one-character numbers, with a header of one-character names when <paramref name="header"/>.</summary>
    private string Write(int columns, int rows, bool header)
    {
        var text = new StringBuilder(2 * columns * (rows + 1));
        if (header) AppendRow(text, columns, 'a');
        for (int r = 0; r < rows; r++) AppendRow(text, columns, (char)('0' + r % 10));
        string path = _temp.File(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{columns}x{rows}.csv"));
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static void AppendRow(StringBuilder text, int columns, char cell)
    {
        for (int c = 0; c < columns; c++) text.Append(cell).Append(c + 1 < columns ? ',' : '\n');
    }
}
