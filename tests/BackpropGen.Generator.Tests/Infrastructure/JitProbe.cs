using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace BackpropGen.Generator.Tests.Infrastructure
{
    /// <summary>
    /// Generated networks compiled to a dll in a temporary directory, run in tests/BackpropGen.JitProbe
    /// (a child process, so each run gets its own DOTNET_* settings: JIT reports, AVX off, …).
    /// </summary>
    public sealed class JitProbe : IDisposable
    {
        private JitProbe(string directory, string assemblyPath, GeneratorOutcome outcome)
        {
            Directory = directory;
            AssemblyPath = assemblyPath;
            Outcome = outcome;
        }

        /// <summary>Where the dll (and any report a run writes) lives; deleted on Dispose.</summary>
        public string Directory { get; }

        public string AssemblyPath { get; }

        /// <summary>The generator run the dll was compiled from.</summary>
        public GeneratorOutcome Outcome { get; }

        /// <summary>
        /// Generates and compiles <paramref name="source"/> for <paramref name="profile"/> into
        /// <paramref name="assemblyName"/>.dll; the compilation must be clean, warnings included.
        /// </summary>
        public static JitProbe Compile(string source, string assemblyName, TargetProfile profile = TargetProfile.Net10)
        {
            string directory = Path.Combine(Path.GetTempPath(), "backpropgen-probe-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(directory);
            GeneratorOutcome outcome = GeneratorHarness.Run(source, profile);
            string assemblyPath = Path.Combine(directory, assemblyName + ".dll");
            using (FileStream file = File.Create(assemblyPath))
            {
                GeneratorHarness.EmitClean(outcome, file);
            }

            return new JitProbe(directory, assemblyPath, outcome);
        }

        /// <summary>Runs the probe on the dll (with <c>--dump</c> to print what it computed) and requires it to succeed.</summary>
        public ChildProcess.Result Run(IDictionary<string, string> environment, bool dump = false)
        {
            var arguments = new List<string> { ChildProcess.BuiltAssembly(Path.Combine("tests", "BackpropGen.JitProbe"), "BackpropGen.JitProbe"), AssemblyPath };
            if (dump)
            {
                arguments.Add("--dump");
            }

            ChildProcess.Result run = ChildProcess.Run("dotnet", arguments, environment: environment);
            Assert.True(run.ExitCode == 0, run.Output);
            return run;
        }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
