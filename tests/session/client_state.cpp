// Tests of the client's transition table: every (state, trigger) pair, fired at a real session::client.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/session/client_state.hpp>

#include <rtnotify/session/client.hpp>

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <string>

namespace {

namespace bx = rtnotify::bayeux;
namespace ss = rtnotify::session;
using namespace std::chrono_literals;

constexpr std::array all_states{ss::client_state::unconnected, ss::client_state::handshaking,
                                ss::client_state::connecting, ss::client_state::connected,
                                ss::client_state::disconnected};
constexpr std::array all_triggers{ss::client_trigger::start, ss::client_trigger::handshake_accepted,
                                  ss::client_trigger::connect_accepted, ss::client_trigger::rehandshake,
                                  ss::client_trigger::stop};

/// A client driven by hand: it sends into the void, the test writes the server's replies.
struct driver
{
    ss::client c;
    ss::time_point now{};

    /// The request on the connect lane, sending what is due (nothing when nothing can be sent).
    std::optional<ss::client_request> connect_request()
    {
        now += 1h; // whatever is due is due now, and nothing has timed out yet: no deadline is an hour away
        while(auto r = c.next_request(now))
            if(r->connect_lane)
                return r;
        return std::nullopt;
    }

    /// Answers the connect lane's request (or pushes, when none is out) with `reply`.
    void answer_connect_lane(bx::message reply)
    {
        auto const r = connect_request();
        c.receive(r ? r->id : 0, {std::move(reply)}, now);
    }

    static bx::message reply(std::string channel, bool ok, char const* policy)
    {
        bx::message m;
        m.channel = std::move(channel);
        m.successful = ok;
        m.client_id = "session1";
        m.advice.emplace();
        m.advice->reconnect = policy;
        m.advice->interval = 0;
        return m;
    }

    /// Fires `t` through the client's public API, as the application or the server would.
    void fire(ss::client_trigger t)
    {
        switch(t)
        {
        case ss::client_trigger::start: c.handshake(now); break;
        case ss::client_trigger::handshake_accepted:
            answer_connect_lane(reply("/meta/handshake", true, "retry"));
            break;
        case ss::client_trigger::connect_accepted: answer_connect_lane(reply("/meta/connect", true, "retry")); break;
        case ss::client_trigger::rehandshake: answer_connect_lane(reply("/meta/connect", false, "handshake")); break;
        case ss::client_trigger::stop:
            c.disconnect();
            while(auto r = c.next_request(now))
                if(!r->connect_lane)
                    c.receive(r->id, {reply("/meta/disconnect", true, "none")}, now);
            break;
        }
    }

    /// Brings the client to `s` along the table's own transitions.
    void reach(ss::client_state s)
    {
        switch(s)
        {
        case ss::client_state::unconnected: break;
        case ss::client_state::handshaking: fire(ss::client_trigger::start); break;
        case ss::client_state::connecting:
            reach(ss::client_state::handshaking);
            fire(ss::client_trigger::handshake_accepted);
            break;
        case ss::client_state::connected:
            reach(ss::client_state::connecting);
            fire(ss::client_trigger::connect_accepted);
            break;
        case ss::client_state::disconnected:
            reach(ss::client_state::connected);
            fire(ss::client_trigger::stop);
            break;
        }
        ASSERT_EQ(c.state(), s);
    }
};

TEST(ClientState, EveryPairOfTheTableIsWhatTheClientDoes)
{
    for(auto const from : all_states)
        for(auto const t : all_triggers)
        {
            driver d;
            d.reach(from);
            d.fire(t);
            auto const expected = ss::next_client_state(from, t).value_or(from);
            EXPECT_EQ(d.c.state(), expected) << "from state " << int(from) << " on trigger " << int(t);
        }
}

TEST(ClientState, EveryStateIsReachableAndNoRowIsListedTwice)
{
    for(auto const s : all_states)
    {
        bool reached = s == ss::client_state::unconnected;
        for(auto const& row : ss::client_transitions)
            reached = reached || row.to == s;
        EXPECT_TRUE(reached) << int(s);
    }
    for(auto const& a : ss::client_transitions)
    {
        int rows = 0;
        for(auto const& b : ss::client_transitions)
            rows += a.from == b.from && a.trigger == b.trigger;
        EXPECT_EQ(rows, 1) << int(a.from) << " " << int(a.trigger);
    }
}

TEST(ClientState, ALateHandshakeReplyDoesNotBringBackAClientThatLeft)
{
    driver d;
    d.c.handshake(d.now);
    auto const r = d.connect_request(); // the handshake is on its way
    ASSERT_TRUE(r);
    d.c.disconnect();
    EXPECT_EQ(d.c.state(), ss::client_state::disconnected);
    d.c.receive(r->id, {driver::reply("/meta/handshake", true, "retry")}, d.now);
    EXPECT_EQ(d.c.state(), ss::client_state::disconnected);
    EXPECT_TRUE(d.c.client_id().empty());
    EXPECT_FALSE(d.c.next_request(d.now + 1h));
}

TEST(ClientState, LeavingForgetsTheNextConnect)
{
    driver d;
    d.reach(ss::client_state::connected);
    d.fire(ss::client_trigger::stop); // the connect sent before the disconnect is still out
    ASSERT_TRUE(d.c.next_deadline());
    d.c.on_timer(*d.c.next_deadline()); // and is given up: no connect is due after it
    EXPECT_FALSE(d.c.next_deadline());
    EXPECT_FALSE(d.c.next_request(d.now + 24h));
}

} // namespace
