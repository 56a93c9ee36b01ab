namespace OpenAIImages.Engine.Imaging
{
    /// <summary>How a mask is resized, each matching the PIL filter of the same name pixel for pixel on 8-bit gray.</summary>
    public enum MaskResampling
    {
        /// <summary>
        /// Each output pixel copies the input pixel under its center. Keeps a pure black-and-white mask pure,
        /// with stair-stepped edges.
        /// </summary>
        Nearest = 0,

        /// <summary>
        /// A triangle filter: a weighted average of the input pixels within one output pixel of the center (wider when
        /// shrinking, so every input pixel counts). Smooth edges, with gray levels where black meets white.
        /// </summary>
        Bilinear = 1,
    }
}
