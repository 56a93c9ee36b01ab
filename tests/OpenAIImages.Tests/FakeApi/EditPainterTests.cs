using OpenAIImages.FakeApi.Imaging;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

public sealed class EditPainterTests
{
    [Fact]
    public void PaintsOnlyWhereTheSelectorIsFullyTransparent()
    {
        var source = TestImages.Solid(2, 1, 10, 20, 30);
        var selector = new byte[] { 0, 0, 0, 0, 0, 0, 0, 1 }; // first pixel alpha 0, second alpha 1
        var result = EditPainter.PaintTransparentArea(source, selector, (200, 100, 50));
        Assert.Equal(new byte[] { 200, 100, 50, 255, 10, 20, 30, 255 }, result);
        Assert.Equal(TestImages.Solid(2, 1, 10, 20, 30), source); // the input is not touched
    }

    [Fact]
    public void NearestResizeKeepsHardEdges()
    {
        var source = new byte[] { 1, 1, 1, 1, 2, 2, 2, 2 }; // 2x1
        var result = EditPainter.Resize(source, 2, 1, 4, 2);
        Assert.Equal(new byte[] { 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2 }, result);
    }

    [Fact]
    public void PartialsRevealMoreRowsEachTime()
    {
        var final = TestImages.Solid(1, 4, 9, 9, 9);
        var first = EditPainter.Partial(final, 1, 4, 0, 3);  // keeps 1 row of 4
        var last = EditPainter.Partial(final, 1, 4, 2, 3);   // keeps 3 rows of 4
        Assert.Equal(new byte[] { 9, 9, 9, 255, 128, 128, 128, 255, 128, 128, 128, 255, 128, 128, 128, 255 }, first);
        Assert.Equal(new byte[] { 9, 9, 9, 255, 9, 9, 9, 255, 9, 9, 9, 255, 128, 128, 128, 255 }, last);
    }
}
