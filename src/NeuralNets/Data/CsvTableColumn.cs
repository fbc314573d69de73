namespace NeuralNets.Data;

/// <summary>
/// One selected column of a <see cref="CsvTable"/>: numbers, or categories stored as codes into the distinct
/// texts met (in order of first appearance), so that a column of repeated texts holds each text once.
/// A view of the table's <see cref="CsvColumnStore"/>, made when asked for: a column costs no object of its own.
/// </summary>
internal readonly struct CsvTableColumn(CsvColumnStore store, int column)
{
    /// <summary>The header name, or <c>column N</c> for a file without a header.</summary>
    public string Name => store.Name(column);

    /// <summary>Whether <paramref name="name"/> is the column's name (without making the name of a file without a header).</summary>
    public bool HasName(string name) => store.HasName(column, name);

    /// <summary>The column's position in the file, counted from 0.</summary>
    public int FileIndex => store.FileIndex(column);

    public bool IsCategory => store.IsCategory(column);

    /// <summary>The values of a numeric column, one per row.</summary>
    public ReadOnlySpan<double> Numbers => store.Numbers(column);

    /// <summary>The category code of each row, an index into <see cref="Categories"/>.</summary>
    public ReadOnlySpan<int> Codes => store.Codes(column);

    /// <summary>The distinct texts of a category column.</summary>
    public string[] Categories => store.Categories(column);
}
