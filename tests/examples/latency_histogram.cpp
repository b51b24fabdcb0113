// Tests of examples/load/latency_histogram.hpp: percentiles within 1/64 above the truth, exact below 128, fixed memory.
// SPDX-License-Identifier: BSL-1.0
#include "../../examples/load/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace {

using rtnotify_examples::latency_histogram;

TEST(LatencyHistogram, NothingRecordedIsZeroEverywhere)
{
    latency_histogram h;
    EXPECT_EQ(h.count(), 0u);
    EXPECT_EQ(h.max(), 0u);
    EXPECT_EQ(h.percentile(50), 0u);
    EXPECT_EQ(h.percentile(100), 0u);
}

TEST(LatencyHistogram, SmallValuesAreExact)
{
    latency_histogram h;
    for(std::uint64_t v = 0; v < 100; ++v)
        h.record(v);
    EXPECT_EQ(h.count(), 100u);
    EXPECT_EQ(h.percentile(50), 49u); // the 50th of 0..99
    EXPECT_EQ(h.percentile(99), 98u);
    EXPECT_EQ(h.percentile(100), 99u);
    EXPECT_EQ(h.percentile(0), 0u);
}

TEST(LatencyHistogram, LargeValuesAreReportedAtMostAOneSixtyFourthHigh)
{
    latency_histogram h;
    for(std::uint64_t v = 1; v <= 100000; ++v)
        h.record(v * 7);
    for(double p : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9})
    {
        auto const truth = static_cast<std::uint64_t>(p / 100 * 100000 + 0.5) * 7; // the value at that rank
        auto const got = h.percentile(p);
        EXPECT_GE(got, truth) << p;
        EXPECT_LE(got, truth + truth / 64) << p;
    }
    EXPECT_EQ(h.percentile(100), 700000u);
    EXPECT_EQ(h.max(), 700000u);
}

TEST(LatencyHistogram, TheLargestValuesHaveABucketAndPercentilesNeverPassTheMaximum)
{
    latency_histogram h;
    h.record(UINT64_MAX);
    h.record(UINT64_MAX - 1);
    EXPECT_EQ(h.percentile(50), UINT64_MAX);
    h = latency_histogram();
    h.record(1000); // its bucket runs to 1007
    EXPECT_EQ(h.percentile(99), 1000u);
}

} // namespace
