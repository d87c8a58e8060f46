using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace BackpropGen.Generator.Diagnostics
{
    /// <summary>
    /// Where a diagnostic stands, as plain values (file path, span, line span) that compare by value
    /// and hold no syntax tree, so they can sit in cached pipeline values.
    /// </summary>
    internal readonly record struct SourceSpan(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        /// <summary>The place of <paramref name="location"/>, or null when it is not in source.</summary>
        public static SourceSpan? From(Location? location)
        {
            if (location is null || !location.IsInSource)
            {
                return null;
            }

            FileLinePositionSpan lineSpan = location.GetLineSpan();
            return new SourceSpan(lineSpan.Path, location.SourceSpan, lineSpan.Span);
        }

        /// <summary>
        /// The location in the compilation's own syntax tree of that path, so the compiler applies
        /// <c>#pragma warning</c> and .editorconfig severities to it (they are looked up through the
        /// tree; a location made from a path alone is an external file and escapes both). Falls back
        /// to that external location only when no such tree exists (it always should).
        /// </summary>
        public Location ToLocation(Compilation? compilation)
        {
            string path = FilePath;
            TextSpan span = Span;
            SyntaxTree? tree = compilation?.SyntaxTrees.FirstOrDefault(t => t.FilePath == path);
            if (tree is not null && span.End <= tree.Length)
            {
                return Location.Create(tree, span);
            }

            return Location.Create(FilePath, Span, LineSpan);
        }
    }
}
