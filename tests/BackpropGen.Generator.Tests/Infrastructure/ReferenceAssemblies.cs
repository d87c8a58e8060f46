using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Generator.Tests.Infrastructure
{
    /// <summary>
    /// Reference assemblies for each <see cref="TargetProfile"/>: net10.0 from Basic.Reference.Assemblies.Net100,
    /// netstandard2.0/2.1 located by the test project at build time (NuGet packages via PackageDownload),
    /// plus the BackpropGen runtime every network references.
    /// </summary>
    public static class ReferenceAssemblies
    {
        private static readonly ConcurrentDictionary<TargetProfile, ImmutableArray<MetadataReference>> s_cache = new();

        public static string RuntimeAssemblyPath => typeof(INetwork<>).Assembly.Location;

        public static string Metadata(string key) =>
            typeof(ReferenceAssemblies).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
                ?? throw new InvalidOperationException("No metadata " + key);

        public static ImmutableArray<MetadataReference> For(TargetProfile profile) => s_cache.GetOrAdd(profile, Load);

        private static ImmutableArray<MetadataReference> Load(TargetProfile profile)
        {
            if (profile == TargetProfile.Net10)
            {
                return Basic.Reference.Assemblies.Net100.References.All.Add(MetadataReference.CreateFromFile(RuntimeAssemblyPath)).CastArray<MetadataReference>();
            }

            var paths = new List<string>();
            string directory = profile switch
            {
                TargetProfile.NetStandard21 => Metadata("NetStandard21Refs"),
                TargetProfile.NetStandard20 => Metadata("NetStandard20Refs"),
                _ => throw new ArgumentOutOfRangeException(nameof(profile)),
            };

            if (!Directory.Exists(directory))
            {
                throw new DirectoryNotFoundException("Reference assemblies for " + profile + " are missing: " + directory);
            }

            paths.AddRange(Directory.GetFiles(directory, "*.dll"));
            if (profile == TargetProfile.NetStandard20)
            {
                paths.Add(Metadata("SystemMemoryRef"));
            }

            paths.Add(RuntimeAssemblyPath);
            return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
        }
    }
}
