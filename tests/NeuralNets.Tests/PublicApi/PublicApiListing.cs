using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace NeuralNets.Tests.PublicApi;

/// <summary>
/// Writes what an assembly offers its users, one line per type and member in a C#-like form, sorted, so that two
/// versions compare line by line: a line that goes is a breaking change, a line that comes is an addition.
/// </summary>
/// <remarks>Members a user can reach count: public ones, and protected ones of types that can be derived from.
/// Nullable annotations of reference types are written (a property that becomes nullable breaks callers' code), as are
/// parameter names and default values (callers name and omit them).</remarks>
public static class PublicApiListing
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>The listing of <paramref name="assembly"/>: type lines flush left, each followed by its members indented.</summary>
    public static string Of(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            text.Append(TypeLine(type)).Append('\n');
            foreach (string member in Members(type).Order(StringComparer.Ordinal))
                text.Append("  ").Append(member).Append('\n');
        }
        return text.ToString();
    }

    private static IEnumerable<string> Members(Type type)
    {
        var nullability = new NullabilityInfoContext();
        if (type.IsEnum)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
                yield return string.Create(CultureInfo.InvariantCulture, $"{field.Name} = {Convert.ToInt64(field.GetRawConstantValue(), CultureInfo.InvariantCulture)}");
            yield break;
        }
        if (typeof(Delegate).IsAssignableFrom(type)) yield break;
        foreach (var member in type.GetMembers(Declared))
        {
            if (!IsVisible(member, type)) continue;
            string? line = member switch
            {
                ConstructorInfo constructor => $"{Access(constructor)}ctor({Parameters(constructor, nullability)})",
                MethodInfo method when !method.IsSpecialName || method.Name.StartsWith("op_", StringComparison.Ordinal) =>
                    $"{Access(method)}{Modifiers(method)}{Name(method.ReturnParameter, nullability)} {method.Name}{GenericParameters(method.GetGenericArguments())}({Parameters(method, nullability)}){Constraints(method.GetGenericArguments())}",
                PropertyInfo property => Property(property, nullability),
                FieldInfo field => Field(field, nullability),
                EventInfo e => $"{Access(e.AddMethod!)}event {Name(e.EventHandlerType!)} {e.Name}",
                _ => null,
            };
            if (line is not null) yield return line;
        }
    }

    private static bool IsVisible(MemberInfo member, Type type)
    {
        if (member is Type || member.GetCustomAttribute<CompilerGeneratedAttribute>() is not null && member is not PropertyInfo) return false;
        bool derivable = !type.IsSealed && !type.IsValueType && !type.IsInterface;
        static bool Reachable(MethodBase? m, bool derivable) => m is not null && (m.IsPublic || derivable && (m.IsFamily || m.IsFamilyOrAssembly));
        return member switch
        {
            MethodBase method => Reachable(method, derivable),
            PropertyInfo property => Reachable(property.GetMethod, derivable) || Reachable(property.SetMethod, derivable),
            EventInfo e => Reachable(e.AddMethod, derivable),
            FieldInfo field => field.IsPublic || derivable && (field.IsFamily || field.IsFamilyOrAssembly),
            _ => false,
        };
    }

    private static string Access(MethodBase method) => method.IsPublic ? "" : "protected ";

    private static string Modifiers(MethodInfo method)
    {
        if (method.IsStatic) return method.IsAbstract ? "static abstract " : method.IsVirtual ? "static virtual " : "static ";
        if (method.DeclaringType!.IsInterface) return method.IsAbstract ? "" : "virtual ";
        if (method.IsAbstract) return "abstract ";
        bool overrides = method.GetBaseDefinition().DeclaringType != method.DeclaringType;
        if (overrides) return method.IsFinal ? "sealed override " : "override ";
        return method.IsVirtual && !method.IsFinal ? "virtual " : "";
    }

    private static string Property(PropertyInfo property, NullabilityInfoContext nullability)
    {
        var accessor = property.GetMethod ?? property.SetMethod!;
        var index = property.GetIndexParameters();
        string name = index.Length == 0 ? property.Name : $"this[{string.Join(", ", index.Select(p => Parameter(p, nullability)))}]";
        var accessors = new List<string>();
        if (property.GetMethod is { } get && (get.IsPublic || get.IsFamily || get.IsFamilyOrAssembly)) accessors.Add(get.IsPublic ? "get;" : "protected get;");
        if (property.SetMethod is { } set && (set.IsPublic || set.IsFamily || set.IsFamilyOrAssembly))
        {
            bool init = set.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
            accessors.Add((set.IsPublic ? "" : "protected ") + (init ? "init;" : "set;"));
        }
        string required = property.GetCustomAttributes().Any(a => a.GetType().Name == "RequiredMemberAttribute") ? "required " : "";
        return $"{Access(accessor)}{required}{Modifiers((MethodInfo)accessor)}{Name(nullability.Create(property), property.PropertyType)} {name} {{ {string.Join(" ", accessors)} }}";
    }

    private static string Field(FieldInfo field, NullabilityInfoContext nullability)
    {
        string access = field.IsPublic ? "" : "protected ";
        string type = Name(nullability.Create(field), field.FieldType);
        if (field.IsLiteral) return $"{access}const {type} {field.Name} = {Literal(field.GetRawConstantValue())}";
        return $"{access}{(field.IsStatic ? "static " : "")}{(field.IsInitOnly ? "readonly " : "")}{type} {field.Name}";
    }

    private static string Parameters(MethodBase method, NullabilityInfoContext nullability) =>
        string.Join(", ", method.GetParameters().Select(p => Parameter(p, nullability)));

    private static string Parameter(ParameterInfo parameter, NullabilityInfoContext nullability)
    {
        var type = parameter.ParameterType;
        string prefix = "";
        if (type.IsByRef)
        {
            prefix = parameter.IsOut ? "out " : parameter.IsIn ? "in " : "ref ";
            type = type.GetElementType()!;
        }
        if (parameter.GetCustomAttribute<ParamArrayAttribute>() is not null || parameter.GetCustomAttributes().Any(a => a.GetType().Name == "ParamCollectionAttribute")) prefix += "params ";
        var info = nullability.Create(parameter);
        string text = $"{prefix}{Name(info, type)} {parameter.Name}";
        return parameter.HasDefaultValue ? $"{text} = {Literal(parameter.RawDefaultValue, type)}" : text;
    }

    private static string Literal(object? value, Type? type = null)
    {
        var underlying = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return value switch
        {
            null => type is { IsValueType: true } && Nullable.GetUnderlyingType(type) is null ? "default" : "null",
            string s => $"\"{s}\"",
            bool b => b ? "true" : "false",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            _ when underlying is { IsEnum: true } => $"{underlying.Name}.{Enum.GetName(underlying, value) ?? Convert.ToString(value, CultureInfo.InvariantCulture)}",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }

    private static string Name(ParameterInfo returned, NullabilityInfoContext nullability) =>
        Name(nullability.Create(returned), returned.ParameterType);

    private static string Name(NullabilityInfo info, Type type)
    {
        if (type.IsByRef) return "ref " + Name(info, type.GetElementType()!);
        if (type.IsArray)
            return Name(info.ElementType!, type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]" + Mark(info);
        if (type.IsGenericType && !type.IsGenericTypeDefinition && Nullable.GetUnderlyingType(type) is null)
        {
            var arguments = type.GetGenericArguments();
            string inner = string.Join(", ", arguments.Select((a, i) => i < info.GenericTypeArguments.Length ? Name(info.GenericTypeArguments[i], a) : Name(a)));
            return $"{Plain(type)}<{inner}>{Mark(info)}";
        }
        return Name(type) + Mark(info);
    }

    private static string Mark(NullabilityInfo info) =>
        !info.Type.IsValueType && info.ReadState == NullabilityState.Nullable ? "?" : "";

    private static string Name(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Name(underlying) + "?";
        if (type.IsByRef) return "ref " + Name(type.GetElementType()!);
        if (type.IsArray) return Name(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        if (type.IsPointer) return Name(type.GetElementType()!) + "*";
        if (Keywords.TryGetValue(type, out string? keyword)) return keyword;
        if (type.IsGenericParameter) return type.Name;
        return type.IsGenericType ? $"{Plain(type)}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>" : Plain(type);
    }

    /// <summary>A type's name without its arity, led by its declaring types' names when nested.</summary>
    private static string Plain(Type type)
    {
        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0) name = name[..tick];
        return type.IsNested && !type.IsGenericParameter ? Plain(type.DeclaringType!) + "." + name : name;
    }

    private static string TypeLine(Type type)
    {
        string kind =
            typeof(Delegate).IsAssignableFrom(type) ? "delegate" :
            type.IsEnum ? "enum" :
            type.IsInterface ? "interface" :
            type.IsValueType ? (type.IsByRefLike ? "ref struct" : type.GetCustomAttribute<IsReadOnlyAttribute>() is not null ? "readonly struct" : "struct") :
            type.IsAbstract && type.IsSealed ? "static class" :
            type.IsAbstract ? "abstract class" :
            type.IsSealed ? "sealed class" : "class";
        string name = (type.Namespace is null ? "" : type.Namespace + ".") + Plain(type) + GenericParameters(type.GetGenericArguments());
        if (kind == "delegate")
        {
            var invoke = type.GetMethod("Invoke")!;
            var nullability = new NullabilityInfoContext();
            return $"delegate {Name(invoke.ReturnParameter, nullability)} {name}({Parameters(invoke, nullability)})";
        }
        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum)) bases.Add(Name(baseType));
        if (type.IsEnum && Enum.GetUnderlyingType(type) != typeof(int)) bases.Add(Name(Enum.GetUnderlyingType(type)));
        var inherited = type.BaseType?.GetInterfaces() ?? [];
        bases.AddRange(type.GetInterfaces().Where(i => !inherited.Contains(i) && (i.IsPublic || i.IsNestedPublic)).Select(Name).Order(StringComparer.Ordinal));
        return $"{kind} {name}{(bases.Count == 0 ? "" : " : " + string.Join(", ", bases))}{Constraints(type.GetGenericArguments())}";
    }

    private static string GenericParameters(Type[] arguments) =>
        arguments.Length == 0 ? "" : $"<{string.Join(", ", arguments.Select(Name))}>";

    private static string Constraints(Type[] arguments)
    {
        var text = new StringBuilder();
        foreach (var argument in arguments.Where(a => a.IsGenericParameter))
        {
            var parts = new List<string>();
            var attributes = argument.GenericParameterAttributes;
            bool unmanaged = argument.GetCustomAttributes().Any(a => a.GetType().Name == "IsUnmanagedAttribute");
            if (unmanaged) parts.Add("unmanaged");
            else if (attributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint)) parts.Add("struct");
            else if (attributes.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint)) parts.Add("class");
            parts.AddRange(argument.GetGenericParameterConstraints().Where(c => c != typeof(ValueType)).Select(Name).Order(StringComparer.Ordinal));
            if (attributes.HasFlag(GenericParameterAttributes.DefaultConstructorConstraint) && !attributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint)) parts.Add("new()");
            if (parts.Count > 0) text.Append(" where ").Append(argument.Name).Append(" : ").Append(string.Join(", ", parts));
        }
        return text.ToString();
    }

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void", [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte",
        [typeof(short)] = "short", [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint",
        [typeof(long)] = "long", [typeof(ulong)] = "ulong", [typeof(float)] = "float", [typeof(double)] = "double",
        [typeof(decimal)] = "decimal", [typeof(char)] = "char", [typeof(string)] = "string", [typeof(object)] = "object",
        [typeof(nint)] = "nint", [typeof(nuint)] = "nuint",
    };
}
