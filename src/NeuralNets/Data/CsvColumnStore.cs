using System.Globalization;

namespace NeuralNets.Data;

/// <summary>
/// The cells of a <see cref="CsvTable"/>'s selected columns (the features, then the label): the numbers of every numeric
/// column in one array and the category codes of every categorical one in another, column after column.
/// </summary>
/// <remarks>
/// A file of one row of many short cells must cost a small multiple of its size, as a file of many rows does: an object,
/// a list and a builder per column cost a few hundred bytes for a cell of two characters (190 times the file). Here a
/// column costs a few array entries, and <see cref="CsvTableColumn"/> is a view made when asked for.
/// </remarks>
/// <param name="names">The columns' names, or null without a header: <c>column N</c> is made when asked for.</param>
/// <param name="fileIndex">Each column's position in the file.</param>
/// <param name="slot">A numeric column's place among the numeric ones, or <c>~</c> its place among the categorical ones.</param>
/// <param name="rows">The number of rows of every column.</param>
/// <param name="numbers">The numeric columns' cells, <c>[numeric columns × rows]</c>.</param>
/// <param name="codes">The categorical columns' codes, <c>[categorical columns × rows]</c>.</param>
/// <param name="categories">Each categorical column's distinct texts.</param>
internal sealed class CsvColumnStore(string[]? names, int[] fileIndex, int[] slot, int rows, double[] numbers, int[] codes, string[][] categories)
{
    private readonly string[]? _names = names;
    private readonly int[] _fileIndex = fileIndex;
    private readonly int[] _slot = slot;
    private readonly double[] _numbers = numbers;
    private readonly int[] _codes = codes;
    private readonly string[][] _categories = categories;

    /// <summary>The number of rows of every column.</summary>
    public int Rows { get; } = rows;

    /// <summary>The number of columns.</summary>
    public int Count => _fileIndex.Length;

    /// <summary>The header name, or <c>column N</c> for a file without a header.</summary>
    public string Name(int column) => _names is null ? PositionName(_fileIndex[column]) : _names[column];

    /// <summary>Whether <paramref name="name"/> is column <paramref name="column"/>'s name, without making a <c>column N</c> name to compare.</summary>
    public bool HasName(int column, string name)
    {
        if (_names is not null) return string.Equals(_names[column], name, StringComparison.Ordinal);
        Span<char> text = stackalloc char[PositionPrefix.Length + 11];
        PositionPrefix.CopyTo(text);
        _fileIndex[column].TryFormat(text[PositionPrefix.Length..], out int digits, provider: CultureInfo.InvariantCulture);
        return name.AsSpan().SequenceEqual(text[..(PositionPrefix.Length + digits)]);
    }

    /// <summary>The name of the column at <paramref name="fileIndex"/> in a file without a header.</summary>
    public static string PositionName(int fileIndex) => string.Create(CultureInfo.InvariantCulture, $"{PositionPrefix}{fileIndex}");

    private const string PositionPrefix = "column ";

    /// <summary>The column's position in the file, counted from 0.</summary>
    public int FileIndex(int column) => _fileIndex[column];

    public bool IsCategory(int column) => _slot[column] < 0;

    /// <summary>The values of a numeric column, one per row.</summary>
    public ReadOnlySpan<double> Numbers(int column) => _numbers.AsSpan(_slot[column] * Rows, Rows);

    /// <summary>The category code of each row of a categorical column, an index into <see cref="Categories"/>.</summary>
    public ReadOnlySpan<int> Codes(int column) => _codes.AsSpan(~_slot[column] * Rows, Rows);

    /// <summary>The distinct texts of a categorical column, in order of first appearance.</summary>
    public string[] Categories(int column) => _categories[~_slot[column]];

    /// <summary>The rows at <paramref name="rows"/>, in that order; names and categories are shared, not copied.</summary>
    public CsvColumnStore Subset(ReadOnlySpan<int> rows) =>
        new(_names, _fileIndex, _slot, rows.Length, Gather(_numbers, Rows, rows), Gather(_codes, Rows, rows), _categories);

    private static TValue[] Gather<TValue>(TValue[] columns, int rowCount, ReadOnlySpan<int> rows)
    {
        int count = columns.Length / Math.Max(rowCount, 1);
        var result = new TValue[count * rows.Length];
        for (int c = 0; c < count; c++)
        {
            var from = columns.AsSpan(c * rowCount, rowCount);
            var to = result.AsSpan(c * rows.Length, rows.Length);
            for (int i = 0; i < rows.Length; i++) to[i] = from[rows[i]];
        }
        return result;
    }
}
