"""What every recorder here shares: the inputs' formula and the way a double is written into C#."""

import math


def wave(count, offset, scale):
    """scale * sin(0.7 * (i + offset) + 0.3), GoldenInputs.Wave in tests/NeuralNets.Tests/Golden/GoldenInputs.cs."""
    return [scale * math.sin(0.7 * (i + offset) + 0.3) for i in range(count)]


def literal(value):
    """A C# double literal that parses to exactly `value` (Python's repr round-trips); infinities and NaN have none here."""
    text = repr(float(value))
    if text in ("inf", "-inf", "nan"):
        raise ValueError(f"{text} has no C# literal here")
    return text if ("." in text or "e" in text) else text + ".0"


def array(values, indent):
    """A C# collection expression of `values`, four to a line at `indent`, its closing bracket one level out."""
    lines = [indent + ", ".join(literal(v) for v in values[start:start + 4]) + ","
             for start in range(0, len(values), 4)]
    return "[\n" + "\n".join(lines) + "\n" + indent[:-4] + "]"
