using System;
using System.Runtime.CompilerServices;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>Filters encoder rows with a fixed filter or, adaptively, with the one libpng's heuristic prefers.</summary>
    internal sealed class PngRowFilterChooser
    {
        private readonly int _rowLength;
        private readonly int _stride;
        private readonly PngFilterStrategy _strategy;
        private readonly byte[] _zeros;
        private byte[] _best;
        private byte[] _candidate;

        public PngRowFilterChooser(int rowLength, int stride, PngFilterStrategy strategy)
        {
            if (strategy < PngFilterStrategy.None || strategy > PngFilterStrategy.Adaptive)
                throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Unknown filter strategy.");
            _rowLength = rowLength;
            _stride = stride;
            _strategy = strategy;
            _zeros = new byte[rowLength];
            _best = new byte[rowLength + 1];
            _candidate = new byte[rowLength + 1];
        }

        /// <summary>Returns a buffer holding the filter byte and the filtered row; valid until the next call.</summary>
        [MethodImpl(HotPath.Optimize)]
        public byte[] Filter(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior)
        {
            if (prior.IsEmpty) prior = _zeros;
            if (_strategy != PngFilterStrategy.Adaptive)
            {
                _best[0] = (byte)_strategy;
                PngFilter.Apply((byte)_strategy, row, prior, _stride, _best.AsSpan(1));
                return _best;
            }
            if (row.SequenceEqual(prior.Slice(0, row.Length)))
            {
                // A row equal to the one above, the whole of a flat area: Up makes it all zeros, which no filter
                // beats. Only None and Sub, tried before it, tie, and only when the row itself is all zeros; the
                // filtered bytes are zeros either way. Two comparisons instead of scoring three filters.
                Array.Clear(_best, 1, _rowLength);
                _best[0] = row.SequenceEqual(_zeros) ? PngFilter.None : PngFilter.Up;
                return _best;
            }
            // Ties keep the earlier filter, the order libpng tries them in. So a later filter must cost less than the
            // best so far: it is given up as soon as it reaches that cost, and none is tried after a cost of zero.
            // The choice is the one trying every filter to the end would make.
            long bestCost = long.MaxValue;
            for (byte type = PngFilter.None; type <= PngFilter.Paeth && bestCost > 0; type++)
            {
                long cost = PngFilter.Apply(type, row, prior, _stride, _candidate.AsSpan(1), bestCost - 1);
                if (cost < bestCost)
                {
                    bestCost = cost;
                    _candidate[0] = type;
                    (_best, _candidate) = (_candidate, _best);
                }
            }
            return _best;
        }
    }
}
