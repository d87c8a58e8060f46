using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace BackpropGen
{
    /// <summary>
    /// A small strict JSON reader for parameter files (netstandard2.0 has no JSON parser and this
    /// package takes no dependency for one). The generator compiles the same file to read baked
    /// parameters, so it depends on nothing else in the runtime. Objects become dictionaries, arrays lists, strings
    /// strings, and numbers <see cref="MiniJson.Number"/> holding their text, so a float parses from
    /// the digits directly instead of through a double.
    /// </summary>
    internal sealed class MiniJson
    {
        /// <summary>Nesting deeper than this is refused: recursion must never overflow the stack (a compiler host would die).</summary>
        private const int MaxDepth = 64;

        private readonly string _text;
        private int _position;
        private int _depth;

        private MiniJson(string text)
        {
            _text = text;
        }

        public sealed class Number
        {
            public Number(string text) => Text = text;

            public string Text { get; }
        }

        public static object? Parse(string text)
        {
            var reader = new MiniJson(text);
            reader.SkipWhitespace();
            object? value = reader.ReadValue();
            reader.SkipWhitespace();
            if (reader._position != text.Length)
            {
                throw reader.Error("unexpected text after the end of the document");
            }

            return value;
        }

        private object? ReadValue()
        {
            if (_position >= _text.Length)
            {
                throw Error("the document ends where a value should be");
            }

            char c = _text[_position];
            switch (c)
            {
                case '{':
                case '[':
                    if (++_depth > MaxDepth)
                    {
                        throw Error("nesting deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels");
                    }

                    object value = c == '{' ? ReadObject() : ReadArray();
                    _depth--;
                    return value;
                case '"':
                    return ReadString();
                case 't':
                    Expect("true");
                    return true;
                case 'f':
                    Expect("false");
                    return false;
                case 'n':
                    Expect("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ReadNumber();
                    }

                    throw Error("unexpected character '" + c + "'");
            }
        }

        private Dictionary<string, object?> ReadObject()
        {
            var result = new Dictionary<string, object?>();
            _position++;
            SkipWhitespace();
            if (Peek() == '}')
            {
                _position++;
                return result;
            }

            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"')
                {
                    throw Error("expected a property name in quotes");
                }

                string name = ReadString();
                SkipWhitespace();
                if (Peek() != ':')
                {
                    throw Error("expected ':' after \"" + name + "\"");
                }

                _position++;
                SkipWhitespace();
                if (result.ContainsKey(name))
                {
                    throw Error("the property \"" + name + "\" appears twice");
                }

                result[name] = ReadValue();
                SkipWhitespace();
                char next = Peek();
                _position++;
                if (next == '}')
                {
                    return result;
                }

                if (next != ',')
                {
                    _position--;
                    throw Error("expected ',' or '}'");
                }
            }
        }

        private List<object?> ReadArray()
        {
            var result = new List<object?>();
            _position++;
            SkipWhitespace();
            if (Peek() == ']')
            {
                _position++;
                return result;
            }

            while (true)
            {
                SkipWhitespace();
                result.Add(ReadValue());
                SkipWhitespace();
                char next = Peek();
                _position++;
                if (next == ']')
                {
                    return result;
                }

                if (next != ',')
                {
                    _position--;
                    throw Error("expected ',' or ']'");
                }
            }
        }

        private string ReadString()
        {
            var builder = new StringBuilder();
            _position++;
            while (true)
            {
                if (_position >= _text.Length)
                {
                    throw Error("a string is not closed");
                }

                char c = _text[_position++];
                if (c == '"')
                {
                    return builder.ToString();
                }

                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                char escape = Peek();
                _position++;
                switch (escape)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        if (_position + 4 > _text.Length || !int.TryParse(_text.Substring(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                        {
                            throw Error("a \\u escape needs four hex digits");
                        }

                        builder.Append((char)code);
                        _position += 4;
                        break;
                    default:
                        throw Error("unknown escape '\\" + escape + "'");
                }
            }
        }

        private Number ReadNumber()
        {
            int start = _position;
            while (_position < _text.Length && "+-0123456789.eE".IndexOf(_text[_position]) >= 0)
            {
                _position++;
            }

            string text = _text.Substring(start, _position - start);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                _position = start;
                throw Error("'" + text + "' is not a number");
            }

            return new Number(text);
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0)
            {
                throw Error("unexpected text");
            }

            _position += word.Length;
        }

        private char Peek() => _position < _text.Length ? _text[_position] : '\0';

        private void SkipWhitespace()
        {
            while (_position < _text.Length && (_text[_position] == ' ' || _text[_position] == '\t' || _text[_position] == '\n' || _text[_position] == '\r'))
            {
                _position++;
            }
        }

        /// <summary>The document is not valid JSON; its Message gives line, column and problem.</summary>
        public sealed class SyntaxError : System.Exception
        {
            public SyntaxError(int line, string message)
                : base(message)
            {
                Line = line;
            }

            public int Line { get; }
        }

        private SyntaxError Error(string problem)
        {
            int line = 1;
            int column = 1;
            for (int i = 0; i < _position && i < _text.Length; i++)
            {
                if (_text[i] == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }

            return new SyntaxError(line, "line " + line.ToString(CultureInfo.InvariantCulture) + ", column " + column.ToString(CultureInfo.InvariantCulture) + ": " + problem);
        }
    }
}
