namespace NeuralNets.Data;

/// <summary>
/// Collects the selected columns' cells while a CSV file is read, row after row, into a <see cref="CsvColumnStore"/>.
/// A row's cells are staged in place at the end of the arrays and kept only by <see cref="Commit"/>, so that a row
/// skipped for a missing cell leaves nothing behind.
/// </summary>
internal sealed class CsvColumnsBuilder
{
    private readonly string[]? _names;
    private readonly int[] _fileIndex;
    private readonly int[] _slot;
    private readonly int _numericCount;
    private readonly Dictionary<string, int>[] _codeOf;  // one per categorical column: the options list those, not the file
    private double[] _numbers = [];                       // [rows × numeric columns] while reading
    private int[] _codes = [];
    private int _rows;

    /// <param name="names">The selected columns' names, or null for a file without a header.</param>
    /// <param name="fileIndex">Each selected column's position in the file.</param>
    /// <param name="isCategory">Whether each selected column holds categories.</param>
    public CsvColumnsBuilder(string[]? names, int[] fileIndex, bool[] isCategory)
    {
        _names = names;
        _fileIndex = fileIndex;
        _slot = new int[fileIndex.Length];
        int categorical = 0;
        for (int c = 0; c < _slot.Length; c++) _slot[c] = isCategory[c] ? ~categorical++ : _numericCount++;
        _codeOf = new Dictionary<string, int>[categorical];
        for (int k = 0; k < categorical; k++) _codeOf[k] = new(StringComparer.Ordinal);
    }

    public int Count => _fileIndex.Length;

    public string Name(int column) => _names is null ? CsvColumnStore.PositionName(_fileIndex[column]) : _names[column];

    public int FileIndex(int column) => _fileIndex[column];

    public bool IsCategory(int column) => _slot[column] < 0;

    /// <summary>Makes room for the next row's cells; false when the table would outgrow the largest array.</summary>
    public bool BeginRow() => Reserve(ref _numbers, _numericCount) && Reserve(ref _codes, _codeOf.Length);

    /// <summary>Holds a number for the row being read, until <see cref="Commit"/>.</summary>
    public void StageNumber(int column, double value) => _numbers[_rows * _numericCount + _slot[column]] = value;

    /// <summary>Holds a category for the row being read, until <see cref="Commit"/> (a text met only in a skipped row is kept but never used).</summary>
    public void StageCategory(int column, ReadOnlySpan<char> text)
    {
        int k = ~_slot[column];
        var codeOf = _codeOf[k];
        var lookup = codeOf.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(text, out int code))
        {
            code = codeOf.Count;
            lookup[text] = code;
        }
        _codes[_rows * _codeOf.Length + k] = code;
    }

    /// <summary>Keeps the staged row: every cell of it was good.</summary>
    public void Commit() => _rows++;

    public CsvColumnStore Build()
    {
        var categories = new string[_codeOf.Length][];
        for (int k = 0; k < categories.Length; k++)
        {
            categories[k] = new string[_codeOf[k].Count];
            foreach (var (text, code) in _codeOf[k]) categories[k][code] = text;
        }
        return new CsvColumnStore(_names, _fileIndex, _slot, _rows, ColumnAfterColumn(_numbers, _rows, _numericCount),
            ColumnAfterColumn(_codes, _rows, _codeOf.Length), categories);
    }

    /// <summary>Grows <paramref name="cells"/> (doubling, as a list does) to hold one more row of <paramref name="width"/> cells.</summary>
    private bool Reserve<TValue>(ref TValue[] cells, int width)
    {
        long needed = (long)(_rows + 1) * width;
        if (needed <= cells.Length) return true;
        if (needed > Array.MaxLength) return false;
        var grown = new TValue[Math.Min(Math.Max(needed, 2L * cells.Length), Array.MaxLength)];
        cells.AsSpan(0, _rows * width).CopyTo(grown);
        cells = grown;
        return true;
    }

    /// <summary>The rows' cells regrouped column after column, in an array of their exact size.</summary>
    private static TValue[] ColumnAfterColumn<TValue>(TValue[] rowAfterRow, int rows, int width)
    {
        int count = rows * width;
        // One row, or one column, is already in column order: the array is kept when it has the exact size.
        if ((rows == 1 || width == 1) && rowAfterRow.Length == count) return rowAfterRow;
        var result = new TValue[count];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < width; c++)
                result[c * rows + r] = rowAfterRow[r * width + c];
        return result;
    }
}
