// A histogram of waits (1 ms to 60 s buckets) for the server's metrics: how long deliveries waited in the server.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_WAIT_HISTOGRAM_HPP
#define RTNOTIFY_BEAST_WAIT_HISTOGRAM_HPP

#include <rtnotify/beast/metrics.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <string>

namespace rtnotify::beast {

/** Counts durations into fixed buckets, in seconds as Prometheus wants
    them: from 1 ms (a delivery written at once) to 60 s (one that waited for
    a client's next connect). Fixed size; recording allocates nothing.
*/
class wait_histogram
{
public:
    /// The buckets' upper bounds, in seconds.
    static constexpr std::array<double, 15> bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                   0.5,   1,      2.5,   5,    10,    30,    60};

    /// Counts one wait of `d` (a negative one as zero).
    void record(std::chrono::steady_clock::duration d) noexcept
    {
        double const seconds = std::max(0.0, std::chrono::duration<double>(d).count());
        auto const at = std::lower_bound(bounds.begin(), bounds.end(), seconds) - bounds.begin();
        ++counts_[static_cast<std::size_t>(at)];
        sum_ += seconds;
    }

    /// The waits counted so far.
    std::uint64_t count() const noexcept
    {
        std::uint64_t n = 0;
        for(auto c : counts_)
            n += c;
        return n;
    }

    /// The family `name` of kind histogram, with `help`, holding the waits counted so far.
    metric_family family(std::string name, std::string help) const
    {
        metric_family f{std::move(name), std::move(help), metric_kind::histogram, {}, {}};
        std::uint64_t below = 0;
        for(std::size_t i = 0; i < bounds.size(); ++i)
        {
            below += counts_[i];
            f.histogram.buckets.emplace_back(bounds[i], below);
        }
        f.histogram.count = below + counts_.back();
        f.histogram.sum = sum_;
        return f;
    }

private:
    std::array<std::uint64_t, bounds.size() + 1> counts_{}; ///< per bucket, not cumulative; the last: above 60 s
    double sum_ = 0;                                         ///< in seconds
};

} // namespace rtnotify::beast

#endif
