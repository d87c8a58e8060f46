using System.Text;

namespace BackpropGen.Generator.Emit
{
    /// <summary>
    /// A minimal indenting writer (after System.Text.Json's SourceWriter): plain appends into one
    /// StringBuilder, fast enough for files of thousands of unrolled lines.
    /// </summary>
    internal sealed class SourceWriter
    {
        private const string IndentUnit = "    ";
        private readonly StringBuilder _builder = new(capacity: 16 * 1024);
        private int _indent;

        public void WriteLine(string line)
        {
            if (line.Length > 0)
            {
                for (int i = 0; i < _indent; i++)
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
            WriteLine("{");
            _indent++;
        }

        public void OpenBrace()
        {
            WriteLine("{");
            _indent++;
        }

        public void CloseBrace()
        {
            _indent--;
            WriteLine("}");
        }

        public void Indent() => _indent++;

        public void Unindent() => _indent--;

        public override string ToString() => _builder.ToString();
    }
}
