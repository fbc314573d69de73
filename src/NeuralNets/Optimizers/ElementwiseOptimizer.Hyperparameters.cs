using System.Globalization;
using System.Numerics;
using System.Text;

namespace NeuralNets.Optimizers;

public abstract partial class ElementwiseOptimizer<T>
{
    private readonly List<Hyperparameter> _hyperparameters = [];

    private sealed record Hyperparameter(string Name, Func<double> Get, Action<double> Set, bool IsFlag, Func<string>? Text);

    /// <summary>
    /// Declares a numeric hyperparameter (call it in the constructor), so that snapshots carry it and
    /// <see cref="ToString"/> shows it. Its property's setter must validate, as every hyperparameter may change between steps.
    /// </summary>
    /// <param name="name">Its constructor argument name, e.g. <c>"beta1"</c>.</param>
    /// <param name="get">Reads it.</param>
    /// <param name="set">Sets it, throwing <see cref="ArgumentOutOfRangeException"/> for a value out of range.</param>
    /// <param name="text">How <see cref="ToString"/> shows it (default: the number).</param>
    protected void DeclareHyperparameter(string name, Func<double> get, Action<double> set, Func<string>? text = null) =>
        AddHyperparameter(new Hyperparameter(name, get, set, IsFlag: false, text));

    /// <summary>Declares an on/off hyperparameter (snapshots hold it as 0 or 1; <see cref="ToString"/> shows it only when on).</summary>
    /// <param name="name">Its constructor argument name, e.g. <c>"amsgrad"</c>.</param>
    /// <param name="get">Reads it.</param>
    /// <param name="set">Sets it.</param>
    protected void DeclareFlag(string name, Func<bool> get, Action<bool> set) =>
        AddHyperparameter(new Hyperparameter(name, () => get() ? 1 : 0, value => set(value != 0), IsFlag: true, null));

    private void AddHyperparameter(Hyperparameter hyperparameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hyperparameter.Name, "name");
        if (_hyperparameters.Exists(h => h.Name == hyperparameter.Name))
            throw new ArgumentException($"The hyperparameter '{hyperparameter.Name}' is declared twice.", "name");
        _hyperparameters.Add(hyperparameter);
    }

    /// <summary>The optimizer as its constructor call reads, e.g. <c>Adam(learningRate=0.001, beta1=0.9, …)</c>; flags appear only when on.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Kind).Append('(');
        bool first = true;
        foreach (var h in _hyperparameters)
        {
            double value = h.Get();
            if (h.IsFlag && value == 0) continue;
            if (!first) text.Append(", ");
            first = false;
            text.Append(h.Name).Append('=').Append(h.IsFlag ? "True" : h.Text?.Invoke() ?? value.ToString(CultureInfo.InvariantCulture));
        }
        return text.Append(')').ToString();
    }

    /// <summary>Sets every hyperparameter from <paramref name="values"/>, all or none: on a refusal the old values come back.</summary>
    private void SetHyperparameters(IReadOnlyDictionary<string, double> values)
    {
        foreach (string name in values.Keys)
            if (!_hyperparameters.Exists(h => h.Name == name))
                throw new ArgumentException($"The snapshot has the hyperparameter '{name}', which {Kind} does not have; it has [{HyperparameterNames}].", "snapshot");
        foreach (var h in _hyperparameters)
        {
            if (!values.TryGetValue(h.Name, out double value))
                throw new ArgumentException($"The snapshot lacks the hyperparameter '{h.Name}' of {Kind}.", "snapshot");
            if (h.IsFlag && value is not (0 or 1))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The snapshot's flag '{h.Name}' is {value}; a flag is 0 or 1."), "snapshot");
        }

        var old = new double[_hyperparameters.Count];
        for (int i = 0; i < old.Length; i++) old[i] = _hyperparameters[i].Get();
        try
        {
            foreach (var h in _hyperparameters) h.Set(values[h.Name]);
        }
        catch
        {
            for (int i = 0; i < old.Length; i++) _hyperparameters[i].Set(old[i]);
            throw;
        }
    }

    private string HyperparameterNames => string.Join(", ", _hyperparameters.Select(h => h.Name));
}
