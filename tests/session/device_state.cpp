// Tests of the device's transition table: every (state, trigger) pair, fired at a real session::device.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/session/device_state.hpp>

#include <rtnotify/session/device.hpp>

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>

namespace {

namespace ss = rtnotify::session;
using namespace std::chrono_literals;

constexpr std::array all_device_states{ss::device_state::unconnected, ss::device_state::handshaking,
                                ss::device_state::subscribing, ss::device_state::connected,
                                ss::device_state::disconnected};
constexpr std::array all_device_triggers{ss::device_trigger::start, ss::device_trigger::handshake_accepted,
                                  ss::device_trigger::subscribe_accepted, ss::device_trigger::rehandshake,
                                  ss::device_trigger::stop};

/// A device driven by hand: it posts into the void, the test writes the server's responses.
struct device_driver
{
    ss::device d{[] {
        ss::device_options o;
        o.xid = "alarms";
        o.channels = {"/dev1"};
        return o;
    }()};
    ss::time_point now{};

    /// Answers the request that is out (sending what is due) with `body`, if it starts with `request`.
    void answer(std::string_view request, std::string_view body)
    {
        now += 1h; // whatever is due is due now, and nothing has timed out yet: no deadline is an hour away
        auto const r = d.next_request(now);
        if(r && r->body.starts_with(request))
            d.receive(r->id, body, now);
    }

    /// Fires `t` through the device's public API, as the application or the server would.
    void fire(ss::device_trigger t)
    {
        switch(t)
        {
        case ss::device_trigger::start: d.start(now); break;
        case ss::device_trigger::handshake_accepted: answer("80", "c1\n"); break;
        case ss::device_trigger::subscribe_accepted: answer("81", ""); break;
        case ss::device_trigger::rehandshake: answer("", "86,,,0,handshake\n45,1,402:c1:Unknown client ID\n"); break;
        case ss::device_trigger::stop:
            d.disconnect();
            answer("84", "");
            break;
        }
    }

    /// Brings the device to `s` along the table's own transitions.
    void reach(ss::device_state s)
    {
        switch(s)
        {
        case ss::device_state::unconnected: break;
        case ss::device_state::handshaking: fire(ss::device_trigger::start); break;
        case ss::device_state::subscribing:
            reach(ss::device_state::handshaking);
            fire(ss::device_trigger::handshake_accepted);
            break;
        case ss::device_state::connected:
            reach(ss::device_state::subscribing);
            fire(ss::device_trigger::subscribe_accepted);
            break;
        case ss::device_state::disconnected:
            reach(ss::device_state::connected);
            fire(ss::device_trigger::stop);
            break;
        }
        ASSERT_EQ(d.state(), s);
    }
};

TEST(DeviceState, EveryPairOfTheTableIsWhatTheDeviceDoes)
{
    for(auto const from : all_device_states)
        for(auto const t : all_device_triggers)
        {
            device_driver dr;
            dr.reach(from);
            dr.fire(t);
            auto const expected = ss::next_device_state(from, t).value_or(from);
            EXPECT_EQ(dr.d.state(), expected) << "from state " << int(from) << " on trigger " << int(t);
        }
}

TEST(DeviceState, EveryStateIsReachableAndNoRowIsListedTwice)
{
    for(auto const s : all_device_states)
    {
        bool reached = s == ss::device_state::unconnected;
        for(auto const& row : ss::device_transitions)
            reached = reached || row.to == s;
        EXPECT_TRUE(reached) << int(s);
    }
    for(auto const& a : ss::device_transitions)
    {
        int rows = 0;
        for(auto const& b : ss::device_transitions)
            rows += a.from == b.from && a.trigger == b.trigger;
        EXPECT_EQ(rows, 1) << int(a.from) << " " << int(a.trigger);
    }
}

TEST(DeviceState, ALateHandshakeResponseDoesNotBringBackADeviceThatStopped)
{
    device_driver dr;
    dr.d.start(dr.now);
    auto const r = dr.d.next_request(dr.now);
    ASSERT_TRUE(r);
    dr.d.disconnect();
    EXPECT_EQ(dr.d.state(), ss::device_state::disconnected);
    dr.d.receive(r->id, "c1\n", dr.now);
    EXPECT_EQ(dr.d.state(), ss::device_state::disconnected);
    EXPECT_TRUE(dr.d.client_id().empty());
    EXPECT_FALSE(dr.d.next_request(dr.now + 1h));
}

} // namespace
