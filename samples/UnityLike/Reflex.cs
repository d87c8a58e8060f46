using BackpropGen;

namespace UnityLike.AI
{
    /// <summary>
    /// A reflex trained offline and shipped frozen: "jump when exactly one of the two sensors fires"
    /// (XOR). Its weights are baked into the code from Models/reflex.json: no fields, no loading.
    /// </summary>
    [Network(2, InputNames = new[] { "leftSensor", "rightSensor" }, OutputNames = new[] { "jump" })]
    [Layer(2, Activation.Tanh)]
    [Layer(1, Activation.Sigmoid)]
    [BakedParameters("Models/reflex.json")]
    public partial class Reflex
    {
    }
}
