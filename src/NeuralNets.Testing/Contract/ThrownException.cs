using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using NeuralNets.Layers;

namespace NeuralNets.Testing.Contract;

/// <summary>
/// An exception a layer threw, told as a student needs it: its type, where in the student's own code it came from, and
/// its message. The place is the top frame outside NeuralNets, this kit and .NET, so an exception thrown by a span's
/// indexer or by <c>Tensor.Create</c> points at the student's line that called it.
/// </summary>
internal static class ThrownException
{
    private static readonly Assembly[] Ours = [typeof(ILayer<>).Assembly, typeof(LayerContract).Assembly];

    /// <summary>The exception the layer's code threw, unwrapped from a reflection or a single-task wrapper.</summary>
    public static Exception Unwrapped(Exception e) => e switch
    {
        TargetInvocationException { InnerException: { } inner } => Unwrapped(inner),
        AggregateException aggregate when aggregate.Flatten().InnerExceptions.Count == 1 => Unwrapped(aggregate.Flatten().InnerExceptions[0]),
        _ => e,
    };

    /// <summary><c>IndexOutOfRangeException in MyLayer.Backward (MyLayer.cs:31): Index was outside the bounds of the array.</c></summary>
    public static string Describe(Exception e)
    {
        e = Unwrapped(e);
        return $"{TypeAndPlace(e)}: {e.Message}";
    }

    /// <summary><c>IndexOutOfRangeException in MyLayer.Backward (MyLayer.cs:31)</c>, or the type alone where no frame is the student's.</summary>
    public static string TypeAndPlace(Exception e)
    {
        e = Unwrapped(e);
        string? place = Place(e);
        return place is null ? e.GetType().Name : $"{e.GetType().Name} in {place}";
    }

    /// <summary>Whether two exceptions are one throw met twice: the same type and message from the same place.</summary>
    public static bool SameThrow(Exception a, Exception b)
    {
        (a, b) = (Unwrapped(a), Unwrapped(b));
        return a.GetType() == b.GetType() && a.Message == b.Message && Place(a) == Place(b);
    }

    /// <summary>The student's method and, where the symbols give them, its file and line; null when no frame is outside ours and .NET's.</summary>
    /// <remarks>In optimised (Release) code the line may be an earlier one of the same method; a Debug build gives the very line.</remarks>
    public static string? Place(Exception e)
    {
        foreach (var frame in new StackTrace(e, fNeedFileInfo: true).GetFrames())
        {
            var method = frame.GetMethod();
            if (method?.DeclaringType is not { } type || !IsStudents(type.Assembly)) continue;
            string name = Readable(type, method.Name);
            string? file = frame.GetFileName();
            int line = frame.GetFileLineNumber();
            return file is null || line <= 0
                ? name
                : string.Create(CultureInfo.InvariantCulture, $"{name} ({Path.GetFileName(file)}:{line})");
        }
        return null;
    }

    private static bool IsStudents(Assembly assembly)
    {
        if (Ours.Contains(assembly)) return false;
        string name = assembly.GetName().Name ?? "";
        return !(name is "System" or "mscorlib" or "netstandard"
            || name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal));
    }

    // A lambda, local function or iterator lives in a generated type or method named <Method>…: name the method written.
    private static string Readable(Type type, string method)
    {
        while (type.DeclaringType is { } outer && type.IsDefined(typeof(CompilerGeneratedAttribute), false))
        {
            if (method == "MoveNext" && Enclosing(type.Name) is { Length: > 0 } iterator) method = iterator;
            type = outer;
        }
        if (Enclosing(method) is { Length: > 0 } written) method = written;
        int arity = type.Name.IndexOf('`', StringComparison.Ordinal);
        return $"{(arity < 0 ? type.Name : type.Name[..arity])}.{method}";
    }

    // "<Backward>b__3_0" → "Backward"; "" for a name that is not generated.
    private static string Enclosing(string name)
    {
        int close = name.IndexOf('>', StringComparison.Ordinal);
        return name.StartsWith('<') && close > 1 ? name[1..close] : "";
    }
}
