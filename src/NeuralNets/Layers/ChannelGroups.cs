using System.Globalization;

namespace NeuralNets.Layers;

/// <summary>
/// What Conv2D and ConvTranspose2D share about their channel groups (PyTorch's <c>groups</c>): the rule that the groups
/// divide both channel counts, their setting in a description, and their mark in the layer's text.
/// </summary>
internal static class ChannelGroups
{
    /// <summary>The description's setting: absent (as in every file written before it existed) for one group.</summary>
    public const string Setting = "groups";

    /// <summary>Throws unless <paramref name="groups"/> is positive and divides both channel counts (PyTorch's rule), naming <paramref name="layer"/>.</summary>
    public static void Check(string layer, int inChannels, int outChannels, int groups)
    {
        ArgumentRange.ThrowIfNegativeOrZero(groups);
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{layer}: groups {groups} must divide both the input channels {inChannels} and the output channels {outChannels}."), nameof(groups));
    }

    /// <summary>Writes <see cref="Setting"/> into <paramref name="settings"/> for more than one group; nothing otherwise.</summary>
    public static void Describe(Dictionary<string, double> settings, int groups)
    {
        if (groups != 1) settings[Setting] = groups;
    }

    /// <summary>What the layer's text adds: <c>", groups 8"</c> for more than one group, nothing otherwise.</summary>
    public static string Text(int groups) => groups == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $", groups {groups}");
}
