using System.Globalization;
using System.Numerics;
using NeuralNets.Layers;

namespace NeuralNets.Serialization;

/// <summary>
/// Refuses a layer description that holds a setting its kind does not know. A kind reads only the settings it asks for,
/// so an unknown one would be dropped without a word: one flipped bit turns BatchNorm's <c>momentum</c> into
/// <c>momentuM</c>, and the layer loads with no momentum; a changed <c>seed</c> key loads a dropout layer with seed 0.
/// </summary>
/// <remarks>
/// A setting is known when the kind read it or asked whether it is there (<see cref="LayerSettings.Has"/>), or when the
/// layer it built describes it again: a kind of one's own may read <see cref="LayerSettings.Description"/> itself, and
/// <see cref="ModelFile.Save{T}"/> already holds every kind to rebuilding each setting its layer describes. So whatever Save
/// wrote loads, built-in kinds and registered ones alike, and the layer is described again only when a setting was not read.
/// </remarks>
internal static class UnknownSettings
{
    private const int MaxShown = 8;

    /// <summary>Throws <see cref="InvalidDataException"/> naming the layer, the unknown settings and the known ones, when there are unknown ones.</summary>
    /// <param name="settings">The reader the kind built <paramref name="layer"/> through.</param>
    /// <param name="layer">The layer built.</param>
    public static void Check<T>(LayerSettings settings, ILayer<T> layer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var read = settings.Consulted;
        // Most layers hold only settings their kind read: counted first, without the lists a file of many layers would pay for each.
        if (!AnyUnread(settings.Description, read)) return;
        var unknown = Entries(settings.Description).Where(setting => !read.Contains(setting)).ToList();
        var described = Entries(layer.Describe()).ToHashSet();
        unknown.RemoveAll(described.Contains);
        if (unknown.Count == 0) return;
        var known = read.Concat(described).Select(setting => setting.Key).Distinct(StringComparer.Ordinal).ToArray();
        string which = string.Join(", ", unknown.Take(MaxShown).Select(u => $"'{u.Key}' (in {u.Group})"))
            + (unknown.Count > MaxShown ? string.Create(CultureInfo.InvariantCulture, $" and {unknown.Count - MaxShown} more") : "");
        string knownText = known.Length == 0
            ? $"A {settings.Kind} layer has no settings."
            : $"A {settings.Kind} layer has {string.Join(", ", known.Select(k => $"'{k}'"))}.";
        bool one = unknown.Count == 1;
        throw settings.Error(
            $"{(one ? "the setting" : "the settings")} {which} {(one ? "is" : "are")} not one its kind reads, so loading would drop " +
            $"{(one ? "it" : "them")}: the file is damaged, or was written for another version of the layer. {knownText}");
    }

    private static bool AnyUnread(LayerDescription description, IReadOnlyList<(string Group, string Key)> read) =>
        AnyUnread(description.Settings, nameof(LayerDescription.Settings), read)
        || AnyUnread(description.TextSettings, nameof(LayerDescription.TextSettings), read)
        || AnyUnread(description.ListSettings, nameof(LayerDescription.ListSettings), read);

    private static bool AnyUnread<TValue>(IReadOnlyDictionary<string, TValue> group, string name, IReadOnlyList<(string Group, string Key)> read)
    {
        if (group.Count == 0) return false;
        foreach (string key in group.Keys)
            if (!read.Contains((name, key))) return true;
        return false;
    }

    /// <summary>Every setting of <paramref name="description"/>, with the field that holds it.</summary>
    private static IEnumerable<(string Group, string Key)> Entries(LayerDescription description) =>
        description.Settings.Keys.Select(key => (nameof(LayerDescription.Settings), key))
            .Concat(description.TextSettings.Keys.Select(key => (nameof(LayerDescription.TextSettings), key)))
            .Concat(description.ListSettings.Keys.Select(key => (nameof(LayerDescription.ListSettings), key)));
}
