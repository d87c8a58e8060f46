using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace BackpropGen.Generator.Tests.Infrastructure
{
    /// <summary>Runs a command (dotnet, usually) and captures what it prints.</summary>
    public static class ChildProcess
    {
        public sealed record Result(int ExitCode, string Output);

        public static string RepositoryPath(params string[] parts) =>
            Path.Combine(ReferenceAssemblies.Metadata("RepositoryRoot"), Path.Combine(parts));

        /// <summary>The output of a project built with the tests (same configuration).</summary>
        public static string BuiltAssembly(string projectDirectory, string assemblyName) =>
            RepositoryPath(projectDirectory, "bin", ReferenceAssemblies.Metadata("Configuration"), "net10.0", assemblyName + ".dll");

        public static Result Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
        {
            var start = new ProcessStartInfo(fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            // Child builds must not inherit the test host's MSBuild or runtime settings.
            foreach (string name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH", "VSTEST_HOST_DEBUG" })
            {
                start.Environment.Remove(name);
            }

            if (environment is not null)
            {
                foreach (var (key, value) in environment)
                {
                    start.Environment[key] = value;
                }
            }

            using Process process = Process.Start(start)!;
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException(fileName + " " + string.Join(" ", arguments) + " did not finish in time.");
            }

            return new Result(process.ExitCode, output.Result + error.Result);
        }
    }
}
