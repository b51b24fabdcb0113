// Tests of examples/load/delivery_ledger.hpp: losses, duplicates, reordering and numbers never published are each counted.
// SPDX-License-Identifier: BSL-1.0
#include "../../examples/load/delivery_ledger.hpp"

#include <gtest/gtest.h>

namespace {

using rtnotify_examples::delivery_ledger;
using rtnotify_examples::receipt;

TEST(DeliveryLedger, AMessageIsCompleteOnceEverySubscriberHasIt)
{
    delivery_ledger l(3);
    EXPECT_EQ(l.publish(), 0u);
    EXPECT_EQ(l.publish(), 1u);
    EXPECT_EQ(l.missing(), 6u);
    EXPECT_EQ(l.received(0, 0), receipt::first);
    EXPECT_EQ(l.received(1, 0), receipt::first);
    EXPECT_FALSE(l.complete(0));
    EXPECT_EQ(l.received(2, 0), receipt::first);
    EXPECT_TRUE(l.complete(0));
    EXPECT_FALSE(l.complete(1));
    EXPECT_FALSE(l.complete(7));
    EXPECT_EQ(l.complete(), 1u);
    EXPECT_EQ(l.delivered(), 3u);
    EXPECT_EQ(l.missing(), 3u);
}

TEST(DeliveryLedger, DuplicatesAndReorderingAreCountedNotDelivered)
{
    delivery_ledger l(1);
    for(int i = 0; i < 3; ++i)
        l.publish();
    EXPECT_EQ(l.received(0, 2), receipt::first);
    EXPECT_EQ(l.received(0, 0), receipt::first); // after 2: out of order
    EXPECT_EQ(l.received(0, 2), receipt::duplicate);
    EXPECT_EQ(l.delivered(), 2u);
    EXPECT_EQ(l.duplicated(), 1u);
    EXPECT_EQ(l.out_of_order(), 1u);
    EXPECT_EQ(l.missing(), 1u); // message 1 never came
    EXPECT_EQ(l.complete(), 2u);
}

TEST(DeliveryLedger, NumbersNeverPublishedAndUnknownSubscribersAreCountedNotTrusted)
{
    delivery_ledger l(2);
    l.publish();
    EXPECT_EQ(l.received(0, 1), receipt::unknown);
    EXPECT_EQ(l.received(0, UINT64_MAX), receipt::unknown);
    EXPECT_EQ(l.received(5, 0), receipt::unknown);
    EXPECT_EQ(l.unknown(), 3u);
    EXPECT_EQ(l.delivered(), 0u);
    EXPECT_EQ(l.missing(), 2u);
}

TEST(DeliveryLedger, ASubscriberMayReceiveMessagesPublishedAfterItsLastOne)
{
    delivery_ledger l(2);
    l.publish();
    EXPECT_EQ(l.received(0, 0), receipt::first);
    for(int i = 0; i < 100; ++i)
        l.publish();
    EXPECT_EQ(l.received(0, 100), receipt::first);
    EXPECT_EQ(l.received(1, 100), receipt::first);
    EXPECT_TRUE(l.complete(100));
    EXPECT_EQ(l.out_of_order(), 0u);
}

} // namespace
