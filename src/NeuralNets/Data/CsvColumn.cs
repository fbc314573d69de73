using System.Globalization;

namespace NeuralNets.Data;

/// <summary>
/// Names one column of a CSV file: by its header name, or by its position counted from 0
/// (<c>^1</c> is the last column). Strings, integers and <see cref="Index"/> convert to it implicitly,
/// so options can say <c>Label = "species"</c>, <c>Label = 4</c> or <c>Label = ^1</c>.
/// </summary>
public readonly record struct CsvColumn
{
    private CsvColumn(string? name, Index position) => (Name, Position) = (name, position);

    /// <summary>The header name, when the column is named; otherwise null.</summary>
    public string? Name { get; }

    /// <summary>The position, when the column is given by position (<see cref="Name"/> is null).</summary>
    public Index Position { get; }

    /// <summary>The column whose header cell is <paramref name="name"/> (compared exactly, after trimming spaces).</summary>
    public static CsvColumn Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new CsvColumn(name.Trim(), default);
    }

    /// <summary>The column at <paramref name="position"/>, counted from 0 (or from the end with <c>^</c>).</summary>
    public static CsvColumn At(Index position) => new(null, position);

    /// <summary>The column named <paramref name="name"/>.</summary>
    public static implicit operator CsvColumn(string name) => Named(name);

    /// <summary>The column at <paramref name="position"/>, counted from 0.</summary>
    public static implicit operator CsvColumn(int position)
    {
        ArgumentRange.ThrowIfNegative(position);
        return At(position);
    }

    /// <summary>The column at <paramref name="position"/> (<c>^1</c> is the last).</summary>
    public static implicit operator CsvColumn(Index position) => At(position);

    /// <summary>
    /// The index of this column among <paramref name="width"/> columns named <paramref name="header"/> (null for a file
    /// without a header, where only positions select): -1 when there is none, -2 when two columns have its name.
    /// </summary>
    internal int Resolve(string[]? header, int width)
    {
        if (Name is not null)
        {
            if (header is null) return -1;
            int found = -1;
            for (int i = 0; i < header.Length; i++)
            {
                if (!string.Equals(header[i], Name, StringComparison.Ordinal)) continue;
                if (found >= 0) return -2;
                found = i;
            }
            return found;
        }
        int index = Position.IsFromEnd ? width - Position.Value : Position.Value;
        return index >= 0 && index < width ? index : -1;
    }

    /// <summary>"'name'" or "at index 3" / "at index ^1".</summary>
    public override string ToString() => Name is not null
        ? $"'{Name}'"
        : "at index " + (Position.IsFromEnd ? "^" : "") + Position.Value.ToString(CultureInfo.InvariantCulture);
}
