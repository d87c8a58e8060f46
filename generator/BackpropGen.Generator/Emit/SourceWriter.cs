using System;
using System.Collections.Generic;
using System.Text;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// A minimal indenting writer (after System.Text.Json's SourceWriter): plain appends into one
    /// StringBuilder, fast enough for files of thousands of unrolled lines. It checks its own
    /// balance: every <see cref="OpenBrace"/>/<see cref="OpenBlock"/> is closed by a
    /// <see cref="CloseBrace"/> and every <see cref="Indent"/> by an <see cref="Unindent"/>, in order;
    /// a mismatch, or text taken while something is open, throws <see cref="InvalidOperationException"/>,
    /// which <see cref="NetworkGenerator.TryEmit"/> turns into BPG0015 (so tests fail loudly, and a
    /// user gets a diagnostic instead of a file that does not compile).
    /// </summary>
    internal sealed class SourceWriter
    {
        private const string IndentUnit = "    ";
        private readonly StringBuilder _builder = new(capacity: 16 * 1024);

        // What each indentation level was opened by: true for a brace, false for Indent().
        private readonly Stack<bool> _open = new();

        public void WriteLine(string line)
        {
            if (line.Length > 0)
            {
                for (int i = 0; i < _open.Count; i++)
                {
                    _builder.Append(IndentUnit);
                }

                _builder.Append(line);
            }

            _builder.Append('\n');
        }

        public void WriteLine() => _builder.Append('\n');

        public void OpenBlock(string header)
        {
            WriteLine(header);
            OpenBrace();
        }

        public void OpenBrace()
        {
            WriteLine("{");
            _open.Push(true);
        }

        public void CloseBrace()
        {
            Close(brace: true);
            WriteLine("}");
        }

        public void Indent() => _open.Push(false);

        public void Unindent() => Close(brace: false);

        /// <summary>The text written; throws when a brace or an indentation is still open.</summary>
        public override string ToString()
        {
            if (_open.Count > 0)
            {
                throw new InvalidOperationException(
                    "SourceWriter is unbalanced: " + _open.Count + " level(s) still open (innermost by " + What(_open.Peek()) + ")");
            }

            return _builder.ToString();
        }

        private void Close(bool brace)
        {
            if (_open.Count == 0)
            {
                throw new InvalidOperationException("SourceWriter is unbalanced: " + What(brace) + " closed with nothing open");
            }

            if (_open.Peek() != brace)
            {
                throw new InvalidOperationException(
                    "SourceWriter is unbalanced: " + What(brace) + " closed where " + What(_open.Peek()) + " is open");
            }

            _open.Pop();
        }

        private static string What(bool brace) => brace ? "a brace" : "an Indent()";
    }
}
