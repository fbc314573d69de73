using System.Reflection;
using System.Reflection.Emit;

namespace NeuralNets.Tests;

/// <summary>Reads a method's IL for the methods it calls: the scans that keep formatting out of marked methods and the current culture out of the library's text.</summary>
internal static class IlCalls
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!).ToDictionary(code => code.Value);

    /// <summary>Every method and constructor with a body that <paramref name="assembly"/> declares.</summary>
    public static IEnumerable<MethodBase> MethodsOf(Assembly assembly) => assembly.GetTypes()
        .SelectMany(type => type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        .Where(method => method.GetMethodBody() is not null);

    /// <summary>The methods and constructors <paramref name="method"/>'s IL calls (call, callvirt, newobj), in order.</summary>
    public static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[] il = method.GetMethodBody()!.GetILAsByteArray()!;
        var typeArguments = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            var code = OpCodesByValue[value];
            i += code.Size;
            if (code == OpCodes.Call || code == OpCodes.Callvirt || code == OpCodes.Newobj)
                yield return method.Module.ResolveMethod(BitConverter.ToInt32(il, i), typeArguments, methodArguments)!;
            i += OperandSize(code, il, i);
        }
    }

    /// <summary>A readable name for <paramref name="method"/>: its type's name and its own.</summary>
    public static string NameOf(MethodBase method) => $"{method.DeclaringType!.FullName}.{method.Name}";

    private static int OperandSize(OpCode code, byte[] il, int at) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
