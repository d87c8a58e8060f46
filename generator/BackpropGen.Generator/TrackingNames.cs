namespace BackpropGen.Generator
{
    /// <summary>Names of the pipeline steps, so tests can assert which steps re-ran (IncrementalTests finds every one by reflection).</summary>
    internal static class TrackingNames
    {
        public const string Networks = nameof(Networks);
        public const string NetworkSpecs = nameof(NetworkSpecs);
        public const string NetworkDiagnostics = nameof(NetworkDiagnostics);
        public const string OrphanLayers = nameof(OrphanLayers);
        public const string TargetFeatures = nameof(TargetFeatures);
        public const string EmitInputs = nameof(EmitInputs);
        public const string HintNameClashes = nameof(HintNameClashes);
        public const string BakedFiles = nameof(BakedFiles);
        public const string ResolvedNetworks = nameof(ResolvedNetworks);
        public const string BakedRequests = nameof(BakedRequests);
        public const string BakedReads = nameof(BakedReads);
    }
}
