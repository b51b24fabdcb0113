// Tests of counting missed and repeated frames per node (rtnotify/cluster/sequence_tracker.hpp).
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/cluster/sequence_tracker.hpp>

#include <gtest/gtest.h>

namespace {

using rtnotify::cluster::sequence_tracker;

TEST(SequenceTracker, TakesTheFirstFrameOfANodeAsItComes)
{
    sequence_tracker t;
    auto const v = t.record("a", "i1", 41);
    EXPECT_TRUE(v.deliver);
    EXPECT_TRUE(v.first_seen);
    EXPECT_EQ(v.missed, 0u);
    auto const next = t.record("a", "i1", 42);
    EXPECT_TRUE(next.deliver);
    EXPECT_FALSE(next.first_seen);
    EXPECT_EQ(next.missed, 0u);
}

TEST(SequenceTracker, CountsTheGapsOfEachNodeApart)
{
    sequence_tracker t;
    t.record("a", "i1", 1);
    t.record("b", "i1", 1);
    EXPECT_EQ(t.record("a", "i1", 5).missed, 3u);
    EXPECT_EQ(t.record("b", "i1", 2).missed, 0u);
    EXPECT_EQ(t.record("a", "i1", 6).missed, 0u);
    EXPECT_EQ(t.record("b", "i1", 18446744073709551615ull).missed, 18446744073709551612ull);
}

TEST(SequenceTracker, DropsFramesSeenAgainOrOutOfOrder)
{
    sequence_tracker t;
    t.record("a", "i1", 3);
    t.record("a", "i1", 7);
    auto const again = t.record("a", "i1", 7);
    EXPECT_FALSE(again.deliver);
    auto const late = t.record("a", "i1", 5);
    EXPECT_FALSE(late.deliver);
    EXPECT_EQ(late.missed, 0u);
    EXPECT_EQ(t.record("a", "i1", 8).missed, 0u); // the late one did not move the mark back
}

TEST(SequenceTracker, ANewIncarnationOfANodeStartsItOver)
{
    sequence_tracker t;
    t.record("a", "i1", 1);
    t.record("a", "i1", 250);
    auto const restarted = t.record("a", "i2", 1); // restarted under the same id: numbers from 1 again
    EXPECT_TRUE(restarted.deliver);
    EXPECT_TRUE(restarted.restarted);
    EXPECT_FALSE(restarted.first_seen);
    EXPECT_EQ(restarted.missed, 0u);
    auto const next = t.record("a", "i2", 3);
    EXPECT_TRUE(next.deliver);
    EXPECT_FALSE(next.restarted);
    EXPECT_EQ(next.missed, 1u); // counted within the new incarnation
    EXPECT_FALSE(t.record("a", "i2", 3).deliver);
    EXPECT_EQ(t.size(), 1u);
}

TEST(SequenceTracker, ForgetsTheNodeHeardFromLeastRecentlyWhenFull)
{
    sequence_tracker t(2);
    t.record("a", "i1", 1);
    t.record("b", "i1", 1);
    t.record("a", "i1", 2); // b is now the least recent
    t.record("c", "i1", 1);
    EXPECT_EQ(t.size(), 2u);
    EXPECT_FALSE(t.record("a", "i1", 3).first_seen);
    EXPECT_TRUE(t.record("b", "i1", 9).first_seen); // forgotten: starts over, nothing counted as missed
}

} // namespace
