using System.IO;
using OpenAIImages.Engine.Imaging;
using Xunit;

namespace OpenAIImages.Tests.Imaging;

/// <summary>
/// The mask conversion matches OpenAI's PIL recipe byte for byte: every PngSuite image and two committed masks,
/// plain and with resize, threshold and invert (TestData/make-pngsuite-reference.py computed the hashes with PIL).
/// </summary>
public class AlphaMaskReferenceTests
{
    private static readonly IReadOnlyList<ReferenceHash> References = ReferenceHashes.Load("alpha-mask.sha256");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var r in References) data.Add(r.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPilRecipe(string name)
    {
        var expected = References.Single(r => r.Name == name);
        string[] parts = name.Split('|');
        string input = parts[0].StartsWith("mask-", StringComparison.Ordinal)
            ? Path.Combine(TestPaths.TestData, parts[0])
            : Path.Combine(TestPaths.PngSuite, parts[0]);

        var png = AlphaMask.ToPng(File.ReadAllBytes(input), ParseVariant(parts[1]));

        var result = PngDecoder.Decode(png);
        Assert.Equal((expected.Width, expected.Height), (result.Width, result.Height));
        Assert.Equal(expected.Sha256, ReferenceHashes.Sha256(result.Pixels));
    }

    [Fact]
    public void CoversAtLeastTwentyInputsAndEveryVariant()
    {
        Assert.True(References.Select(r => r.Name.Split('|')[0]).Distinct().Count() >= 20);
        Assert.Contains(References, r => r.Name.StartsWith("mask-1024x1024.png|", StringComparison.Ordinal));
        Assert.Contains(References, r => r.Name.StartsWith("mask-1536x1024.png|resize 1024x1024 bilinear", StringComparison.Ordinal));
        Assert.Contains(References, r => r.Name.EndsWith("|invert", StringComparison.Ordinal));
    }

    /// <summary>The variant words of the reference script: "plain", "invert", "threshold T", "resize WxH nearest|bilinear", joined by ';'.</summary>
    private static AlphaMaskOptions ParseVariant(string variant)
    {
        int? threshold = null, width = null, height = null;
        bool invert = false;
        var resampling = MaskResampling.Bilinear;
        foreach (string step in variant.Split(';'))
        {
            string[] words = step.Split(' ');
            switch (words[0])
            {
                case "plain": break;
                case "invert": invert = true; break;
                case "threshold": threshold = int.Parse(words[1]); break;
                case "resize":
                    string[] size = words[1].Split('x');
                    (width, height) = (int.Parse(size[0]), int.Parse(size[1]));
                    resampling = words[2] == "nearest" ? MaskResampling.Nearest : MaskResampling.Bilinear;
                    break;
                default: throw new InvalidDataException($"Unknown variant step '{step}'");
            }
        }
        return new AlphaMaskOptions { Threshold = threshold, Invert = invert, Width = width, Height = height, Resampling = resampling };
    }
}
