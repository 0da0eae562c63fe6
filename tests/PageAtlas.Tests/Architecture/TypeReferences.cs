using System.Reflection;
using System.Reflection.Emit;

namespace PageAtlas.Tests.Architecture;

/// <summary>
/// Every type a compiled type refers to: its base type and interfaces, its fields, properties, events,
/// method signatures and local variables, the attributes on them, and every type, method and field
/// token in its method bodies' IL (so a <c>using</c> whose types only appear inside code counts too).
/// Compiler-made nested types (lambdas' closures, iterators' and async methods' state machines)
/// belong to the type they are nested in. Generic arguments and array, pointer and by-ref element
/// types are followed.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>One-byte and two-byte (0xFE-prefixed) opcodes, for walking IL.</summary>
    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The types <paramref name="type"/> refers to.</summary>
    public static IEnumerable<Type> Of(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || !found.Add(t)) return;
            if (t.HasElementType) Add(t.GetElementType());
            if (t.IsGenericType && !t.IsGenericTypeDefinition) foreach (var argument in t.GetGenericArguments()) Add(argument);
            if (t.IsGenericType) Add(t.GetGenericTypeDefinition());
        }
        void Attributes(MemberInfo member)
        {
            foreach (var attribute in member.CustomAttributes) Add(attribute.AttributeType);
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        Attributes(type);
        foreach (var field in type.GetFields(Everything)) { Add(field.FieldType); Attributes(field); }
        foreach (var property in type.GetProperties(Everything)) { Add(property.PropertyType); Attributes(property); }
        foreach (var e in type.GetEvents(Everything)) Add(e.EventHandlerType);
        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            Attributes(method);
            if (method is MethodInfo m) Add(m.ReturnType);
            foreach (var parameter in method.GetParameters()) Add(parameter.ParameterType);
            var body = method.GetMethodBody();
            if (body is null) continue;
            foreach (var local in body.LocalVariables) Add(local.LocalType);
            foreach (var t in InBody(method, body.GetILAsByteArray() ?? [])) Add(t);
        }
        return found;
    }

    /// <summary>The types named by tokens in <paramref name="il"/>: types, and the declaring types and signatures of methods and fields.</summary>
    private static IEnumerable<Type> InBody(MethodBase method, byte[] il)
    {
        var module = method.Module;
        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int at = 0; at < il.Length;)
        {
            short value = il[at] == 0xFE ? unchecked((short)(0xFE00 | il[at + 1])) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var opCode = s_opCodes[value];
            int operand = OperandSize(opCode.OperandType, il, at);
            if (opCode.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                int token = BitConverter.ToInt32(il, at);
                MemberInfo? member;
                try
                {
                    member = module.ResolveMember(token, typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    // A token of a generic context reflection cannot rebuild: its open form names the same types.
                    member = module.ResolveMember(token);
                }
                switch (member)
                {
                    case Type t: yield return t; break;
                    case MethodBase m:
                        if (m.DeclaringType is { } declaring) yield return declaring;
                        if (m is MethodInfo mi) yield return mi.ReturnType;
                        foreach (var p in m.GetParameters()) yield return p.ParameterType;
                        if (m.IsGenericMethod) foreach (var a in m.GetGenericArguments()) yield return a;
                        break;
                    case FieldInfo f:
                        if (f.DeclaringType is { } owner) yield return owner;
                        yield return f.FieldType;
                        break;
                }
            }
            at += operand;
        }
    }

    /// <summary>Bytes of the operand that follows an opcode.</summary>
    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
