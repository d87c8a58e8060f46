using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace BackpropGen.Generator.Parsing
{
    /// <summary>The member names the generated file adds to a network type.</summary>
    internal static class ReservedNames
    {
        private static readonly HashSet<string> s_members = new()
        {
            "InputCount", "OutputCount", "ParameterCount", "Topology", "Forward", "ComputeLoss", "TrainStep",
            "AccumulateGradient", "ApplyGradient", "ResetOptimizerState", "CopyParametersTo", "LoadParameters",
            "InitializeParameters", "ExplainStep", "ForwardBatch", "AccumulateGradientBatch", "OptimizerStateCount", "CopyOptimizerStateTo", "LoadOptimizerState", "SetInputScaling", "CopyInputScalingTo", "s_topology", "_adamStep", "_adamBeta1Power", "_adamBeta2Power",
        };

        // Parameter fields (_w1_0_2, _b1_0), optimizer state (_m_w1_0_2, _v_b1_0), ApplyGradient blocks,
        // and what a split network adds: its structs (BpgParameters, BpgScratch), their fields
        // (_bpgParameters, _bpgMoment1) and its private steps (BpgForward1_0, BpgLoad0, …); and the
        // input scaling's fields (_bpgInputOffset0, _bpgInputScale0).
        private static readonly Regex s_patterns = new(@"^(?:_[mv])?_[wb]\d+_\d+(?:_\d+)?$|^ApplyGradient\d+$|^_?[Bb]pg[A-Z0-9]", RegexOptions.CultureInvariant);

        public static bool IsReserved(string name) => s_members.Contains(name) || s_patterns.IsMatch(name);
    }
}
