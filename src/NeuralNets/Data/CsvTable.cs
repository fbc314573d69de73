using System.Globalization;
using System.Text;

namespace NeuralNets.Data;

/// <summary>
/// The selected columns of a CSV file, read and checked: numeric feature columns as numbers, categorical ones
/// as their texts, and the label column. Every row remembers its line in the file, so that a later step
/// (<see cref="TabularEncoder"/> meeting a category it was not fitted on) can say where the row came from.
/// </summary>
/// <remarks>
/// <para>The file is parsed by Sep (MIT-licensed, pure managed). Quoted cells (RFC 4180) are unescaped and may hold
/// line breaks; a file ending in <c>.gz</c> is inflated as a stream, up to <see cref="CsvOptions.MaxInflatedBytes"/>.</para>
/// <para>Nothing is silently dropped or read as zero: a quote that is never closed or a stray quote that would make a
/// cell run on over the rows below it, a row whose width differs from the header's, a cell of a
/// numeric column that is not a finite number, a missing cell (unless <see cref="MissingValuePolicy.SkipRow"/> was
/// chosen, which lists the rows it left out) and a selected column that the header lacks each raise an
/// <see cref="InvalidDataException"/> naming the file, the line and the column.</para>
/// </remarks>
public sealed class CsvTable
{
    private readonly CsvColumnStore _columns;  // the features, then the label when there is one
    private readonly bool _hasLabel;
    private readonly int[] _lines;
    private readonly int[] _skipped;
    private IReadOnlyList<string>? _featureNames;

    internal CsvTable(string source, int headerLine, CsvColumnStore columns, bool hasLabel, int[] lines, int[] skipped, string[][] preamble)
        : this(source, headerLine, columns, hasLabel, lines, skipped, Array.AsReadOnly(preamble.Select(r => (IReadOnlyList<string>)Array.AsReadOnly(r)).ToArray()))
    {
    }

    private CsvTable(string source, int headerLine, CsvColumnStore columns, bool hasLabel, int[] lines, int[] skipped, IReadOnlyList<IReadOnlyList<string>> preamble)
    {
        Source = source;
        HeaderLine = headerLine;
        _columns = columns;
        _hasLabel = hasLabel;
        _lines = lines;
        _skipped = skipped;
        Preamble = preamble;
    }

    /// <summary>Reads the CSV file at <paramref name="path"/> (UTF-8, with or without a byte-order mark; <c>.gz</c> files are inflated).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A row, cell or header does not fit the options; the message names the file, the line and the column.</exception>
    /// <exception cref="ArgumentException">The options contradict themselves (a column selected twice, a categorical column that is not a feature).</exception>
    public static CsvTable Read(string path, CsvOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new InflateLimit(path, options.MaxInflatedBytes) : File.OpenRead(path);
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        try
        {
            return CsvTableReader.Read(text, options, path);
        }
        catch (InvalidDataException) { throw; }
        catch (Exception e) when (e is IOException)
        {
            // A truncated or corrupt gzip stream.
            throw new InvalidDataException($"'{path}' could not be read to its end: {e.Message}", e);
        }
    }

    /// <summary>Reads CSV text held in memory; <paramref name="source"/> names it in messages (an upload's file name, say).</summary>
    /// <exception cref="InvalidDataException">A row, cell or header does not fit the options; the message names the source, the line and the column.</exception>
    public static CsvTable Parse(string text, CsvOptions options, string source = "text")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        options.Validate();
        return CsvTableReader.Read(new StringReader(text), options, source);
    }

    /// <summary>The file (or the name given to <see cref="Parse"/>) the table was read from.</summary>
    public string Source { get; }

    /// <summary>The line of the header in the file, counted from 1; 0 when the file has none.</summary>
    public int HeaderLine { get; }

    /// <summary>The rows before the header that <see cref="CsvOptions.SkipRows"/> set aside, cell by cell (scikit-learn's files hold the class names there).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Preamble { get; }

    /// <summary>Number of rows (samples).</summary>
    public int RowCount => _lines.Length;

    /// <summary>The feature columns' names (header names, or <c>column N</c> without a header), in feature order.</summary>
    // Made when first asked for: a file without a header has no names to keep, only positions.
    public IReadOnlyList<string> FeatureNames => _featureNames ??= Array.AsReadOnly(Enumerable.Range(0, FeatureCount).Select(_columns.Name).ToArray());

    /// <summary>Number of feature columns.</summary>
    public int FeatureCount => _hasLabel ? _columns.Count - 1 : _columns.Count;

    /// <summary>The label column's name, or null when no label was read.</summary>
    public string? LabelName => Label?.Name;

    /// <summary>What the label holds, or null when no label was read.</summary>
    public CsvLabelKind? LabelKind => Label is not { } label ? null : label.IsCategory ? CsvLabelKind.Category : CsvLabelKind.Value;

    /// <summary>The lines (counted from 1) of rows that <see cref="MissingValuePolicy.SkipRow"/> left out; empty otherwise.</summary>
    public IReadOnlyList<int> SkippedLines => _skipped;

    /// <summary>The line in the file (counted from 1) that row <paramref name="row"/> came from.</summary>
    public int LineOf(int row) => _lines[row];

    /// <summary>Whether feature <paramref name="feature"/> holds categories rather than numbers.</summary>
    public bool IsCategorical(int feature) => Feature(feature).IsCategory;

    /// <summary>The number in a numeric feature column.</summary>
    /// <exception cref="InvalidOperationException">The feature is categorical.</exception>
    public double Number(int row, int feature)
    {
        var column = Feature(feature);
        if (column.IsCategory) throw new InvalidOperationException($"Feature '{column.Name}' is categorical: read it with Category.");
        return column.Numbers[row];
    }

    /// <summary>The text in a categorical feature column.</summary>
    /// <exception cref="InvalidOperationException">The feature is numeric.</exception>
    public string Category(int row, int feature)
    {
        var column = Feature(feature);
        if (!column.IsCategory) throw new InvalidOperationException($"Feature '{column.Name}' is numeric: read it with Number.");
        return column.Categories[column.Codes[row]];
    }

    /// <summary>The label of row <paramref name="row"/> as text (a class name or number as the file writes it, trimmed).</summary>
    /// <exception cref="InvalidOperationException">No label column was read, or it holds numbers (<see cref="CsvLabelKind.Value"/>).</exception>
    public string LabelText(int row)
    {
        var label = Label ?? throw new InvalidOperationException($"{Source} was read without a label column.");
        if (!label.IsCategory) throw new InvalidOperationException($"The label '{label.Name}' holds numbers: read it with LabelValue.");
        return label.Categories[label.Codes[row]];
    }

    /// <summary>The label of row <paramref name="row"/> as a number (<see cref="CsvLabelKind.Value"/>).</summary>
    /// <exception cref="InvalidOperationException">No label column was read, or it holds classes.</exception>
    public double LabelValue(int row)
    {
        var label = Label ?? throw new InvalidOperationException($"{Source} was read without a label column.");
        if (label.IsCategory) throw new InvalidOperationException($"The label '{label.Name}' holds classes: read it with LabelText.");
        return label.Numbers[row];
    }

    /// <summary>The rows at <paramref name="rows"/>, copied, in that order.</summary>
    public CsvTable Subset(ReadOnlySpan<int> rows)
    {
        if (rows.Length == 0) throw new ArgumentException("A subset needs at least one row.", nameof(rows));
        foreach (int row in rows) ArgumentRange.ThrowIfNotIndex(row, RowCount, nameof(rows));
        var lines = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++) lines[i] = _lines[rows[i]];
        return new CsvTable(Source, HeaderLine, _columns.Subset(rows), _hasLabel, lines, _skipped, Preamble);
    }

    /// <summary>Shuffles the rows with <paramref name="seed"/> and splits off a test part (for a standardiser fitted on the training part only), as <see cref="Dataset{T}.Split"/> splits samples.</summary>
    /// <param name="testFraction">The share of rows for the test part, in (0, 1).</param>
    /// <param name="seed">The shuffle's seed: the same seed gives the same split.</param>
    public (CsvTable Train, CsvTable Test) Split(double testFraction, int seed)
    {
        var (order, testCount) = ShuffledSplit.Order(RowCount, testFraction, seed, "test", nameof(testFraction), "rows");
        return (Subset(order.AsSpan(testCount)), Subset(order.AsSpan(0, testCount)));
    }

    internal CsvTableColumn Feature(int feature)
    {
        ArgumentRange.ThrowIfNotIndex(feature, FeatureCount);
        return new CsvTableColumn(_columns, feature);
    }

    internal CsvTableColumn? Label => _hasLabel ? new CsvTableColumn(_columns, _columns.Count - 1) : null;

    /// <summary>Names the source in messages.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CsvTable('{Source}': {RowCount} rows, {FeatureCount} features{(LabelName is null ? "" : $", label '{LabelName}'")})");
}
