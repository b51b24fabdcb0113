// Tests of rtnotify/beast/wait_histogram.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/wait_histogram.hpp>

#include <gtest/gtest.h>

#include <chrono>

namespace {

using rtnotify::beast::wait_histogram;
using namespace std::chrono_literals;

/// The cumulative count of the bucket whose upper bound is `le` seconds.
std::uint64_t at_or_under(rtnotify::beast::metric_family const& f, double le)
{
    for(auto const& [bound, n] : f.histogram.buckets)
        if(bound == le)
            return n;
    ADD_FAILURE() << "no bucket " << le;
    return 0;
}

TEST(WaitHistogram, AWaitCountsInTheFirstBucketThatHoldsItAndEveryOneAbove)
{
    wait_histogram h;
    h.record(1ms);    // on a bound: counts under it (le means at or under)
    h.record(1001us); // just above
    h.record(-5ms);   // a clock that went back: zero
    h.record(3s);
    h.record(61s); // above every bound: +Inf only
    auto const f = h.family("w_seconds", "Waits.");
    EXPECT_EQ(f.kind, rtnotify::beast::metric_kind::histogram);
    ASSERT_EQ(f.histogram.buckets.size(), wait_histogram::bounds.size());
    EXPECT_EQ(at_or_under(f, 0.001), 2u);
    EXPECT_EQ(at_or_under(f, 0.0025), 3u);
    EXPECT_EQ(at_or_under(f, 2.5), 3u);
    EXPECT_EQ(at_or_under(f, 5), 4u);
    EXPECT_EQ(at_or_under(f, 60), 4u);
    EXPECT_EQ(f.histogram.count, 5u);
    EXPECT_EQ(h.count(), 5u);
    EXPECT_NEAR(f.histogram.sum, 0.001 + 0.001001 + 3 + 61, 1e-9);
    for(std::size_t i = 1; i < f.histogram.buckets.size(); ++i)
        EXPECT_LE(f.histogram.buckets[i - 1].second, f.histogram.buckets[i].second) << "cumulative";
}

TEST(WaitHistogram, EmptyIsAllZeros)
{
    auto const f = wait_histogram().family("w_seconds", "Waits.");
    EXPECT_EQ(f.histogram.count, 0u);
    EXPECT_EQ(f.histogram.sum, 0.0);
    for(auto const& [bound, n] : f.histogram.buckets)
        EXPECT_EQ(n, 0u) << bound;
}

} // namespace
