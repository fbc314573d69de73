using System.Reflection;
using NeuralNets.Testing.Optimizers;

namespace NeuralNets.Testing.Tests.Optimizers;

/// <summary>
/// A teacher writes a reference rule of their own from the package, without this assembly's InternalsVisibleTo: everything a
/// rule deriving from <see cref="ReferenceRule"/> must call or override is public or protected (TeachersOwnRuleTests' rule
/// uses only those).
/// </summary>
public class ReferenceRuleSurfaceTests
{
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    [Fact]
    public void ReferenceRule_Constructors_CanBeCalledFromAnotherAssembly()
    {
        typeof(ReferenceRule).GetConstructors(Declared).Should().NotBeEmpty()
            .And.Contain(c => c.GetParameters().Length == 0 && OutsideCanReach(c));
    }

    [Fact]
    public void ReferenceRule_AbstractMembers_CanBeOverriddenFromAnotherAssembly()
    {
        var abstracts = typeof(ReferenceRule).GetMethods(Declared).Where(m => m.IsAbstract).ToArray();

        abstracts.Should().NotBeEmpty().And.OnlyContain(m => OutsideCanReach(m));
    }

    [Fact]
    public void ReferenceRule_TypesARuleUses_ArePublic()
    {
        new[] { typeof(ReferenceRule), typeof(IRuleRun), typeof(RuleStep) }.Should().OnlyContain(t => t.IsPublic);
    }

    // Public, protected or protected internal; not internal or private protected.
    private static bool OutsideCanReach(MethodBase member) => member.IsPublic || member.IsFamily || member.IsFamilyOrAssembly;
}
