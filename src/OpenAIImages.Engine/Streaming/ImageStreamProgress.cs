using System;
using System.Globalization;
using OpenAIImages.Engine.Results;

namespace OpenAIImages.Engine.Streaming
{
    /// <summary>
    /// One step of a streamed request: a partial or final image and where it stands, enough to say
    /// "partial image 2 of 3" and to fill a progress bar.
    /// </summary>
    public sealed class ImageStreamProgress
    {
        public ImageStreamProgress(GeneratedImage image, int imageCount, int partialImageCount)
        {
            Image = image ?? throw new ArgumentNullException(nameof(image));
            ImageCount = Math.Max(imageCount, image.Index + 1);
            // The server may send more partial images than asked for; never report "4 of 3".
            PartialImageCount = Math.Max(partialImageCount, (image.PartialImageIndex ?? -1) + 1);
        }

        /// <summary>The image: partial (IsPartial, PartialImageIndex) or final. Write it as output as it is.</summary>
        public GeneratedImage Image { get; }

        public bool IsPartial => Image.IsPartial;

        /// <summary>0-based position of the image among those requested (n).</summary>
        public int ImageIndex => Image.Index;

        /// <summary>How many images the request asked for (n).</summary>
        public int ImageCount { get; }

        /// <summary>0-based index of a partial image, from the event's partial_image_index; null for a final image.</summary>
        public int? PartialImageIndex => Image.PartialImageIndex;

        /// <summary>How many partial images were asked for per image (partial_images). The final image may come before all of them.</summary>
        public int PartialImageCount { get; }

        /// <summary>Share of the request done: each image counts as its partial images plus itself.</summary>
        public int PercentComplete
        {
            get
            {
                long stepsPerImage = PartialImageCount + 1L;
                long done = ImageIndex * stepsPerImage + (IsPartial ? (PartialImageIndex ?? 0) + 1L : stepsPerImage);
                return (int)Math.Min(100, done * 100 / (ImageCount * stepsPerImage));
            }
        }

        /// <summary>Words for a progress record: "Partial image 2 of 3", "Image complete", "Image 2 of 4: partial image 1 of 2", "Image 2 of 4 complete".</summary>
        public string StatusDescription
        {
            get
            {
                var culture = CultureInfo.InvariantCulture;
                int partial = (PartialImageIndex ?? 0) + 1;
                if (ImageCount == 1)
                    return IsPartial ? string.Format(culture, "Partial image {0} of {1}", partial, PartialImageCount) : "Image complete";
                return IsPartial
                    ? string.Format(culture, "Image {0} of {1}: partial image {2} of {3}", ImageIndex + 1, ImageCount, partial, PartialImageCount)
                    : string.Format(culture, "Image {0} of {1} complete", ImageIndex + 1, ImageCount);
            }
        }

        public override string ToString() => StatusDescription;
    }
}
