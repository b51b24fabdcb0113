// Tests of rtnotify/session/device.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/session/device.hpp>

#include "device_link.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace {

using namespace rtnotify_test;
using namespace std::chrono_literals;
using ds = ss::device_state;

ss::device_options alarms_device(std::string channel = "/dev1")
{
    ss::device_options o;
    o.xid = "alarms";
    o.channels = {std::move(channel)};
    return o;
}

/// A link with one device started on it, every body the device posts recorded in `bodies`.
struct one_device
{
    device_link link;
    std::vector<std::string> bodies;
    std::size_t d = 0;

    explicit one_device(ss::device_options o = alarms_device(), ss::server_options so = {}) : link(std::move(so))
    {
        link.on_request = [this](std::size_t, std::string const& body) { bodies.push_back(body); };
        d = link.add_device(std::move(o));
        link.device(d).start(link.now);
        link.pump();
    }

    ss::device& device() { return link.device(d); }
};

/// The errors device `i` reported.
std::vector<std::string> device_errors(device_link const& link, std::size_t i)
{
    std::vector<std::string> out;
    for(auto const& e : link.events[i])
        if(auto const* d = std::get_if<ss::device_error>(&e))
            out.push_back(d->what);
    return out;
}

TEST(SessionDevice, HandshakesSubscribesAndLongPollsForRows)
{
    one_device f;
    auto& [link, bodies, d] = f;
    EXPECT_EQ(link.states(d), (std::vector<ds>{ds::handshaking, ds::subscribing, ds::connected}));
    auto const& id = f.device().client_id();
    ASSERT_FALSE(id.empty());
    // the first connect comes back at once (as in Bayeux); the next one is held
    ASSERT_GE(bodies.size(), 4u);
    EXPECT_EQ(bodies[0], "80\n");
    EXPECT_EQ(bodies[1], "81," + id + ",/dev1\n");
    EXPECT_EQ(bodies[2], "83," + id + "\n");
    EXPECT_EQ(bodies.back(), "83," + id + "\n");

    link.publish("/dev1", alarm_notification("7"));
    link.publish("/other", alarm_notification("8"));
    link.publish("/dev1", alarm_notification("9", "MINOR"));
    EXPECT_EQ(link.rows(d), (std::vector<std::string>{"alarms:102,7,MAJOR", "alarms:102,9,MINOR"}));
    EXPECT_TRUE(device_errors(link, d).empty());
}

TEST(SessionDevice, ExtraXidsArriveAsGroupsNamedByTheirLabels)
{
    auto o = alarms_device();
    o.extra_xids = {"ops"};
    one_device f(o);
    auto& [link, bodies, d] = f;
    link.publish("/dev1", R"({"realtimeAction":"CREATE","data":{"id":"5","c8y_Restart":{},"severity":"MAJOR"}})");
    EXPECT_EQ(link.rows(d), (std::vector<std::string>{"alarms:102,5,MAJOR", "ops:811,5"}));
}

TEST(SessionDevice, ObeysTheAdvisedHoldAndInterval)
{
    ss::server_options so;
    so.timeout = 5s;
    so.interval = 2s;
    device_link link(so);
    std::vector<ss::time_point> connects;
    link.on_request = [&](std::size_t, std::string const& body) {
        if(body.starts_with("83"))
            connects.push_back(link.now);
    };
    auto const d = link.add_device(alarms_device());
    link.device(d).start(link.now);
    link.pump();
    link.advance(20s);
    // each connect is held 5 s, and the next one follows 2 s after its reply
    ASSERT_GE(connects.size(), 3u);
    for(std::size_t i = 2; i < connects.size(); ++i)
        EXPECT_EQ(connects[i] - connects[i - 1], 7s) << i;
    // a request is given up after the advised hold and the network delay
    ss::device_options o = alarms_device();
    ss::device lone(o);
    lone.start({});
    auto const r = lone.next_request({});
    ASSERT_TRUE(r);
    EXPECT_EQ(lone.next_deadline(), ss::time_point{} + o.max_network_delay);
}

TEST(SessionDevice, AdviceNoneStopsAndHandshakeStartsOver)
{
    ss::device dev(alarms_device());
    ss::time_point now{};
    dev.start(now);
    auto r = dev.next_request(now);
    dev.receive(r->id, "c1\n", now);
    r = dev.next_request(now);
    EXPECT_EQ(r->body, "81,c1,/dev1\n");
    dev.receive(r->id, "", now);
    r = dev.next_request(now);
    EXPECT_EQ(r->body, "83,c1\n");
    EXPECT_TRUE(r->long_poll);
    // the server forgot the client: handshake, then subscribe again
    dev.receive(r->id, "86,,,0,handshake\n45,1,402:c1:Unknown client ID\n", now);
    EXPECT_EQ(dev.state(), ds::handshaking);
    EXPECT_TRUE(dev.client_id().empty());
    r = dev.next_request(now);
    EXPECT_EQ(r->body, "80\n");
    dev.receive(r->id, "c2\n", now);
    r = dev.next_request(now);
    EXPECT_EQ(r->body, "81,c2,/dev1\n");
    // an unknown client id without advice starts over too
    dev.receive(r->id, "45,1,402:c2:Unknown client ID\n", now);
    EXPECT_EQ(dev.state(), ds::handshaking);
    r = dev.next_request(now);
    dev.receive(r->id, "c3\n", now);
    EXPECT_EQ(dev.next_request(now)->body, "81,c3,/dev1\n");
    dev.receive(r->id + 1, "86,,1000,5000,none\n", now);
    EXPECT_EQ(dev.state(), ds::disconnected);
    EXPECT_FALSE(dev.next_request(now + 1h));
    EXPECT_FALSE(dev.next_deadline());
}

TEST(SessionDevice, AHandshakeAdviceAppliesToItsResponseOnly)
{
    ss::device dev(alarms_device());
    ss::time_point now{};
    dev.start(now);
    for(auto const* reply : {"c1\n", "", "86,,,0,handshake\n", "c2\n", ""})
        dev.receive(dev.next_request(now)->id, reply, now);
    // connects of the new session without advice go on, one after another
    for(int i = 0; i < 3; ++i)
    {
        auto const r = dev.next_request(now);
        ASSERT_TRUE(r) << i;
        EXPECT_EQ(r->body, "83,c2\n");
        dev.receive(r->id, "", now);
    }
}

TEST(SessionDevice, AdviceBeyondMaxAdviceIsTakenAsIt)
{
    ss::device dev(alarms_device());
    ss::time_point const now{};
    dev.start(now);
    dev.receive(dev.next_request(now)->id, "c1\n", now);
    dev.receive(dev.next_request(now)->id, "", now);
    // a hostile server: times past what a clock holds (the largest is past int64 milliseconds too)
    dev.receive(dev.next_request(now)->id, "86,,18446744073709551615,9223372036854775807,retry\n", now);
    auto const day = ss::device_options{}.max_advice;
    EXPECT_EQ(dev.next_deadline(), now + day);
    EXPECT_FALSE(dev.next_request(now + day - 1ms));
    ASSERT_TRUE(dev.next_request(now + day));
    EXPECT_EQ(dev.next_deadline(), now + day + day + ss::device_options{}.max_network_delay);
}

TEST(SessionDevice, AClientIdIsQuotedWhereItMustBe)
{
    ss::device dev(alarms_device());
    ss::time_point now{};
    dev.start(now);
    dev.receive(dev.next_request(now)->id, "\"a,b \"\n", now); // the server's bytes: a comma and a trailing space
    EXPECT_EQ(dev.client_id(), "a,b ");
    auto r = dev.next_request(now);
    EXPECT_EQ(r->body, "81,\"a,b \",/dev1\n");
    dev.receive(r->id, "", now);
    EXPECT_EQ(dev.next_request(now)->body, "83,\"a,b \"\n");
}

TEST(SessionDevice, BacksOffAfterFailuresAndTriesTheSameStepAgain)
{
    auto o = alarms_device();
    o.backoff_increment = 1s;
    o.max_backoff = 3s;
    ss::device dev(o);
    ss::time_point now{};
    dev.start(now);
    for(auto const wait : {1s, 2s, 3s, 3s})
    {
        auto const r = dev.next_request(now);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->body, "80\n");
        dev.fail(r->id, now);
        EXPECT_EQ(dev.backoff(), wait);
        EXPECT_FALSE(dev.next_request(now + wait - 1ms));
        now += wait;
    }
    // a malformed response is a failure too, and says what was wrong
    auto r = dev.next_request(now);
    dev.receive(r->id, "\"unterminated\n", now);
    EXPECT_EQ(dev.state(), ds::handshaking);
    auto const events = dev.take_events();
    ASSERT_FALSE(events.empty());
    auto const* e = std::get_if<ss::device_error>(&events.back());
    ASSERT_NE(e, nullptr);
    EXPECT_NE(e->what.find("malformed response"), std::string::npos) << e->what;
    // success resets the back-off
    now += 3s;
    r = dev.next_request(now);
    dev.receive(r->id, "c1\n", now);
    EXPECT_EQ(dev.backoff(), 0ms);
    // an error line refuses the step: it is tried again after the back-off
    r = dev.next_request(now);
    dev.receive(r->id, "40,1,No template for this X-ID.\n", now);
    EXPECT_EQ(dev.state(), ds::subscribing);
    EXPECT_EQ(dev.backoff(), 1s);
    EXPECT_EQ(dev.next_request(now + 1s)->body, "81,c1,/dev1\n");
}

TEST(SessionDevice, AReliableDeviceAcknowledgesBatchesAndSkipsOneSeenTwice)
{
    auto o = alarms_device();
    o.reliable = true;
    ss::device dev(o);
    ss::time_point now{};
    dev.start(now);
    auto r = dev.next_request(now);
    EXPECT_EQ(r->body, "80,true\n");
    dev.receive(r->id, "c1\n", now);
    dev.receive(dev.next_request(now)->id, "", now);
    r = dev.next_request(now);
    EXPECT_EQ(r->body, "83,c1\n");
    dev.receive(r->id, "88,1\n86,,100,0,retry\n102,1,7,MAJOR\n", now);
    r = dev.next_request(now);
    EXPECT_EQ(r->body, "83,c1,1\n");
    EXPECT_EQ(dev.last_batch(), 1u);
    // the acknowledgement was lost: the server sends batch 1 again
    dev.receive(r->id, "88,1\n86,,100,0,retry\n102,1,7,MAJOR\n", now);
    r = dev.next_request(now);
    dev.receive(r->id, "88,2\n86,,100,0,retry\n102,1,8,MAJOR\n", now);
    std::vector<std::string> ids;
    for(auto const& e : dev.take_events())
        if(auto const* rows = std::get_if<ss::rows_received>(&e))
            for(auto const& row : rows->group.rows)
                ids.push_back(row.values.at(0));
    EXPECT_EQ(ids, (std::vector<std::string>{"7", "8"}));
    EXPECT_EQ(dev.next_request(now)->body, "83,c1,2\n");
}

TEST(SessionDevice, ComesBackAfterAServerRestart)
{
    ss::server_options so;
    so.timeout = 5s;
    one_device f(alarms_device(), so);
    auto& [link, bodies, d] = f;
    auto const first = f.device().client_id();
    link.publish("/dev1", alarm_notification("1"));
    link.restart_server();
    link.advance(30s); // the failed connect backs off, then the server says the client is unknown
    EXPECT_EQ(link.device(d).state(), ds::connected);
    EXPECT_NE(link.device(d).client_id(), first);
    link.publish("/dev1", alarm_notification("2"));
    EXPECT_EQ(link.rows(d), (std::vector<std::string>{"alarms:102,1,MAJOR", "alarms:102,2,MAJOR"}));
}

TEST(SessionDevice, DisconnectGivesUpTheHeldConnectAndSends84)
{
    one_device f;
    auto& [link, bodies, d] = f;
    auto const id = f.device().client_id();
    link.device(d).disconnect();
    link.pump();
    EXPECT_EQ(bodies.back(), "84," + id + "\n");
    EXPECT_EQ(link.device(d).state(), ds::disconnected);
    EXPECT_FALSE(link.srv->has_session(id));
}

} // namespace
