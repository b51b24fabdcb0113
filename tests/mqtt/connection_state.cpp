// Tests of rtnotify/mqtt/connection_state.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/mqtt/connection_state.hpp>

#include <gtest/gtest.h>

namespace {

namespace mqtt = rtnotify::mqtt;
using mqtt::connection_state;
using mqtt::connection_trigger;

TEST(MqttConnectionState, EveryEndLeadsToClosedAndNothingLeavesClosed)
{
    for(auto const& t : mqtt::connection_transitions)
    {
        EXPECT_NE(t.from, connection_state::closed);
        if(t.trigger != connection_trigger::accepted)
        {
            EXPECT_EQ(t.to, connection_state::closed);
        }
    }
}

TEST(MqttConnectionState, OnlyAnAcceptedConnectConnectsAndOnlyAConnectedClientDisconnectsOrIsTakenOver)
{
    using rtnotify::detail::next_state;
    auto const& table = mqtt::connection_transitions;
    EXPECT_EQ(next_state(table, connection_state::awaiting_connect, connection_trigger::accepted),
              connection_state::connected);
    EXPECT_EQ(next_state(table, connection_state::connected, connection_trigger::accepted), std::nullopt);
    EXPECT_EQ(next_state(table, connection_state::awaiting_connect, connection_trigger::disconnect), std::nullopt);
    EXPECT_EQ(next_state(table, connection_state::awaiting_connect, connection_trigger::taken_over), std::nullopt);
    EXPECT_EQ(next_state(table, connection_state::connected, connection_trigger::refused), std::nullopt);
    for(auto from : {connection_state::awaiting_connect, connection_state::connected})
        for(auto t : {connection_trigger::violation, connection_trigger::expired, connection_trigger::gone})
            EXPECT_EQ(next_state(table, from, t), connection_state::closed);
}

} // namespace
