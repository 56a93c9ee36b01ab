using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>The engine's PNG decoder and encoder behind <see cref="IRgbaImageCodec"/>.</summary>
    public sealed class PngCodec : IRgbaImageCodec
    {
        public static PngCodec Default { get; } = new PngCodec();

        private readonly PngDecoderOptions _decoderOptions;
        private readonly PngEncoderOptions _encoderOptions;

        public PngCodec(PngDecoderOptions? decoderOptions = null, PngEncoderOptions? encoderOptions = null)
        {
            _decoderOptions = decoderOptions ?? PngDecoderOptions.Default;
            _encoderOptions = encoderOptions ?? PngEncoderOptions.Default;
        }

        public ImageFormat Format => ImageFormat.Png;

        public RgbaImage Decode(ReadOnlySpan<byte> data) => PngDecoder.Decode(data, _decoderOptions);

        public byte[] Encode(RgbaImage image) => PngEncoder.Encode(image, _encoderOptions);
    }
}
