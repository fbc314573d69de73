namespace NeuralNets.Testing.Contract;

/// <summary>How one rule of the <see cref="LayerContract"/> came out.</summary>
public enum RuleStatus
{
    /// <summary>The layer keeps the rule.</summary>
    Passed,

    /// <summary>The layer breaks the rule; the detail shows the values. Fix these first: the blocked rules follow from them.</summary>
    Failed,

    /// <summary>The rule could not be checked for this layer; the detail says why.</summary>
    NotChecked,

    /// <summary>
    /// The rule's check did not hold, but it could not be judged because an earlier rule failed (named in
    /// <see cref="RuleResult.BlockedBy"/>): its check relies on what that rule checks, or it stopped at the same exception.
    /// It is judged again once that rule passes; the detail says what it saw.
    /// </summary>
    Blocked,
}
