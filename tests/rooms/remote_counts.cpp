// Tests of rtnotify/rooms/remote_counts.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/remote_counts.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

namespace rooms = rtnotify::rooms;

std::string const room_a(32, 'a');
std::string const room_b(32, 'b');

rooms::remote_room in(std::string const& id, std::size_t count) { return {id, "shop", "items", count}; }

TEST(RoomsRemoteCounts, ReportsAreAbsoluteAndSumOverTheNodes)
{
    rooms::remote_counts rc;
    EXPECT_TRUE(rc.set("n1", in(room_a, 2), 0));
    EXPECT_TRUE(rc.set("n2", in(room_a, 3), 0));
    EXPECT_EQ(rc.total(room_a), 5u);
    EXPECT_TRUE(rc.set("n1", in(room_a, 1), 1)); // n1's count now, not one more
    EXPECT_EQ(rc.total(room_a), 4u);
    EXPECT_EQ(rc.entries(), 2u);
    EXPECT_EQ(rc.collection_of(room_a), (std::pair<std::string, std::string>{"shop", "items"}));
    EXPECT_TRUE(rc.set("n2", in(room_a, 0), 2)); // n2 has nobody there any more
    EXPECT_EQ(rc.total(room_a), 1u);
    EXPECT_EQ(rc.entries(), 1u);
    EXPECT_TRUE(rc.set("n1", in(room_a, 0), 3));
    EXPECT_EQ(rc.total(room_a), 0u);
    EXPECT_FALSE(rc.collection_of(room_a)) << "a room nobody reports is no room";
    EXPECT_EQ(rc.bytes(), 0u);
    EXPECT_EQ(rc.nodes(), 2u) << "both were heard from";
}

TEST(RoomsRemoteCounts, TheLastPartOfASnapshotDropsWhatItDidNotName)
{
    rooms::remote_counts rc;
    rc.set("n1", in(room_a, 2), 0);
    rc.set("n1", in(room_b, 1), 0);
    rc.set("n2", in(room_b, 4), 0);
    // n1's snapshot, in two parts: room_b's report "0" was lost, room_a holds 3 now
    EXPECT_EQ(rc.snapshot("n1", 7, false, {in(room_a, 3)}, 1), 0u);
    EXPECT_EQ(rc.total(room_b), 5u) << "not before the last part";
    EXPECT_EQ(rc.snapshot("n1", 7, true, {}, 1), 0u);
    EXPECT_EQ(rc.total(room_a), 3u);
    EXPECT_EQ(rc.total(room_b), 4u) << "n1's room_b is gone, n2's stays";
    // a report made while a snapshot arrives (after its first part) is not dropped by its last
    EXPECT_EQ(rc.snapshot("n1", 8, false, {in(room_a, 3)}, 2), 0u);
    rc.set("n1", in(room_b, 2), 2);
    EXPECT_EQ(rc.snapshot("n1", 8, true, {}, 3), 0u);
    EXPECT_EQ(rc.total(room_b), 6u);
    // a node that started again sends an empty snapshot: what its earlier life reported goes
    EXPECT_EQ(rc.snapshot("n1", 1, true, {}, 4), 0u);
    EXPECT_EQ(rc.total(room_a), 0u);
    EXPECT_EQ(rc.total(room_b), 4u);
}

TEST(RoomsRemoteCounts, SilentNodesAreForgottenWithTheirCounts)
{
    rooms::remote_counts rc;
    rc.set("n1", in(room_a, 2), 1000);
    rc.set("n2", in(room_a, 3), 5000);
    EXPECT_TRUE(rc.forget_silent(31000, 30000).empty()) << "n1 was heard 30 s ago: not more";
    EXPECT_EQ(rc.forget_silent(31001, 30000), std::vector<std::string>{"n1"});
    EXPECT_EQ(rc.total(room_a), 3u);
    EXPECT_EQ(rc.nodes(), 1u);
    rc.snapshot("n2", 2, true, {in(room_a, 3)}, 34000); // a snapshot is a sign of life
    EXPECT_TRUE(rc.forget_silent(64000, 30000).empty());
    EXPECT_EQ(rc.forget_silent(64001, 30000), std::vector<std::string>{"n2"});
    EXPECT_EQ(rc.entries(), 0u);
    EXPECT_EQ(rc.bytes(), 0u);
}

TEST(RoomsRemoteCounts, ReportsPastTheBoundsAreRefusedAndCounted)
{
    rooms::remote_counts rc({2, std::size_t(1) << 20, 2});
    EXPECT_TRUE(rc.set("n1", in(room_a, 1), 0));
    EXPECT_TRUE(rc.set("n2", in(room_a, 1), 0));
    EXPECT_FALSE(rc.set("n2", in(room_b, 1), 0)) << "a third entry";
    EXPECT_TRUE(rc.set("n2", in(room_a, 5), 0)) << "an existing entry changes";
    EXPECT_FALSE(rc.set("n3", in(room_b, 1), 0)) << "a third node";
    EXPECT_TRUE(rc.set("n3", in(room_b, 0), 0)) << "a node past the bound reporting nobody changes nothing";
    EXPECT_EQ(rc.snapshot("n1", 1, true, {in(room_a, 1), in(room_b, 1)}, 0), 1u);
    EXPECT_EQ(rc.refused(), 4u);
    EXPECT_EQ(rc.total(room_a), 6u);
    EXPECT_EQ(rc.total(room_b), 0u);

    auto const one = rooms::remote_counts::entry_overhead + 64 + 9; // two room ids, "shop", "items"
    rooms::remote_counts small({100, one + one / 2, 8});
    EXPECT_TRUE(small.set("n1", in(room_a, 1), 0));
    EXPECT_EQ(small.bytes(), one);
    EXPECT_FALSE(small.set("n1", in(room_b, 1), 0)) << "past max_bytes";
    EXPECT_EQ(small.refused(), 1u);
}

} // namespace
