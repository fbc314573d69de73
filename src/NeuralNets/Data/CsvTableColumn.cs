namespace NeuralNets.Data;

/// <summary>
/// One selected column of a <see cref="CsvTable"/>: numbers, or categories stored as codes into the distinct
/// texts met (in order of first appearance), so that a column of repeated texts holds each text once.
/// </summary>
internal sealed class CsvTableColumn
{
    private CsvTableColumn(string name, int fileIndex, double[]? numbers, int[]? codes, string[]? categories)
    {
        Name = name;
        FileIndex = fileIndex;
        Numbers = numbers;
        Codes = codes;
        Categories = categories;
    }

    /// <summary>The header name, or <c>column N</c> for a file without a header.</summary>
    public string Name { get; }

    /// <summary>The column's position in the file, counted from 0.</summary>
    public int FileIndex { get; }

    public bool IsCategory => Codes is not null;

    /// <summary>The values of a numeric column, one per row.</summary>
    public double[]? Numbers { get; }

    /// <summary>The category code of each row, an index into <see cref="Categories"/>.</summary>
    public int[]? Codes { get; }

    /// <summary>The distinct texts of a category column.</summary>
    public string[]? Categories { get; }

    public static CsvTableColumn OfNumbers(string name, int fileIndex, double[] numbers) => new(name, fileIndex, numbers, null, null);

    public static CsvTableColumn OfCategories(string name, int fileIndex, int[] codes, string[] categories) => new(name, fileIndex, null, codes, categories);

    /// <summary>A column of the rows at <paramref name="rows"/>, in that order (categories kept as they are).</summary>
    public CsvTableColumn Subset(ReadOnlySpan<int> rows)
    {
        if (Numbers is not null)
        {
            var numbers = new double[rows.Length];
            for (int i = 0; i < rows.Length; i++) numbers[i] = Numbers[rows[i]];
            return OfNumbers(Name, FileIndex, numbers);
        }
        var codes = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++) codes[i] = Codes![rows[i]];
        return OfCategories(Name, FileIndex, codes, Categories!);
    }

    /// <summary>Collects one column while the file is read.</summary>
    public sealed class Builder(string name, int fileIndex, bool isCategory)
    {
        // Only what the column's kind needs: a header of many columns costs a few small objects per column, not a dictionary each.
        private readonly List<double>? _numbers = isCategory ? null : [];
        private readonly List<int>? _codes = isCategory ? [] : null;
        private readonly Dictionary<string, int>? _codeOf = isCategory ? new(StringComparer.Ordinal) : null;

        public string Name { get; } = name;
        public int FileIndex { get; } = fileIndex;
        public bool IsCategory { get; } = isCategory;

        private double _stagedNumber;
        private int _stagedCode;

        /// <summary>Holds a number for the row being read, until <see cref="Commit"/>.</summary>
        public void StageNumber(double value) => _stagedNumber = value;

        /// <summary>Holds a category for the row being read, until <see cref="Commit"/> (a text met only in a skipped row is kept but never used).</summary>
        public void StageCategory(ReadOnlySpan<char> text)
        {
            var lookup = _codeOf!.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(text, out _stagedCode))
            {
                _stagedCode = _codeOf!.Count;
                lookup[text] = _stagedCode;
            }
        }

        /// <summary>Adds the staged value: every cell of the row was good.</summary>
        public void Commit()
        {
            if (IsCategory) _codes!.Add(_stagedCode);
            else _numbers!.Add(_stagedNumber);
        }

        public CsvTableColumn Build()
        {
            if (!IsCategory) return OfNumbers(Name, FileIndex, _numbers!.ToArray());
            var categories = new string[_codeOf!.Count];
            foreach (var (text, code) in _codeOf) categories[code] = text;
            return OfCategories(Name, FileIndex, _codes!.ToArray(), categories);
        }
    }
}
