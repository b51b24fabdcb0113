// Tests of rtnotify/session/client.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/session/client.hpp>

#include <rtnotify/bayeux/decode.hpp>

#include "pair.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <string>
#include <vector>

namespace {

using namespace rtnotify_test;
using namespace std::chrono_literals;

std::vector<ss::client_state> states(std::vector<ss::client_event> const& events)
{
    std::vector<ss::client_state> out;
    for(auto const& e : events)
        if(auto const* s = std::get_if<ss::state_changed>(&e))
            out.push_back(s->state);
    return out;
}

std::vector<bx::message> replies(std::vector<ss::client_event> const& events, std::string_view channel)
{
    std::vector<bx::message> out;
    for(auto const& e : events)
        if(auto const* r = std::get_if<ss::replied>(&e); r && r->reply.channel == channel)
            out.push_back(r->reply);
    return out;
}

std::vector<int> data_of(std::vector<bx::message> const& msgs)
{
    std::vector<int> out;
    for(auto const& m : msgs)
        out.push_back(static_cast<int>(m.data->as_int64()));
    return out;
}

/// Two connected clients: `a` subscribed to `channel`, and `b`.
std::pair<std::size_t, std::size_t> two_clients(network& net, std::string channel)
{
    auto const a = net.add_client();
    auto const b = net.add_client();
    net.client(a).subscribe(std::move(channel));
    net.client(a).handshake(net.now);
    net.client(b).handshake(net.now);
    net.pump();
    return {a, b};
}

TEST(SessionClient, LifeCycle)
{
    network net;
    auto const [a, b] = two_clients(net, "/chat/*");
    EXPECT_EQ(states(net.events[a]), (std::vector<ss::client_state>{ss::client_state::handshaking,
                                                                      ss::client_state::connecting,
                                                                      ss::client_state::connected}));
    EXPECT_TRUE(net.client(a).acknowledging());
    EXPECT_EQ(net.client(a).client_id().size(), 26u);
    ASSERT_EQ(replies(net.events[a], "/meta/subscribe").size(), 1u);
    EXPECT_EQ(replies(net.events[a], "/meta/subscribe")[0].successful, true);

    auto const pid = net.client(b).publish("/chat/room", 1);
    net.pump(); // no time passes: the publish releases a's held connect
    EXPECT_EQ(data_of(net.deliveries(a)), std::vector<int>{1});
    auto acks = replies(net.events[b], "/chat/room");
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_EQ(acks[0].id, bx::json::value(pid));
    EXPECT_EQ(acks[0].successful, true);
    EXPECT_TRUE(net.deliveries(b).empty());

    net.client(a).disconnect();
    net.pump();
    EXPECT_EQ(net.client(a).state(), ss::client_state::disconnected);
    EXPECT_FALSE(net.srv->has_session(net.client(a).client_id()));
    EXPECT_FALSE(net.client(a).next_deadline());
    net.advance(10min); // nothing more is sent for a
    EXPECT_EQ(net.client(a).state(), ss::client_state::disconnected);
}

TEST(SessionClient, ServerRestartMeansNewHandshakeAndSubscriptions)
{
    network net;
    auto const [a, b] = two_clients(net, "/news");
    auto const old_id = net.client(a).client_id();

    net.restart_server();
    net.advance(5s); // backoff after the failed connect, then 402 + handshake advice
    EXPECT_EQ(net.client(a).state(), ss::client_state::connected);
    EXPECT_NE(net.client(a).client_id(), old_id);
    EXPECT_TRUE(net.srv->has_session(net.client(a).client_id()));
    EXPECT_EQ(net.client(b).state(), ss::client_state::connected);

    net.client(b).publish("/news", 7);
    net.pump();
    EXPECT_EQ(data_of(net.deliveries(a)), std::vector<int>{7});
}

TEST(SessionClient, AckedDeliveryExactlyOnceDespiteLoss)
{
    network net;
    auto const [a, b] = two_clients(net, "/n");
    net.lose_reply = 0.4;
    for(int i = 0; i < 200; ++i)
    {
        net.client(b).publish("/n", i);
        net.pump();
        net.advance(100ms);
    }
    net.lose_reply = 0;
    net.advance(2min);
    // b's publishes whose acks were lost may or may not have arrived; those that did, arrive once, in order
    std::vector<int> published;
    for(auto const& e : net.server_events)
        if(auto const* p = std::get_if<ss::published>(&e))
            published.push_back(static_cast<int>(p->message->data->as_int64()));
    EXPECT_GT(published.size(), 100u);
    EXPECT_EQ(data_of(net.deliveries(a)), published);
}

TEST(SessionClient, BacksOffWhileTheServerIsUnreachable)
{
    network net;
    ss::client_options o;
    o.backoff_increment = 1000ms;
    o.max_backoff = 5000ms;
    auto const a = net.add_client(o);
    net.lose_request = 1;
    net.client(a).handshake(net.now);
    net.pump();
    EXPECT_EQ(net.client(a).backoff(), 1000ms);
    std::vector<ss::duration> waits;
    for(int i = 0; i < 7; ++i)
    {
        auto const due = net.client(a).next_deadline();
        ASSERT_TRUE(due);
        waits.push_back(std::chrono::duration_cast<ss::duration>(*due - net.now));
        net.advance(waits.back());
    }
    EXPECT_EQ(waits, (std::vector<ss::duration>{1000ms, 2000ms, 3000ms, 4000ms, 5000ms, 5000ms, 5000ms}));
    EXPECT_EQ(net.client(a).state(), ss::client_state::handshaking);
    net.lose_request = 0;
    net.advance(5s);
    EXPECT_EQ(net.client(a).state(), ss::client_state::connected);
    EXPECT_EQ(net.client(a).backoff(), 0ms);
}

TEST(SessionClient, ObeysReconnectNone)
{
    ss::server_options so;
    so.policy.authenticate = [](bx::message const&, ss::handshake_credentials const&, ss::time_point) {
        return std::optional<std::string>();
    };
    network net(so);
    auto const a = net.add_client();
    net.client(a).handshake(net.now);
    net.pump();
    EXPECT_EQ(net.client(a).state(), ss::client_state::disconnected);
    auto hs = replies(net.events[a], "/meta/handshake");
    ASSERT_EQ(hs.size(), 1u);
    EXPECT_EQ(hs[0].error, "403::handshake_denied");
    EXPECT_FALSE(net.client(a).next_deadline());
}

TEST(SessionClient, AdviceBeyondMaxAdviceIsTakenAsIt)
{
    ss::client c;
    ss::time_point const now{};
    c.handshake(now);
    auto const r = c.next_request(now);
    ASSERT_TRUE(r);
    bx::message reply;
    reply.channel = "/meta/handshake";
    reply.successful = true;
    reply.client_id = "c1";
    reply.advice.emplace();
    reply.advice->reconnect = "retry";
    reply.advice->interval = std::numeric_limits<std::int64_t>::max(); // a hostile server
    reply.advice->timeout = std::numeric_limits<std::int64_t>::max();
    c.receive(r->id, {reply}, now);
    EXPECT_EQ(c.next_deadline(), now + ss::client_options{}.max_advice);
    auto const connect = c.next_request(now + 24h);
    ASSERT_TRUE(connect);
    // the connect is given the bounded hold, plus the network delay
    EXPECT_EQ(c.next_deadline(), now + 24h + 24h + ss::client_options{}.max_network_delay);
}

TEST(SessionClient, ExpiredSessionHandshakesAgain)
{
    network net;
    auto const a = net.add_client();
    net.client(a).subscribe("/x");
    net.client(a).handshake(net.now);
    net.pump();
    auto const old_id = net.client(a).client_id();
    // the held connect's reply is lost and the network stays down past max_interval
    net.lose_request = 1;
    net.advance(40s);
    EXPECT_FALSE(net.srv->has_session(old_id));
    net.lose_request = 0;
    net.advance(1min);
    EXPECT_EQ(net.client(a).state(), ss::client_state::connected);
    EXPECT_NE(net.client(a).client_id(), old_id);
    EXPECT_EQ(replies(net.events[a], "/meta/subscribe").back().successful, true);
}

TEST(SessionClient, ReportsOverflow)
{
    ss::server_options so;
    so.max_queue = 2;
    network net(so);
    auto const a = net.add_client();
    net.client(a).subscribe("/n");
    net.client(a).handshake(net.now);
    net.pump();
    net.lose_request = 1; // a cannot connect for a while
    net.advance(1500ms);
    for(int i = 0; i < 5; ++i)
        net.publish("/n", i);
    net.lose_request = 0;
    net.advance(30s);
    std::uint64_t lost = 0;
    for(auto const& e : net.events[a])
        if(auto const* l = std::get_if<ss::deliveries_lost>(&e))
            lost += l->dropped;
    // 0 released the held connect; 1 and 2 were dropped to make room for 3 and 4
    EXPECT_EQ(lost, 2u);
    EXPECT_EQ(data_of(net.deliveries(a)), (std::vector<int>{0, 3, 4}));
}

TEST(SessionClient, RequestsThatFailAtOnceAreSentAgainAfterAGrowingWait)
{
    // a transport that fails every request at once (no file descriptor, a refused connection) must not spin
    ss::client_options o;
    o.backoff_increment = 1000ms;
    o.max_backoff = 2500ms;
    ss::client c(o);
    auto t = ss::time_point{} + 1h;
    c.subscribe("/a");
    c.handshake(t);
    auto const hs = c.next_request(t);
    ASSERT_TRUE(hs);
    auto reply = bx::decode(R"([{"channel":"/meta/handshake","successful":true,"clientId":"c1","version":"1.0",)"
                            R"("supportedConnectionTypes":["long-polling"]}])");
    ASSERT_TRUE(reply);
    c.receive(hs->id, std::move(*reply), t);
    auto const connect = c.next_request(t); // the connect lane stays busy
    ASSERT_TRUE(connect && connect->connect_lane);
    std::vector<ss::duration> waits;
    for(int i = 0; i < 4; ++i)
    {
        auto const r = c.next_request(t);
        ASSERT_TRUE(r && !r->connect_lane);
        EXPECT_EQ(r->messages.at(0).channel, "/meta/subscribe");
        c.fail(r->id, t);
        EXPECT_FALSE(c.next_request(t)) << "sent again at once";
        auto const due = c.next_deadline();
        ASSERT_TRUE(due);
        waits.push_back(std::chrono::duration_cast<ss::duration>(*due - t));
        t = *due;
    }
    EXPECT_EQ(waits, (std::vector<ss::duration>{1000ms, 2000ms, 2500ms, 2500ms}));
    // an answer ends the waiting: the next failure waits the first step again
    auto const r = c.next_request(t);
    ASSERT_TRUE(r);
    auto ok = bx::decode(std::string(R"([{"channel":"/meta/subscribe","successful":true,"subscription":"/a","id":")") +
                         r->messages.at(0).id->as_string().c_str() + R"("}])");
    ASSERT_TRUE(ok);
    c.receive(r->id, std::move(*ok), t);
    c.publish("/a", 1);
    auto const p = c.next_request(t);
    ASSERT_TRUE(p);
    c.fail(p->id, t);
    c.unsubscribe("/a");
    EXPECT_EQ(c.next_deadline(), t + 1000ms);
}

TEST(SessionClient, FailedPublishIsReported)
{
    network net;
    auto const a = net.add_client();
    net.client(a).handshake(net.now);
    net.pump();
    net.lose_reply = 1;
    auto const id = net.client(a).publish("/p", 1);
    net.pump();
    net.lose_reply = 0;
    bool reported = false;
    for(auto const& e : net.events[a])
        if(auto const* f = std::get_if<ss::publish_failed>(&e))
            reported = f->message.id == bx::json::value(id);
    EXPECT_TRUE(reported);
}

} // namespace
