using System.Globalization;

namespace BackpropGen.Tool
{
    /// <summary>C# identifier rules, enough to refuse a --name or --namespace that would not compile.</summary>
    internal static class Identifiers
    {
        private static readonly string[] Keywords =
        {
            "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
            "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
            "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
            "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
            "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
            "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
            "using", "virtual", "void", "volatile", "while",
        };

        public static bool IsIdentifier(string text)
        {
            if (string.IsNullOrEmpty(text) || System.Array.IndexOf(Keywords, text) >= 0)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                UnicodeCategory category = char.GetUnicodeCategory(text[i]);
                bool letter = text[i] == '_' || category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
                    or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber;
                bool part = category is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation
                    or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Format;
                if (!(letter || (i > 0 && part)))
                {
                    return false;
                }
            }

            return true;
        }

        public static bool IsNamespace(string text) => System.Array.TrueForAll(text.Split('.'), IsIdentifier);
    }
}
