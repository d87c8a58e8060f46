using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit.Sdk;

namespace BackpropGen.Generator.Tests.Infrastructure
{
    /// <summary>
    /// Snapshot testing with Verify's file conventions, so a later switch to Verify.SourceGenerators is
    /// mechanical: <c>Snapshots/{TestClass}.{Method}#{HintName without .cs}.verified.cs</c> beside the test.
    /// On a mismatch the actual text goes to <c>.received.cs</c> and the test fails with a line diff; set
    /// <c>BACKPROPGEN_ACCEPT_SNAPSHOTS=1</c> to accept every received file as the new verified one.
    /// </summary>
    public static class Snapshot
    {
        public const string AcceptVariable = "BACKPROPGEN_ACCEPT_SNAPSHOTS";

        public static void Verify(string actual, string hintName, [CallerFilePath] string testFile = "", [CallerMemberName] string testMethod = "")
        {
            testFile = SourcePath(testFile);
            string testClass = Path.GetFileNameWithoutExtension(testFile);
            string name = hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName.Substring(0, hintName.Length - 3) : hintName;
            string directory = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
            string stem = Path.Combine(directory, testClass + "." + testMethod + "#" + name);
            string verifiedPath = stem + ".verified.cs";
            string receivedPath = stem + ".received.cs";
            string normalized = Normalize(actual);

            string? verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
            if (verified == normalized)
            {
                File.Delete(receivedPath);
                return;
            }

            Directory.CreateDirectory(directory);
            if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
            {
                File.WriteAllText(verifiedPath, normalized, new UTF8Encoding(false));
                File.Delete(receivedPath);
                return;
            }

            File.WriteAllText(receivedPath, normalized, new UTF8Encoding(false));
            throw new XunitException(verified is null
                ? "No verified snapshot " + verifiedPath + "; review " + receivedPath + " and rerun with " + AcceptVariable + "=1 to accept it."
                : "Snapshot " + verifiedPath + " differs (received: " + receivedPath + "; accept with " + AcceptVariable + "=1):" + Environment.NewLine + Diff(verified, normalized));
        }

        /// <summary>
        /// CI builds (ContinuousIntegrationBuild) map the repository root to "/_/" in caller file
        /// paths; map it back so snapshots are found next to the test.
        /// </summary>
        private static string SourcePath(string path)
        {
            const string Mapped = "/_/";
            if (!File.Exists(path) && path.StartsWith(Mapped, StringComparison.Ordinal))
            {
                return Path.Combine(ReferenceAssemblies.Metadata("RepositoryRoot"), path.Substring(Mapped.Length));
            }

            return path;
        }

        private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF');

        private static string Diff(string verified, string received)
        {
            DiffPaneModel diff = new InlineDiffBuilder(new DiffPlex.Differ()).BuildDiffModel(verified, received);
            var builder = new StringBuilder();
            int shown = 0;
            for (int i = 0; i < diff.Lines.Count && shown < 60; i++)
            {
                DiffPiece line = diff.Lines[i];
                if (line.Type == ChangeType.Unchanged)
                {
                    continue;
                }

                builder.Append(line.Type == ChangeType.Inserted ? "+ " : "- ")
                    .Append(line.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?").Append(": ")
                    .AppendLine(line.Text);
                shown++;
            }

            return builder.ToString();
        }
    }
}
