using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TeachOS.Analyzers
{
    /// <summary>Something a method body does that allocates on the heap, and where.</summary>
    public sealed class AllocationSite
    {
        public AllocationSite(string what, Location location) { What = what; Location = location; }

        /// <summary>"creates a 'Thread' object": a phrase that follows "it".</summary>
        public string What { get; }
        public Location Location { get; }
    }

    /// <summary>A call from a method body: the method called and where.</summary>
    public sealed class CallSite
    {
        public CallSite(IMethodSymbol callee, Location location) { Callee = callee; Location = location; }
        public IMethodSymbol Callee { get; }
        public Location Location { get; }
    }

    /// <summary>
    /// What one method's body allocates and calls: the facts TOS0004 needs about every method in the
    /// compilation to follow calls transitively.
    /// </summary>
    public sealed class MethodFacts
    {
        public List<AllocationSite> Allocations { get; } = new List<AllocationSite>();
        public List<CallSite> Calls { get; } = new List<CallSite>();

        /// <summary>
        /// Walks the operation tree of a method body. Operations are the compiler's bound view of the
        /// code: `a + b` on strings is already known to be a string concatenation, `object o = 5` already
        /// has its boxing conversion, a params argument already has its array creation, none of which
        /// the syntax shows.
        /// </summary>
        public static MethodFacts Collect(IEnumerable<IOperation> blocks)
        {
            var facts = new MethodFacts();
            foreach (IOperation block in blocks) facts.Visit(block);
            return facts;
        }

        private void Visit(IOperation operation)
        {
            // An attribute on the method ([InterruptContext] itself) is in the operation blocks too, as
            // an object creation; it is metadata, not code that runs.
            if (operation == null || operation is IAttributeOperation) return;
            Record(operation);
            // A lambda's body runs when the delegate is called, not here; creating it was recorded.
            if (operation is IAnonymousFunctionOperation) return;
            foreach (IOperation child in operation.ChildOperations) Visit(child);
        }

        private void Record(IOperation operation)
        {
            string allocation = DescribeAllocation(operation);
            if (allocation != null) Allocations.Add(new AllocationSite(allocation, operation.Syntax.GetLocation()));

            IMethodSymbol callee = CalleeOf(operation);
            if (callee != null) Calls.Add(new CallSite(callee, operation.Syntax.GetLocation()));
        }

        /// <summary>What <paramref name="operation"/> allocates, as a phrase, or null.</summary>
        public static string DescribeAllocation(IOperation operation)
        {
            switch (operation)
            {
                case IObjectCreationOperation creation when creation.Type != null && creation.Type.IsReferenceType:
                    return "creates a '" + creation.Type.ToDisplayString() + "' object with new";
                case IAnonymousObjectCreationOperation _:
                    return "creates an anonymous object";
                case IArrayCreationOperation array:
                    return array.IsImplicit
                        ? "creates an array for a params argument"
                        : "creates an array '" + array.Type?.ToDisplayString() + "'";
                case IConversionOperation conversion when IsBoxing(conversion):
                    return "boxes a '" + conversion.Operand.Type.ToDisplayString() + "' into an object";
                case IBinaryOperation binary when binary.OperatorKind == BinaryOperatorKind.Add
                        && binary.Type?.SpecialType == SpecialType.System_String && !binary.ConstantValue.HasValue:
                    return "concatenates strings with +, which builds a new string";
                case ICompoundAssignmentOperation compound when compound.OperatorKind == BinaryOperatorKind.Add
                        && compound.Type?.SpecialType == SpecialType.System_String:
                    return "appends to a string with +=, which builds a new string";
                case IInterpolatedStringOperation interpolated when !interpolated.ConstantValue.HasValue
                        && !GivenToAHandler(interpolated):
                    return "builds an interpolated string";
                case IDelegateCreationOperation delegateCreation:
                    return delegateCreation.Target is IAnonymousFunctionOperation
                        ? "creates a delegate for a lambda" : "creates a delegate";
                case ICollectionExpressionOperation _:
                    return "builds a collection expression, which may allocate its storage";
                default:
                    return null;
            }
        }

        // An interpolated string passed to an interpolated string handler ($"..." given to a parameter of
        // a type marked [InterpolatedStringHandler]) is never built: the compiler creates the handler and
        // calls its AppendLiteral and AppendFormatted for each piece. Those creations and calls are
        // children of the operation, recorded and followed like any others, so a handler that allocates
        // is still reported, and one that does not (the kernel console's) is allowed.

        // ($"a {x} " + $"b {y}" given to a handler is one interpolated string in two pieces.)
        private static bool GivenToAHandler(IOperation interpolated)
        {
            IOperation parent = interpolated.Parent;
            while (parent is IInterpolatedStringAdditionOperation) parent = parent.Parent;
            return parent is IInterpolatedStringHandlerCreationOperation;
        }

        // A value (int, a struct) converted to a reference (object, an interface) is copied into a new
        // heap object: boxing. User-defined conversion operators are ordinary calls instead.
        private static bool IsBoxing(IConversionOperation conversion) =>
            conversion.OperatorMethod == null
            && conversion.Operand.Type != null && conversion.Operand.Type.IsValueType
            && conversion.Type != null && conversion.Type.IsReferenceType;

        /// <summary>The method that <paramref name="operation"/> runs, if it is a call of some kind.</summary>
        public static IMethodSymbol CalleeOf(IOperation operation)
        {
            switch (operation)
            {
                case IInvocationOperation invocation:
                    return invocation.TargetMethod;
                case IObjectCreationOperation creation when creation.Type != null && creation.Type.IsValueType:
                    return creation.Constructor;   // a struct's constructor is a call like any other
                case IPropertyReferenceOperation property:
                    bool assigned = property.Parent is IAssignmentOperation assignment && assignment.Target == property;
                    return assigned ? property.Property.SetMethod : property.Property.GetMethod;
                default:
                    return null;
            }
        }
    }
}
