using OpenAIImages.Engine.Imaging;

namespace OpenAIImages.Benchmarks.Payload;

/// <summary>
/// A black-and-white inpainting mask as a person paints one: white (keep) with black shapes (edit) whose edges are
/// anti-aliased, so the mask has gray levels along every edge. Saved as an opaque RGBA PNG, the form paint programs
/// and screenshots give. Deterministic: the same size gives the same bytes.
/// </summary>
public static class PaintedMask
{
    private abstract record Shape
    {
        /// <summary>Signed distance in pixels: negative inside, positive outside.</summary>
        public abstract double Distance(double x, double y);
    }

    private sealed record Circle(double Cx, double Cy, double R) : Shape
    {
        public override double Distance(double x, double y) => Math.Sqrt((x - Cx) * (x - Cx) + (y - Cy) * (y - Cy)) - R;
    }

    private sealed record RoundedBox(double Cx, double Cy, double HalfW, double HalfH, double Radius, double Angle) : Shape
    {
        public override double Distance(double x, double y)
        {
            double c = Math.Cos(Angle), s = Math.Sin(Angle);
            double lx = Math.Abs(c * (x - Cx) + s * (y - Cy)) - HalfW + Radius;
            double ly = Math.Abs(-s * (x - Cx) + c * (y - Cy)) - HalfH + Radius;
            return Math.Sqrt(Math.Max(lx, 0) * Math.Max(lx, 0) + Math.Max(ly, 0) * Math.Max(ly, 0)) + Math.Min(Math.Max(lx, ly), 0) - Radius;
        }
    }

    private sealed record Ellipse(double Cx, double Cy, double Rx, double Ry) : Shape
    {
        // Distance scaled by the gradient: exact enough for a one-pixel anti-aliased edge.
        public override double Distance(double x, double y)
        {
            double nx = (x - Cx) / Rx, ny = (y - Cy) / Ry;
            double f = Math.Sqrt(nx * nx + ny * ny);
            double gradient = Math.Sqrt(nx * nx / (Rx * Rx) + ny * ny / (Ry * Ry)) / Math.Max(f, 1e-9);
            return (f - 1) / Math.Max(gradient, 1e-9);
        }
    }

    public static byte[] Png(int size)
    {
        double k = size / 4096.0;
        var shapes = new Shape[]
        {
            new Circle(1200 * k, 1100 * k, 640 * k),
            new Ellipse(2900 * k, 1500 * k, 820 * k, 460 * k),
            new RoundedBox(2200 * k, 2900 * k, 900 * k, 380 * k, 120 * k, 0.35),
            new Circle(700 * k, 3300 * k, 300 * k),
            new RoundedBox(3500 * k, 3500 * k, 260 * k, 260 * k, 40 * k, -0.6),
        };
        var rgba = new byte[size * size * 4];
        Parallel.For(0, size, y =>
        {
            for (int x = 0; x < size; x++)
            {
                double d = double.MaxValue;
                foreach (var shape in shapes) d = Math.Min(d, shape.Distance(x + 0.5, y + 0.5));
                // Coverage of a one-pixel-wide edge: 0 well inside a shape (black), 1 well outside (white).
                double white = Math.Clamp(d + 0.5, 0, 1);
                byte level = (byte)Math.Round(white * 255);
                int at = (y * size + x) * 4;
                rgba[at] = rgba[at + 1] = rgba[at + 2] = level;
                rgba[at + 3] = 255;
            }
        });
        return PngEncoder.EncodeRgba(size, size, rgba);
    }
}
