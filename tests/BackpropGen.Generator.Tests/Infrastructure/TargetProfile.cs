namespace BackpropGen.Generator.Tests.Infrastructure
{
    /// <summary>The API surfaces the generated code must compile against.</summary>
    public enum TargetProfile
    {
        /// <summary>.NET 10 (the SDK's own reference pack).</summary>
        Net10,

        /// <summary>netstandard2.1: Unity 2022.3+ and Unity 6.</summary>
        NetStandard21,

        /// <summary>netstandard2.0 with System.Memory: the floor the runtime library targets.</summary>
        NetStandard20,
    }
}
