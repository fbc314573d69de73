using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Tensors;

namespace NeuralNets.Data;

/// <summary>
/// Turns a <see cref="CsvTable"/> into network inputs and targets, the same way for training, test and new data:
/// numeric features standardised with the training data's mean and standard deviation, categorical features
/// one-hot encoded over the training data's categories, and class labels numbered in a fixed order. Fit it on
/// the training part only; save it next to the model (<see cref="Save"/>) and load it with the model for inference.
/// </summary>
/// <remarks>
/// <para>Categories and classes are sorted (ordinally; class labels that are all numbers, numerically), so the
/// encoding does not depend on the order of the training rows. Class <c>"0"</c>, <c>"1"</c>, <c>"2"</c> become 0, 1, 2.</para>
/// <para>Every table it encodes must have the feature columns it was fitted on, in the same order, with the same
/// kinds: otherwise an <see cref="InvalidDataException"/> names the table's file, its header line and the column.
/// A class label it was not fitted on always throws; an unknown category of a feature throws unless
/// <see cref="UnknownCategoryPolicy.AllZeros"/> was chosen.</para>
/// </remarks>
public sealed class TabularEncoder
{
    private readonly EncodedColumn[] _columns;
    private readonly string[]? _classes;
    private IReadOnlyList<string>? _featureNames;
    private IReadOnlyList<string>? _encodedFeatureNames;

    internal TabularEncoder(EncodedColumn[] columns, string? labelName, CsvLabelKind? labelKind, string[]? classes, UnknownCategoryPolicy unknownCategories)
    {
        _columns = columns;
        LabelName = labelName;
        LabelKind = labelKind;
        _classes = classes;
        UnknownCategories = unknownCategories;
        foreach (var column in columns) EncodedFeatureCount += column.Width;
    }

    /// <summary>
    /// Learns the encoding from <paramref name="training"/>: means and standard deviations of the numeric features
    /// (when <paramref name="standardize"/>), the categories of the categorical ones, the label's classes.
    /// </summary>
    /// <param name="training">The training rows only: statistics of test rows must not leak into training.</param>
    /// <param name="standardize">Whether numeric features are standardised (true by default) or passed as they are.</param>
    /// <param name="unknownCategories">What encoding later does with a feature category the training rows did not have.</param>
    /// <exception cref="InvalidDataException">The label has fewer than two classes.</exception>
    public static TabularEncoder Fit(CsvTable training, bool standardize = true, UnknownCategoryPolicy unknownCategories = UnknownCategoryPolicy.Throw)
    {
        ArgumentNullException.ThrowIfNull(training);
        if (!Enum.IsDefined(unknownCategories)) throw new ArgumentOutOfRangeException(nameof(unknownCategories), string.Create(CultureInfo.InvariantCulture, $"{(int)unknownCategories} is not an UnknownCategoryPolicy."));
        var columns = new EncodedColumn[training.FeatureCount];
        for (int f = 0; f < columns.Length; f++)
        {
            var column = training.Feature(f);
            if (column.IsCategory)
            {
                columns[f] = new EncodedColumn(column.Name, 0, 1, UsedCategories(column).Order(StringComparer.Ordinal).ToArray());
                continue;
            }
            var (mean, scale) = standardize ? Standardizer.MeanAndScale(column.Numbers) : (0.0, 1.0);
            columns[f] = new EncodedColumn(column.Name, mean, scale, null);
        }
        string[]? classes = null;
        if (training.Label is { IsCategory: true } label)
        {
            classes = SortClasses(UsedCategories(label));
            if (classes.Length < 2)
                throw new InvalidDataException($"'{training.Source}': the label '{label.Name}' has only the class '{classes[0]}' in the training rows; a classifier needs two or more.");
        }
        return new TabularEncoder(columns, training.LabelName, training.LabelKind, classes, unknownCategories);
    }

    // A subset keeps its parent's category list; only the categories its rows use count.
    private static IEnumerable<string> UsedCategories(CsvTableColumn column)
    {
        var categories = column.Categories;
        var used = new bool[categories.Length];
        foreach (int code in column.Codes) used[code] = true;
        return categories.Where((_, code) => used[code]);
    }

    private static string[] SortClasses(IEnumerable<string> classes)
    {
        var list = classes.ToArray();
        var numbers = new double[list.Length];
        bool allNumbers = true;
        for (int i = 0; i < list.Length && allNumbers; i++)
            allNumbers = double.TryParse(list[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) && double.IsFinite(numbers[i]);
        if (allNumbers) Array.Sort(numbers, list);
        else Array.Sort(list, StringComparer.Ordinal);
        return list;
    }

    // The name lists are made when first asked for: encoding needs neither, and a table of many columns would pay for both.

    /// <summary>The feature columns it was fitted on, in order.</summary>
    public IReadOnlyList<string> FeatureNames => _featureNames ??= Array.AsReadOnly(_columns.Select(c => c.Name).ToArray());

    /// <summary>The names of the encoded values: a numeric column's name, or <c>column=category</c> for each category.</summary>
    public IReadOnlyList<string> EncodedFeatureNames => _encodedFeatureNames ??=
        Array.AsReadOnly(_columns.SelectMany(c => c.Categories is null ? [c.Name] : c.Categories.Select(k => $"{c.Name}={k}")).ToArray());

    /// <summary>The number of values per encoded row: the network's input width.</summary>
    public int EncodedFeatureCount { get; }

    /// <summary>Whether feature <paramref name="feature"/> is categorical.</summary>
    public bool IsCategorical(int feature) => _columns[feature].IsCategory;

    /// <summary>The categories of a categorical feature, in encoding order (empty for a numeric one).</summary>
    public IReadOnlyList<string> Categories(int feature) => _columns[feature].Categories ?? [];

    /// <summary>The standardiser of the numeric features, in their order (means 0 and scales 1 if fitted without standardising); null when every feature is categorical.</summary>
    public Standardizer? Standardizer
    {
        get
        {
            var numeric = _columns.Where(c => !c.IsCategory).ToArray();
            return numeric.Length == 0 ? null : new Standardizer(numeric.Select(c => c.Mean).ToArray(), numeric.Select(c => c.Scale).ToArray());
        }
    }

    /// <summary>What it does with an unknown category of a feature.</summary>
    public UnknownCategoryPolicy UnknownCategories { get; }

    /// <summary>The label column it was fitted with, or null.</summary>
    public string? LabelName { get; }

    /// <summary>What the label holds, or null when fitted without one.</summary>
    public CsvLabelKind? LabelKind { get; }

    /// <summary>The class names in class-index order (class <c>k</c> is <c>Classes[k]</c>), or null without class labels.</summary>
    public IReadOnlyList<string>? Classes => _classes;

    /// <summary>The number of classes, or null without class labels.</summary>
    public int? ClassCount => _classes?.Length;

    /// <summary>The encoded features of every row, shape <c>[rows, EncodedFeatureCount]</c>.</summary>
    /// <exception cref="InvalidDataException">The table's columns differ from the fitted ones, or (under <see cref="UnknownCategoryPolicy.Throw"/>) a row has an unknown category.</exception>
    public Tensor<T> EncodeFeatures<T>(CsvTable table) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckColumns(table);
        int width = EncodedFeatureCount, rows = table.RowCount;
        var result = new T[checked(rows * width)];
        int offset = 0;
        for (int f = 0; f < _columns.Length; f++)
        {
            var fitted = _columns[f];
            var column = table.Feature(f);
            if (!fitted.IsCategory)
            {
                for (int r = 0; r < rows; r++) result[r * width + offset] = T.CreateChecked((column.Numbers[r] - fitted.Mean) / fitted.Scale);
            }
            else
            {
                int[] position = Positions(column.Categories, fitted.Categories!);
                for (int r = 0; r < rows; r++)
                {
                    int hot = position[column.Codes[r]];
                    if (hot >= 0) result[r * width + offset + hot] = T.One;
                    else if (UnknownCategories == UnknownCategoryPolicy.Throw)
                        throw new InvalidDataException(
                            string.Create(CultureInfo.InvariantCulture, $"'{table.Source}', line {table.LineOf(r)}, column '{column.Name}' (index {column.FileIndex}): the category '{column.Categories[column.Codes[r]]}' ") +
                            string.Create(CultureInfo.InvariantCulture, $"was not in the training data ({fitted.Categories!.Length} categories). Fit with UnknownCategoryPolicy.AllZeros to encode such rows as all zeros."));
                }
            }
            offset += fitted.Width;
        }
        return TensorMemory.Wrap(result, [rows, width]);
    }

    /// <summary>The class index of every row's label.</summary>
    /// <exception cref="InvalidOperationException">The encoder was not fitted with class labels.</exception>
    /// <exception cref="InvalidDataException">The table has no label column, or another one, or a row's label is not a fitted class (the message names the file, the line and the column).</exception>
    public int[] EncodeClasses(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var classes = _classes ?? throw new InvalidOperationException("The encoder was fitted without class labels.");
        var label = CheckLabel(table);
        int[] position = Positions(label.Categories, classes);
        var result = new int[table.RowCount];
        for (int r = 0; r < result.Length; r++)
        {
            result[r] = position[label.Codes[r]];
            if (result[r] < 0)
                throw new InvalidDataException(
                    string.Create(CultureInfo.InvariantCulture, $"'{table.Source}', line {table.LineOf(r)}, column '{label.Name}' (index {label.FileIndex}): the class '{label.Categories[label.Codes[r]]}' ") +
                    $"was not in the training data, whose classes are {string.Join(", ", classes.Select(c => $"'{c}'"))}.");
        }
        return result;
    }

    /// <summary>
    /// The table as a dataset: encoded features, and as targets the class indices (for <c>SoftmaxCrossEntropy</c>),
    /// one-hot rows <c>[N, classes]</c> when <paramref name="oneHotLabels"/>, or the label values <c>[N, 1]</c> for a regression label.
    /// </summary>
    /// <exception cref="InvalidDataException">As <see cref="EncodeFeatures{T}"/> and <see cref="EncodeClasses"/>.</exception>
    /// <exception cref="InvalidOperationException">The encoder was fitted without a label.</exception>
    public Dataset<T> ToDataset<T>(CsvTable table, bool oneHotLabels = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(table);
        if (LabelKind is null) throw new InvalidOperationException("The encoder was fitted without a label column: use EncodeFeatures for data without labels.");
        var features = EncodeFeatures<T>(table);
        if (LabelKind == CsvLabelKind.Value)
        {
            var label = CheckLabel(table);
            var values = new T[table.RowCount];
            for (int r = 0; r < values.Length; r++) values[r] = T.CreateChecked(label.Numbers[r]);
            return new Dataset<T>(features, TensorMemory.Wrap(values, [values.Length, 1]));
        }
        int[] classes = EncodeClasses(table);
        return oneHotLabels
            ? new Dataset<T>(features, OneHot.Encode<T>(classes, ClassCount!.Value))
            : Dataset<T>.FromOwnedFeatures(features.Span().ToArray(), [table.RowCount, EncodedFeatureCount], classes, ClassCount!.Value);
    }

    /// <summary>Writes the encoder to <paramref name="path"/> as JSON, replacing it only once the new file is complete (next to the model: <c>model.json</c> and <c>model.encoder.json</c>, say).</summary>
    public void Save(string path) => TabularEncoderFile.Save(this, path);

    /// <summary>Reads an encoder written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is too large, is not an encoder file, or a field is malformed; the message names the file and the field.</exception>
    public static TabularEncoder Load(string path) => TabularEncoderFile.Load(path);

    internal IReadOnlyList<EncodedColumn> Columns => _columns;

    /// <summary>Where each of the table's categories sits among the fitted ones (-1: unknown).</summary>
    private static int[] Positions(string[] tableCategories, string[] fitted)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < fitted.Length; i++) index[fitted[i]] = i;
        var positions = new int[tableCategories.Length];
        for (int i = 0; i < positions.Length; i++) positions[i] = index.GetValueOrDefault(tableCategories[i], -1);
        return positions;
    }

    private void CheckColumns(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        string where = table.HeaderLine > 0 ? string.Create(CultureInfo.InvariantCulture, $"'{table.Source}', line {table.HeaderLine} (header)") : $"'{table.Source}'";
        if (table.FeatureCount != _columns.Length)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where}: the table has {table.FeatureCount} feature columns but the encoder was fitted on {_columns.Length} ({ShowNames(FeatureNames)})."));
        for (int f = 0; f < _columns.Length; f++)
        {
            var column = table.Feature(f);
            if (!column.HasName(_columns[f].Name))
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where}: feature {f} is column '{column.Name}' (index {column.FileIndex}) but the encoder was fitted on '{_columns[f].Name}' there."));
            if (column.IsCategory != _columns[f].IsCategory)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where}: column '{column.Name}' (index {column.FileIndex}) is read as {Kind(column.IsCategory)} but the encoder was fitted on it as {Kind(_columns[f].IsCategory)}."));
        }
    }

    private CsvTableColumn CheckLabel(CsvTable table)
    {
        var label = table.Label ?? throw new InvalidDataException($"'{table.Source}' was read without a label column; the encoder was fitted with '{LabelName}'.");
        if (!label.HasName(LabelName!))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{table.Source}', line {table.HeaderLine} (header): the label is column '{label.Name}' (index {label.FileIndex}) but the encoder was fitted with '{LabelName}'."));
        if (table.LabelKind != LabelKind)
            throw new InvalidDataException($"'{table.Source}': the label '{label.Name}' was read as {table.LabelKind} but the encoder was fitted on {LabelKind}.");
        return label;
    }

    private static string Kind(bool isCategory) => isCategory ? "categories" : "numbers";

    private static string ShowNames(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(12).Select(n => $"'{n}'")) + (names.Count > 12 ? string.Create(CultureInfo.InvariantCulture, $" and {names.Count - 12} more") : "");
}
