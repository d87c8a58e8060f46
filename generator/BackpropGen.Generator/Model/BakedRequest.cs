namespace BackpropGen.Generator.Model
{
    /// <summary>
    /// A [BakedParameters("path")] waiting for its file: the path as written, resolved against
    /// AdditionalFiles after parsing. It holds no location, so moving the declaration does not make
    /// the file be read again (the parse result keeps where the argument stands).
    /// </summary>
    internal sealed record BakedRequest(string Path);
}
