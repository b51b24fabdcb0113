// Tests of the server's session transition table: each row, fired by each input through session::server.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/session/session_state.hpp>

#include "harness.hpp"

#include <functional>
#include <string>
#include <vector>

namespace {

using namespace rtnotify_test;
using namespace std::chrono_literals;

/// A session brought to a state, on a server the test drives.
struct walk : server_fixture
{
    std::string id = handshake();
    ss::exchange_id held = 0; ///< the exchange of the held connect, in `holding`

    /// Brings the session from `handshaken` to `s` along the table's rows.
    void reach(ss::session_state s)
    {
        if(s == ss::session_state::handshaken)
            return;
        call(subscribe(id, R"(["/a"])"));
        call(connect(id)); // the first connect is answered at once
        if(s == ss::session_state::holding)
        {
            held = post(connect(id));
            EXPECT_FALSE(response(held));
        }
        ASSERT_EQ(srv.state_of(id), s);
    }
};

/// One way the server fires a trigger, as a peer, the transport, the clock or the application would.
struct input
{
    char const* name;
    ss::session_trigger trigger;
    std::function<void(walk&)> act;
};

std::vector<input> inputs()
{
    return {
        {"a connect with a reply", ss::session_trigger::connect_answered,
         [](walk& w) { w.call(w.connect(w.id, R"("advice":{"timeout":0})")); }},
        {"a connect in a batch", ss::session_trigger::connect_answered,
         [](walk& w) { w.call("[" + w.connect(w.id) + "," + w.publish(w.id, "/b") + "]"); }},
        {"a connect alone", ss::session_trigger::connect_held, [](walk& w) { w.held = w.post(w.connect(w.id)); }},
        {"a delivery", ss::session_trigger::hold_ended,
         [](walk& w) {
             bx::message m;
             m.channel = "/a";
             m.data = 1;
             w.srv.publish(std::move(m), w.now);
             EXPECT_TRUE(w.response(w.held));
         }},
        {"the end of the hold", ss::session_trigger::hold_ended,
         [](walk& w) {
             w.now = *w.srv.next_deadline();
             w.srv.on_timer(w.now);
             EXPECT_TRUE(w.response(w.held));
         }},
        {"the loss of its exchange", ss::session_trigger::hold_ended,
         [](walk& w) { w.srv.close_exchange(w.held, w.now); }},
        {"a shutdown", ss::session_trigger::hold_ended,
         [](walk& w) {
             w.srv.release_held(w.now);
             EXPECT_TRUE(w.response(w.held));
         }},
        {"a disconnect", ss::session_trigger::close,
         [](walk& w) { w.call(R"({"channel":"/meta/disconnect","clientId":")" + w.id + "\"}"); }},
        {"the expiry", ss::session_trigger::close,
         [](walk& w) {
             w.now += 1h;
             w.srv.on_timer(w.now);
         }},
        {"the application", ss::session_trigger::close, [](walk& w) { w.srv.close(w.id, w.now); }},
    };
}

TEST(SessionState, EveryRowIsWhatTheServerDoes)
{
    for(auto const& row : ss::session_transitions)
    {
        int fired = 0;
        for(auto const& in : inputs())
        {
            if(in.trigger != row.trigger)
                continue;
            walk w;
            w.reach(row.from);
            in.act(w);
            EXPECT_EQ(w.srv.state_of(w.id), row.to) << in.name << " from state " << int(row.from);
            ++fired;
        }
        EXPECT_NE(fired, 0) << "no input fires trigger " << int(row.trigger);
    }
}

TEST(SessionState, AHeldConnectIsAnsweredBeforeItsSessionMovesOn)
{
    // no row leaves `holding` but `hold_ended`: a new connect and a close end the hold first
    walk w;
    w.reach(ss::session_state::holding);
    auto const next = w.post(w.connect(w.id));
    EXPECT_TRUE(w.response(w.held)); // answered at once, with advice retry
    EXPECT_FALSE(w.response(next));
    EXPECT_EQ(w.srv.state_of(w.id), ss::session_state::holding);

    w.srv.close(w.id, w.now);
    auto const last = w.response(next);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->at(0).advice->reconnect, "handshake");
    EXPECT_EQ(w.srv.state_of(w.id), ss::session_state::closed);
}

TEST(SessionState, TheDeadlineFollowsTheState)
{
    ss::server_options o;
    walk w;
    w.reach(ss::session_state::connected);
    auto const expiry = w.now + o.interval + o.max_interval;
    EXPECT_EQ(w.srv.next_deadline(), expiry);
    w.held = w.post(w.connect(w.id));
    EXPECT_EQ(w.srv.next_deadline(), w.now + o.timeout); // the end of the hold
    w.srv.close_exchange(w.held, w.now);
    EXPECT_EQ(w.srv.next_deadline(), expiry); // the expiry again
    w.srv.close(w.id, w.now);
    EXPECT_FALSE(w.srv.next_deadline());
}

} // namespace
