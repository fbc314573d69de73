namespace NeuralNets.Testing.Contract;

/// <summary>How one rule of the <see cref="LayerContract"/> came out.</summary>
public enum RuleStatus
{
    /// <summary>The layer keeps the rule.</summary>
    Passed,

    /// <summary>The layer breaks the rule; the detail shows the values.</summary>
    Failed,

    /// <summary>The rule could not be checked for this layer; the detail says why.</summary>
    NotChecked,
}
