using System;
using System.Reflection;

namespace BackpropGen.Generator.Tests.Infrastructure
{
    public static class Networks
    {
        public static INetwork<T> Create<T>(Assembly assembly, string typeName)
            where T : struct
        {
            Type type = assembly.GetType(typeName, throwOnError: true)!;
            return (INetwork<T>)Activator.CreateInstance(type)!;
        }

        public static T[] Parameters<T>(INetwork<T> network)
            where T : struct
        {
            var parameters = new T[network.ParameterCount];
            network.CopyParametersTo(parameters);
            return parameters;
        }
    }
}
