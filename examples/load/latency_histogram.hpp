// examples/load/latency_histogram.hpp: latencies counted in log-linear buckets (at most 1/64 above the truth), with percentiles.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_EXAMPLES_LOAD_LATENCY_HISTOGRAM_HPP
#define RTNOTIFY_EXAMPLES_LOAD_LATENCY_HISTOGRAM_HPP

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace rtnotify_examples {

/** Counts of values (latencies in microseconds, say) in buckets of fixed
    relative width: values below 128 are counted exactly, larger ones in 64
    buckets per power of two, so a percentile is reported at most 1/64 above
    the value it stands for. Memory is fixed (under 31 KiB) whatever is recorded.
*/
class latency_histogram
{
public:
    latency_histogram() : counts_(bucket_of(UINT64_MAX) + 1, 0) {}

    /// Counts one value.
    void record(std::uint64_t v)
    {
        ++counts_[bucket_of(v)];
        ++count_;
        max_ = std::max(max_, v);
    }

    /// How many values were recorded.
    std::uint64_t count() const noexcept { return count_; }

    /// The largest value recorded (0 when none was).
    std::uint64_t max() const noexcept { return max_; }

    /** The value at or below which `percent` % of the values lie: the upper
        end of the bucket holding that rank, never above `max()`; 0 when
        nothing was recorded.
    */
    std::uint64_t percentile(double percent) const noexcept
    {
        if(count_ == 0)
            return 0;
        auto const p = std::clamp(percent, 0.0, 100.0);
        auto rank = static_cast<std::uint64_t>(p / 100.0 * static_cast<double>(count_) + 0.999999);
        rank = std::clamp<std::uint64_t>(rank, 1, count_);
        std::uint64_t seen = 0;
        for(std::size_t i = 0; i < counts_.size(); ++i)
        {
            seen += counts_[i];
            if(seen >= rank)
                return std::min(highest_in(i), max_);
        }
        return max_;
    }

private:
    static constexpr unsigned exact_below_bits = 7; // values below 2^7 have a bucket each
    static constexpr std::uint64_t sub_buckets = 64; // per power of two above

    static std::size_t bucket_of(std::uint64_t v) noexcept
    {
        auto const width = static_cast<unsigned>(std::bit_width(v));
        if(width <= exact_below_bits)
            return static_cast<std::size_t>(v);
        auto const shift = width - exact_below_bits;
        auto const top = v >> shift; // in [64, 127]
        return static_cast<std::size_t>((std::uint64_t(1) << exact_below_bits) + (shift - 1) * sub_buckets +
                                        (top - sub_buckets));
    }

    static std::uint64_t highest_in(std::size_t bucket) noexcept
    {
        constexpr std::size_t exact = std::size_t(1) << exact_below_bits;
        if(bucket < exact)
            return bucket;
        auto const shift = (bucket - exact) / sub_buckets + 1;
        auto const top = sub_buckets + (bucket - exact) % sub_buckets;
        auto const next = (top + 1) << shift;
        return next == 0 ? UINT64_MAX : next - 1; // the last bucket ends at the largest value
    }

    std::vector<std::uint64_t> counts_;
    std::uint64_t count_ = 0;
    std::uint64_t max_ = 0;
};

} // namespace rtnotify_examples

#endif
