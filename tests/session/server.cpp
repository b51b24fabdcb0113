// Tests of rtnotify/session/server.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/session/server.hpp>

#include "harness.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>

namespace {

using namespace rtnotify_test;

/// A publish from the application.
bx::message server_message(std::string channel, int data = 0)
{
    bx::message m;
    m.channel = std::move(channel);
    m.data = data;
    return m;
}

TEST(SessionServer, HandshakeNegotiates)
{
    server_fixture f;
    auto r = f.call(R"([{"channel":"/meta/handshake","id":"1","version":"1.0",
                         "supportedConnectionTypes":["websocket","iframe","long-polling"]}])");
    ASSERT_EQ(r.size(), 1u);
    auto const& h = r[0];
    EXPECT_EQ(h.successful, true);
    EXPECT_EQ(h.id, bx::json::value("1"));
    EXPECT_EQ(h.version, "1.0");
    // only the shared types, in the server's order of preference
    EXPECT_EQ(h.supported_connection_types, (std::vector<std::string>{"long-polling", "websocket"}));
    EXPECT_EQ(reconnect(h), "retry");
    ASSERT_TRUE(h.client_id);
    EXPECT_EQ(h.client_id->size(), 26u);
    EXPECT_TRUE(std::all_of(h.client_id->begin(), h.client_id->end(), [](unsigned char c) { return std::isalnum(c); }));
    EXPECT_TRUE(f.srv.has_session(*h.client_id));

    std::set<std::string> ids;
    for(int i = 0; i < 200; ++i)
        ids.insert(f.handshake());
    EXPECT_EQ(ids.size(), 200u);
}

TEST(SessionServer, HandshakeRefusals)
{
    server_fixture f;
    auto no_common = f.call(R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["flash","iframe"]})");
    EXPECT_EQ(no_common.at(0).successful, false);
    EXPECT_EQ(err(no_common[0]), "301:flash,iframe:Connection types not supported");
    EXPECT_EQ(reconnect(no_common[0]), "none");
    EXPECT_FALSE(no_common[0].client_id);
    EXPECT_EQ(no_common[0].supported_connection_types, f.srv.options().connection_types);

    auto old = f.call(R"({"channel":"/meta/handshake","version":"0.9","supportedConnectionTypes":["long-polling"]})");
    EXPECT_EQ(err(old.at(0)), "300:0.9:Version mismatch");
    auto too_new = f.call(R"({"channel":"/meta/handshake","version":"2.0","minimumVersion":"1.1",
                              "supportedConnectionTypes":["long-polling"]})");
    EXPECT_EQ(err(too_new.at(0)), "300:2.0:Version mismatch");
    for(auto const* bad : {"x.y!", "1..0", "", "1.0.", ".1", "1.-a"}) // outside the spec's version grammar
    {
        auto r = f.call(std::string(R"({"channel":"/meta/handshake","supportedConnectionTypes":["long-polling"],"version":")") +
                        bad + "\"}");
        EXPECT_EQ(r.at(0).successful, false) << bad;
    }
    for(auto const* good : {"1.0", "1", "1.0.beta-2_x", "01.0"})
    {
        auto r = f.call(std::string(R"({"channel":"/meta/handshake","supportedConnectionTypes":["long-polling"],"version":")") +
                        good + "\"}");
        EXPECT_EQ(r.at(0).successful, true) << good;
    }
    auto newer_ok = f.call(R"({"channel":"/meta/handshake","version":"1.10","minimumVersion":"1.0",
                               "supportedConnectionTypes":["long-polling"]})");
    EXPECT_EQ(newer_ok.at(0).successful, true);

    auto missing = f.call(R"({"channel":"/meta/handshake","supportedConnectionTypes":["long-polling"]})");
    EXPECT_EQ(err(missing.at(0)), "402:version:Missing required parameter");
    EXPECT_EQ(reconnect(missing[0]), "none");
    EXPECT_EQ(f.srv.session_count(), 5u); // 1.10 and the four good spellings
}

TEST(SessionServer, HandshakeAloneInItsBatch)
{
    server_fixture f;
    auto r = f.call(R"([{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]},
                        {"channel":"/a","data":1,"id":"7"}])");
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].successful, true);
    EXPECT_EQ(r[1].channel, "/a");
    EXPECT_EQ(r[1].id, bx::json::value("7"));
    EXPECT_EQ(r[1].successful, false);
    EXPECT_EQ(err(r[1]).substr(0, 4), "400:");
    EXPECT_TRUE(f.published.empty());
}

TEST(SessionServer, MaxSessions)
{
    ss::server_options o;
    o.max_sessions = 2;
    server_fixture f(o);
    f.handshake();
    f.handshake();
    auto r = f.call(R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]})");
    EXPECT_EQ(err(r.at(0)), "500::Too many sessions");
    EXPECT_EQ(reconnect(r[0]), "handshake");
}

TEST(SessionServer, SessionsAreCountedPerOwner)
{
    ss::server_options o;
    o.max_sessions_per_owner = 2;
    server_fixture f(o);
    auto const hs = R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]})";
    auto handshake_from = [&](std::string_view owner) {
        auto const ex = f.next_exchange++;
        f.srv.receive(ex, batch(hs), f.now, ss::exchange_kind::request, owner);
        return f.response(ex).value().at(0);
    };
    auto const a1 = handshake_from("192.0.2.1");
    EXPECT_EQ(handshake_from("192.0.2.1").successful, true);
    auto const refused = handshake_from("192.0.2.1");
    EXPECT_EQ(err(refused), "500::Too many sessions from this address");
    EXPECT_EQ(reconnect(refused), "handshake");
    EXPECT_EQ(handshake_from("192.0.2.2").successful, true) << "another address is not concerned";
    EXPECT_EQ(handshake_from("").successful, true) << "no owner: not counted";
    // a session that ends frees its place
    f.call(std::string(R"({"channel":"/meta/disconnect","clientId":")") + *a1.client_id + "\"}");
    EXPECT_EQ(handshake_from("192.0.2.1").successful, true);
    EXPECT_EQ(f.srv.session_count(), 4u);
}

TEST(SessionServer, EnginesSharingOwnerCountsHoldTheLimitTogether)
{
    ss::server_options o;
    o.max_sessions_per_owner = 2;
    o.owner_counts = std::make_shared<ss::address_counts>();
    auto a = std::make_unique<server_fixture>(o);
    auto b = std::make_unique<server_fixture>(o);
    auto const hs = R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]})";
    auto handshake_on = [&](server_fixture& f) {
        auto const ex = f.next_exchange++;
        f.srv.receive(ex, batch(hs), f.now, ss::exchange_kind::request, "192.0.2.1");
        return f.response(ex).value().at(0);
    };
    auto const on_a = handshake_on(*a);
    EXPECT_EQ(on_a.successful, true);
    EXPECT_EQ(handshake_on(*b).successful, true);
    EXPECT_EQ(err(handshake_on(*a)), "500::Too many sessions from this address") << "one session on each engine";
    EXPECT_EQ(err(handshake_on(*b)), "500::Too many sessions from this address");
    a->call(std::string(R"({"channel":"/meta/disconnect","clientId":")") + *on_a.client_id + "\"}");
    EXPECT_EQ(handshake_on(*b).successful, true) << "a session ended on one engine frees a place on the other";
    EXPECT_EQ(err(handshake_on(*a)), "500::Too many sessions from this address");
    EXPECT_EQ(o.owner_counts->count("192.0.2.1"), 2u);
    b.reset();
    EXPECT_EQ(o.owner_counts->count("192.0.2.1"), 0u) << "an engine that goes takes its sessions out of the count";
    EXPECT_EQ(handshake_on(*a).successful, true);
}

TEST(SessionServer, FirstConnectAtOnceLaterOnesHeld)
{
    server_fixture f;
    auto const id = f.handshake();
    auto first = f.call(f.connect(id, R"("id":"2")"));
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].successful, true);
    EXPECT_EQ(first[0].id, bx::json::value("2"));
    EXPECT_EQ(first[0].advice->timeout, 20000);

    auto const held = f.post(f.connect(id));
    EXPECT_FALSE(f.response(held));
    EXPECT_EQ(f.srv.next_deadline(), f.now + 20s);
    f.advance_to(f.now + 19999ms);
    EXPECT_FALSE(f.response(held));
    f.advance_to(f.now + 1ms);
    auto r = f.response(held);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->at(0).successful, true);
    EXPECT_EQ(reconnect(r->at(0)), "retry");
    // the session now waits for the next connect: expiry after interval + max_interval
    EXPECT_EQ(f.srv.next_deadline(), f.now + 10s);
}

TEST(SessionServer, ClientTimeoutAdviceHonouredAndBounded)
{
    server_fixture f;
    auto const id = f.handshake();
    f.call(f.connect(id));
    auto immediate = f.call(f.connect(id, R"("advice":{"timeout":0})"));
    EXPECT_EQ(immediate.at(0).successful, true);
    auto const held = f.post(f.connect(id, R"("advice":{"timeout":1500})"));
    EXPECT_EQ(f.srv.next_deadline(), f.now + 1500ms);
    f.advance_to(f.now + 1500ms);
    EXPECT_TRUE(f.response(held));
    f.post(f.connect(id, R"("advice":{"timeout":999999999})"));
    EXPECT_EQ(f.srv.next_deadline(), f.now + 60s);
}

TEST(SessionServer, ConnectBatchedWithOthersIsNotHeld)
{
    server_fixture f;
    auto const id = f.handshake();
    f.call(f.connect(id));
    auto r = f.call("[" + f.connect(id) + "," + f.subscribe(id, R"("/a")") + "]");
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].channel, "/meta/connect");
    EXPECT_EQ(r[1].channel, "/meta/subscribe");
}

TEST(SessionServer, PublishReleasesHeldConnect)
{
    server_fixture f;
    auto const a = f.handshake();
    auto const b = f.handshake();
    f.call(f.subscribe(a, R"(["/chat/*","/x"])"));
    f.call(f.connect(a));
    auto const held = f.post(f.connect(a));
    EXPECT_FALSE(f.response(held));

    auto ack = f.call(R"({"channel":"/chat/room","clientId":")" + b +
                      R"(","id":"9","ext":{"secret":1},"data":{"text":"hi"}})");
    ASSERT_EQ(ack.size(), 1u);
    EXPECT_EQ(ack[0].successful, true);
    EXPECT_EQ(ack[0].id, bx::json::value("9"));

    auto r = f.response(held);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0].channel, "/meta/connect");
    auto const& d = (*r)[1];
    EXPECT_EQ(d.channel, "/chat/room");
    EXPECT_EQ(d.data, bx::json::parse(R"({"text":"hi"})"));
    EXPECT_EQ(d.id, bx::json::value("9"));
    EXPECT_FALSE(d.client_id); // never leaks the publisher
    EXPECT_FALSE(d.ext);
    EXPECT_FALSE(d.successful);
    ASSERT_EQ(f.published.size(), 1u);
    EXPECT_EQ(f.published[0].message->channel, "/chat/room");
}

TEST(SessionServer, DeliveriesCarryWhenTheServerTookTheirMessageIn)
{
    server_fixture f;
    auto const a = f.handshake();
    auto const b = f.handshake();
    f.call(f.subscribe(a, R"(["/chat/*"])"));
    f.call(f.connect(a));
    auto const from_client = f.now + std::chrono::seconds(3);
    f.now = from_client;
    f.call(f.publish(b, "/chat/room", "1")); // a has no connect held: it waits in a's queue
    auto const from_application = f.now + std::chrono::seconds(2);
    f.now = from_application;
    EXPECT_FALSE(f.srv.publish(server_message("/chat/room", 2), f.now));
    f.now += std::chrono::seconds(4);
    f.collect();
    f.sends.clear();
    auto const ex = f.post(f.connect(a));
    f.collect();
    ASSERT_EQ(f.sends.size(), 1u);
    auto const& d = f.sends[0].deliveries;
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(f.sends[0].exchange, ex);
    EXPECT_EQ(d[0].what.accepted, from_client);
    EXPECT_EQ(d[1].what.accepted, from_application);
}

TEST(SessionServer, DeliveriesKeepTheBinaryExtensionAndNothingElseOfExt)
{
    server_fixture f;
    auto const a = f.handshake();
    auto const b = f.handshake();
    f.call(f.subscribe(a, R"("/bin")"));
    f.call(f.connect(a));
    f.call(R"({"channel":"/bin","clientId":")" + b +
           R"(","data":{"data":"HelloWorld","last":true},"ext":{"binary":{},"secret":"token"}})");
    auto r = f.call(f.connect(a));
    ASSERT_EQ(r.size(), 2u);
    ASSERT_TRUE(r[1].ext);
    EXPECT_EQ(*r[1].ext, bx::json::parse(R"({"binary":{}})").as_object());
    EXPECT_EQ(r[1].data, bx::json::parse(R"({"data":"HelloWorld","last":true})"));
}

TEST(SessionServer, OwnPublishRidesOnItsReplyWhileTheConnectIsHeld)
{
    ss::server_options o;
    o.max_batch = 2;
    server_fixture f(o);
    auto const a = f.handshake();
    f.call(f.subscribe(a, R"("/chat/*")"));
    f.call(f.connect(a));
    f.srv.publish(server_message("/chat/earlier", 1), f.now); // queued while no connect is held
    auto const held = f.post(f.connect(a)); // answered at once: it carries the queued delivery
    auto first = f.response(held);
    ASSERT_TRUE(first);
    ASSERT_EQ(first->size(), 2u);
    auto const held_again = f.post(f.connect(a));
    EXPECT_FALSE(f.response(held_again));

    auto r = f.call(R"([{"channel":"/chat/room","clientId":")" + a + R"(","id":"p","data":1},)" +
                    R"({"channel":"/chat/room","clientId":")" + a + R"(","id":"q","data":2},)" +
                    R"({"channel":"/chat/room","clientId":")" + a + R"(","id":"r","data":3}])");
    // the two acknowledgements, then at most max_batch deliveries; the rest wakes the connect
    ASSERT_EQ(r.size(), 5u);
    EXPECT_EQ(r[0].id, bx::json::value("p"));
    EXPECT_EQ(r[0].successful, true);
    EXPECT_EQ(r[2].id, bx::json::value("r"));
    EXPECT_EQ(r[3].channel, "/chat/room");
    EXPECT_EQ(r[3].data, bx::json::value(1));
    EXPECT_EQ(r[4].data, bx::json::value(2));
    EXPECT_FALSE(r[3].successful);
    auto rest = f.response(held_again);
    ASSERT_TRUE(rest);
    ASSERT_EQ(rest->size(), 2u);
    EXPECT_EQ((*rest)[0].channel, "/meta/connect");
    EXPECT_EQ((*rest)[1].data, bx::json::value(3));
    EXPECT_EQ(f.srv.pending(a), 0u);

    // everything fits on the reply: the connect stays held
    auto const held_third = f.post(f.connect(a));
    r = f.call(R"({"channel":"/chat/room","clientId":")" + a + R"(","data":4})");
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[1].data, bx::json::value(4));
    EXPECT_FALSE(f.response(held_third));
    EXPECT_EQ(f.srv.state_of(a), ss::session_state::holding);
}

TEST(SessionServer, APublishesReplyNeverCarriesAnotherSessionsDeliveries)
{
    server_fixture f;
    auto const on = [&](std::string const& json, std::string_view browser) {
        auto const ex = f.next_exchange++;
        f.srv.receive(ex, batch(json), f.now, ss::exchange_kind::request, {}, browser);
        return ex;
    };
    auto const hs = R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]})";
    auto const a = f.response(on(hs, "browser-a"))->at(0).client_id.value();
    auto const b = f.response(on(hs, "browser-b"))->at(0).client_id.value();
    f.response(on(f.subscribe(b, R"("/x")"), "browser-b"));
    f.response(on(f.connect(b), "browser-b"));
    auto const held_b = on(f.connect(b), "browser-b");
    f.srv.publish(server_message("/other", 0), f.now); // nothing for b
    // a's batch publishes, then names b (refused: another browser's session); b has a delivery waiting
    auto r = f.response(on("[" + f.publish(a, "/x", "7") + "," + f.subscribe(b, R"("/y")") + "]", "browser-a"));
    ASSERT_TRUE(r);
    EXPECT_TRUE(delivery_channels(*r).empty());
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ(r->at(1).error, "402:" + b + ":Unknown client ID");
    auto delivered = f.response(held_b); // b's delivery woke b's own held connect
    ASSERT_TRUE(delivered);
    EXPECT_EQ(delivery_channels(*delivered), std::vector<std::string>{"/x"});
}

TEST(SessionServer, OwnPublishWaitsForTheConnectWithAcknowledgements)
{
    server_fixture f;
    auto hs = f.call(R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"],"ext":{"ack":true}})");
    auto const id = *hs.at(0).client_id;
    f.call(f.subscribe(id, R"("/n")"));
    f.call(f.connect(id, R"("ext":{"ack":0})"));
    auto const held = f.post(f.connect(id, R"("ext":{"ack":0})"));
    auto r = f.call(R"({"channel":"/n","clientId":")" + id + R"(","data":5})");
    ASSERT_EQ(r.size(), 1u); // the acknowledgement only: batches ride on connect replies
    auto got = f.response(held);
    ASSERT_TRUE(got);
    ASSERT_EQ(got->size(), 2u);
    EXPECT_EQ((*got)[1].data, bx::json::value(5));
}

TEST(SessionServer, SecondConnectCompletesTheFirst)
{
    server_fixture f;
    auto const id = f.handshake();
    f.call(f.connect(id));
    auto const first = f.post(f.connect(id, R"("id":"a")"));
    auto const second = f.post(f.connect(id, R"("id":"b")"));
    auto r1 = f.response(first);
    ASSERT_TRUE(r1);
    EXPECT_EQ(r1->at(0).id, bx::json::value("a"));
    EXPECT_EQ(r1->at(0).successful, true);
    EXPECT_FALSE(f.response(second)); // the new one is held in its place
    f.call(f.publish(f.handshake(), "/z"));
    f.call(f.subscribe(id, R"("/z")"));
    f.call(f.publish(f.handshake(), "/z"));
    auto r2 = f.response(second);
    ASSERT_TRUE(r2);
    EXPECT_EQ(delivery_channels(*r2), std::vector<std::string>{"/z"});
}

TEST(SessionServer, OneHeldConnectPerExchange)
{
    // two sessions on one socket: the second held connect answers the first
    server_fixture f;
    auto const a = f.handshake();
    auto const b = f.handshake();
    ss::exchange_id const socket = 500;
    for(auto const* id : {&a, &b})
    {
        f.srv.receive(socket, batch(f.connect(*id, "", "websocket")), f.now, ss::exchange_kind::socket);
        ASSERT_TRUE(f.response(socket));
    }
    f.srv.receive(socket, batch(f.connect(a, R"("id":"a")", "websocket")), f.now, ss::exchange_kind::socket);
    EXPECT_FALSE(f.response(socket));
    f.srv.receive(socket, batch(f.connect(b, R"("id":"b")", "websocket")), f.now, ss::exchange_kind::socket);
    auto r = f.response(socket);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->at(0).id, bx::json::value("a"));
    EXPECT_FALSE(f.response(socket));
    f.srv.close_exchange(socket, f.now); // b's connect can no longer be answered; a's is gone already
    f.advance_to(f.now + 10s);
    f.collect();
    EXPECT_EQ(f.closed.size(), 2u);
    EXPECT_FALSE(f.response(socket));
}

TEST(SessionServer, ReleaseHeld)
{
    server_fixture f;
    auto const a = f.handshake();
    auto const b = f.handshake();
    f.call(f.connect(a));
    f.call(f.connect(b));
    auto const ea = f.post(f.connect(a));
    auto const eb = f.post(f.connect(b));
    EXPECT_FALSE(f.response(ea));
    f.srv.release_held(f.now);
    for(auto const ex : {ea, eb})
    {
        auto r = f.response(ex);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->at(0).advice.value().reconnect, "retry");
    }
    EXPECT_EQ(f.srv.session_count(), 2u);
    EXPECT_EQ(f.srv.next_deadline(), f.now + 10s);
}

TEST(SessionServer, UnknownClient)
{
    server_fixture f;
    for(auto const& j : {f.connect("nosuch"), f.subscribe("nosuch", R"("/a")"), f.publish("nosuch", "/a"),
                         std::string(R"({"channel":"/meta/disconnect","clientId":"nosuch"})")})
    {
        auto r = f.call(j);
        EXPECT_EQ(r.at(0).successful, false) << j;
        EXPECT_EQ(err(r[0]), "402:nosuch:Unknown client ID") << j;
        EXPECT_EQ(reconnect(r[0]), "handshake") << j;
    }
    // a client id that cannot appear in an error string is left out of it
    auto r = f.call(f.connect("a:b,c"));
    EXPECT_EQ(err(r.at(0)), "402::Unknown client ID");
    auto anonymous = f.call(R"({"channel":"/a","data":1})");
    EXPECT_EQ(err(anonymous.at(0)), "401::No client ID");
}

TEST(SessionServer, SubscribeRules)
{
    ss::server_options o;
    o.max_subscriptions = 3;
    server_fixture f(o);
    auto const id = f.handshake();
    auto ok = f.call(f.subscribe(id, R"(["/a","/b/*","/service/echo"])"));
    EXPECT_EQ(ok.at(0).successful, true);
    EXPECT_TRUE(ok[0].subscription_is_array);
    EXPECT_EQ(ok[0].subscription, (std::vector<std::string>{"/a", "/b/*", "/service/echo"}));

    auto meta = f.call(f.subscribe(id, R"(["/c","/meta/*","/d"])"));
    EXPECT_EQ(meta.at(0).successful, false);
    EXPECT_EQ(err(meta[0]), "403:/meta/*:Forbidden channel");
    auto invalid = f.call(f.subscribe(id, R"("/a/**/b")"));
    EXPECT_EQ(err(invalid.at(0)), "405:/a/**/b:Invalid channel");
    auto limit = f.call(f.subscribe(id, R"("/e")"));
    EXPECT_EQ(err(limit.at(0)), "403:/e:Too many subscriptions");
    EXPECT_EQ(f.call(f.subscribe(id, R"("/a")")).at(0).successful, true); // already there: no new slot

    // /c was applied before /meta/* failed; /d was not; /service/echo is not recorded
    auto const p = f.handshake();
    f.call(f.connect(id));
    for(auto ch : {"/a", "/b/x", "/c", "/d", "/service/echo"})
        f.call(f.publish(p, ch));
    auto r = f.call(f.connect(id));
    EXPECT_EQ(delivery_channels(r), (std::vector<std::string>{"/a", "/b/x", "/c"}));
    ASSERT_EQ(f.services.size(), 1u);
    EXPECT_EQ(f.services[0].client_id, p);
    EXPECT_EQ(f.services[0].message->channel, "/service/echo");

    auto un = f.call(R"({"channel":"/meta/unsubscribe","clientId":")" + id + R"(","subscription":["/a","/never"]})");
    EXPECT_EQ(un.at(0).successful, true);
    f.call(f.publish(p, "/a"));
    EXPECT_TRUE(delivery_channels(f.call(f.connect(id, R"("advice":{"timeout":0})"))).empty());
}

TEST(SessionServer, PublishRules)
{
    server_fixture f;
    auto const id = f.handshake();
    EXPECT_EQ(err(f.call(f.publish(id, "/a/*")).at(0)), "405:/a/*:Invalid channel");
    EXPECT_EQ(err(f.call(f.publish(id, "/meta/foo")).at(0)), "403:/meta/foo:Forbidden channel");
    EXPECT_EQ(err(f.call(R"({"channel":"/a","clientId":")" + id + "\"}").at(0)), "402:data:Missing required parameter");
    EXPECT_TRUE(f.published.empty());
}

TEST(SessionServer, BroadcastToPublisherOption)
{
    for(bool to_self : {true, false})
    {
        ss::server_options o;
        o.broadcast_to_publisher = to_self;
        server_fixture f(o);
        auto const id = f.handshake();
        f.call(f.subscribe(id, R"("/**")"));
        f.call(f.connect(id));
        f.call(f.publish(id, "/a/b"));
        auto r = f.call(f.connect(id, R"("advice":{"timeout":0})"));
        EXPECT_EQ(delivery_channels(r).size(), to_self ? 1u : 0u);
    }
}

TEST(SessionServer, DisconnectReleasesHeldConnect)
{
    server_fixture f;
    auto const id = f.handshake();
    f.call(f.connect(id));
    auto const held = f.post(f.connect(id));
    auto r = f.call(R"({"channel":"/meta/disconnect","clientId":")" + id + R"(","id":"5"})");
    EXPECT_EQ(r.at(0).successful, true);
    EXPECT_EQ(r[0].id, bx::json::value("5"));
    auto h = f.response(held);
    ASSERT_TRUE(h);
    EXPECT_EQ(reconnect(h->at(0)), "none");
    EXPECT_FALSE(f.srv.has_session(id));
    ASSERT_EQ(f.closed.size(), 1u);
    EXPECT_EQ(f.closed[0].reason, ss::close_reason::disconnected);
    EXPECT_FALSE(f.srv.next_deadline());
}

TEST(SessionServer, Expiry)
{
    server_fixture f;
    auto const id = f.handshake();
    f.call(f.subscribe(id, R"("/a")"));
    f.call(f.connect(id));
    f.advance_to(f.now + 9999ms);
    EXPECT_TRUE(f.srv.has_session(id));
    f.call(f.connect(id, R"("advice":{"timeout":0})")); // a connect restarts the clock
    f.advance_to(f.now + 9999ms);
    EXPECT_TRUE(f.srv.has_session(id));
    f.advance_to(f.now + 1ms);
    EXPECT_FALSE(f.srv.has_session(id));
    f.collect();
    ASSERT_EQ(f.closed.size(), 1u);
    EXPECT_EQ(f.closed[0].reason, ss::close_reason::expired);
    EXPECT_EQ(reconnect(f.call(f.connect(id)).at(0)), "handshake");
    // its subscriptions went with it
    EXPECT_FALSE(f.srv.publish(server_message("/a"), f.now));
    f.collect();
    EXPECT_TRUE(f.sends.empty());
}

TEST(SessionServer, QueueOverflowDropOldest)
{
    ss::server_options o;
    o.max_queue = 3;
    server_fixture f(o);
    auto const id = f.handshake();
    f.call(f.subscribe(id, R"("/n")"));
    for(int i = 0; i < 5; ++i)
        f.srv.publish(server_message("/n", i), f.now);
    f.collect();
    ASSERT_EQ(f.overflows.size(), 2u); // one report per publish call that dropped
    EXPECT_EQ(f.overflows[0].client_id, id);
    EXPECT_EQ(f.overflows[0].dropped + f.overflows[1].dropped, 2u);
    auto r = f.call(f.connect(id));
    ASSERT_EQ(r.size(), 4u);
    EXPECT_EQ(r[1].data, bx::json::value(2)); // 0 and 1 were dropped
    EXPECT_EQ(r[3].data, bx::json::value(4));
    EXPECT_EQ(r[0].ext->at(ss::overflow_key), bx::json::value(2));
    // told once
    f.srv.publish(server_message("/n", 5), f.now);
    auto again = f.call(f.connect(id));
    EXPECT_FALSE(again.at(0).ext && again[0].ext->contains(ss::overflow_key));
}

TEST(SessionServer, QueueOverflowOtherPolicies)
{
    ss::server_options o;
    o.max_queue = 2;
    o.overflow = ss::overflow_policy::drop_newest;
    server_fixture newest(o);
    auto const a = newest.handshake();
    newest.call(newest.subscribe(a, R"("/n")"));
    for(int i = 0; i < 4; ++i)
        newest.srv.publish(server_message("/n", i), newest.now);
    auto r = newest.call(newest.connect(a));
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[2].data, bx::json::value(1));
    EXPECT_EQ(r[0].ext->at(ss::overflow_key), bx::json::value(2));

    o.overflow = ss::overflow_policy::close_session;
    server_fixture close(o);
    auto const b = close.handshake();
    auto const other = close.handshake();
    close.call(close.subscribe(b, R"("/n")"));
    close.call(close.subscribe(other, R"("/n")"));
    close.call(close.connect(b));
    close.call(close.connect(other));
    auto const held = close.post(close.connect(other));
    for(int i = 0; i < 3; ++i)
        close.srv.publish(server_message("/n", i), close.now);
    EXPECT_FALSE(close.srv.has_session(b));
    close.collect();
    ASSERT_EQ(close.closed.size(), 1u);
    EXPECT_EQ(close.closed[0].reason, ss::close_reason::overflow);
    ASSERT_EQ(close.overflows.size(), 1u);
    // the other session was not touched: its held connect got the first message
    EXPECT_TRUE(close.srv.has_session(other));
    auto r2 = close.response(held);
    ASSERT_TRUE(r2);
    EXPECT_EQ(delivery_channels(*r2).size(), 1u);
    EXPECT_EQ(close.srv.pending(other), 2u);
}

/// A publish from the application whose data is a string of `n` bytes.
bx::message sized_message(std::string channel, std::size_t n, char fill = 'x')
{
    bx::message m;
    m.channel = std::move(channel);
    m.data = bx::json::string(std::string(n, fill));
    return m;
}

TEST(SessionServer, QueuesAreBoundedInBytes)
{
    ss::server_options o;
    o.max_queue_bytes = 1000; // each delivery below weighs 300 bytes and a little JSON
    server_fixture f(o);
    auto const id = f.handshake();
    f.call(f.subscribe(id, R"("/n")"));
    for(char c : {'a', 'b', 'c', 'd'})
        f.srv.publish(sized_message("/n", 300, c), f.now);
    f.collect();
    ASSERT_EQ(f.overflows.size(), 1u); // the fourth does not fit: the oldest makes room
    EXPECT_EQ(f.overflows[0].dropped, 1u);
    EXPECT_EQ(f.srv.pending(id), 3u);
    // one larger than the whole budget is dropped itself, whatever the policy
    f.srv.publish(sized_message("/n", 2000), f.now);
    f.collect();
    ASSERT_EQ(f.overflows.size(), 2u);
    EXPECT_EQ(f.srv.pending(id), 3u);
    auto r = f.call(f.connect(id));
    ASSERT_EQ(r.size(), 4u);
    EXPECT_EQ(r[1].data->as_string().front(), 'b');
    EXPECT_EQ(r[3].data->as_string().front(), 'd');
    EXPECT_EQ(r[0].ext->at(ss::overflow_key), bx::json::value(2));
    // delivered bytes leave the budget: three more fit again
    for(char c : {'e', 'f', 'g'})
        f.srv.publish(sized_message("/n", 300, c), f.now);
    f.collect();
    EXPECT_EQ(f.overflows.size(), 2u);
    EXPECT_EQ(f.srv.pending(id), 3u);
}

TEST(SessionServer, AllQueuesTogetherAreBoundedInBytes)
{
    ss::server_options o;
    o.max_total_queue_bytes = 1500;
    server_fixture f(o);
    auto const text = bx::encode(sized_message("/n", 300)).size();
    auto const a = f.handshake();
    auto const b = f.handshake(R"({"ack":true})");
    for(auto const& id : {a, b})
        f.call(f.subscribe(id, R"("/n")"));
    for(char c : {'a', 'b', 'c'})
        f.srv.publish(sized_message("/n", 300, c), f.now);
    auto const one = f.srv.queued_bytes();
    EXPECT_EQ(one, 3 * text + 6 * ss::queue_slot_overhead) << "three texts, each counted once for two queues";
    f.srv.publish(sized_message("/n", 300, 'd'), f.now); // does not fit: dropped for both
    f.collect();
    EXPECT_EQ(f.overflows.size(), 2u);
    EXPECT_EQ(f.srv.pending(a), 3u);
    EXPECT_EQ(f.srv.pending(b), 3u);
    EXPECT_EQ(delivery_channels(f.call(f.connect(a))).size(), 3u);
    auto const b_alone = 3 * text + 3 * ss::queue_slot_overhead;
    EXPECT_EQ(f.srv.queued_bytes(), b_alone) << "b still holds them";
    auto const batch1 = f.call(f.connect(b, R"("ext":{"ack":0})"));
    EXPECT_EQ(delivery_channels(batch1).size(), 3u);
    EXPECT_EQ(f.srv.queued_bytes(), b_alone) << "unacknowledged, b's batch is still held";
    auto const held = f.post(f.connect(b, R"("ext":{"ack":1})"));
    EXPECT_EQ(f.srv.queued_bytes(), 0u);
    f.srv.publish(sized_message("/n", 300, 'e'), f.now);
    EXPECT_EQ(delivery_channels(f.response(held).value()).size(), 1u);
    EXPECT_EQ(f.srv.queued_bytes(), text + 2 * ss::queue_slot_overhead) << "b's batch and a's queue hold it";
    f.srv.close(b, f.now);
    EXPECT_EQ(f.srv.queued_bytes(), text + ss::queue_slot_overhead) << "a's queue still holds it";
    f.srv.close(a, f.now);
    EXPECT_EQ(f.srv.queued_bytes(), 0u) << "a closed session holds nothing";
}

TEST(SessionServer, AFanOutIsEncodedOnceAndShared)
{
    server_fixture f;
    std::vector<std::string> ids;
    for(ss::exchange_id socket = 100; socket < 103; ++socket) // three WebSockets
    {
        ids.push_back(f.handshake());
        f.call(f.subscribe(ids.back(), R"("/wide")"));
        f.srv.receive(socket, batch(f.connect(ids.back(), "", "websocket")), f.now, ss::exchange_kind::socket);
        EXPECT_TRUE(f.response(socket));
    }
    auto const polling = f.handshake(); // and one long-polling client
    f.call(f.subscribe(polling, R"("/wide")"));
    f.srv.publish(sized_message("/wide", 100000), f.now);
    f.collect();
    ASSERT_EQ(f.sends.size(), 3u);
    ASSERT_EQ(f.published.size(), 1u);
    auto const& first = f.sends[0].deliveries.at(0).what;
    EXPECT_EQ(*first.json, bx::encode(*first.message));
    EXPECT_EQ(first.message, f.published[0].message);
    EXPECT_EQ(first.json, f.published[0].json) << "other nodes get the same text";
    for(auto const& s : f.sends)
    {
        ASSERT_EQ(s.deliveries.size(), 1u);
        EXPECT_EQ(s.deliveries[0].what.json, first.json) << "one text for every socket";
        EXPECT_EQ(s.deliveries[0].what.message, first.message);
    }
    EXPECT_EQ(first.json.use_count(), 5) << "three pushes, one queue and the published action, no copies";
}

TEST(SessionServer, OutgoingExtensionsSeeTheirOwnCopyOfADelivery)
{
    ss::server_options o;
    ss::extension stamp;
    stamp.outgoing = [](std::string_view client_id, bx::message& m) {
        if(!m.successful)
            rtnotify::session::set_ext(m, "to", bx::json::string(client_id));
        return m.channel != "/secret";
    };
    o.extensions.push_back(stamp);
    server_fixture f(o);
    auto const a = f.handshake();
    auto const b = f.handshake();
    for(auto const& id : {a, b})
        f.call(f.subscribe(id, R"(["/n","/secret"])"));
    f.srv.publish(server_message("/n", 1), f.now);
    f.srv.publish(server_message("/secret", 2), f.now);
    auto const ex = f.post(f.connect(a));
    f.collect();
    ASSERT_EQ(f.sends.size(), 1u);
    ASSERT_EQ(f.sends[0].deliveries.size(), 1u);
    EXPECT_NE(f.sends[0].deliveries[0].what.json->find(a), std::string::npos) << "the text is encoded from the copy";
    auto ra = f.response(ex).value();
    auto rb = f.call(f.connect(b));
    ASSERT_EQ(delivery_channels(ra), std::vector<std::string>{"/n"});
    ASSERT_EQ(delivery_channels(rb), std::vector<std::string>{"/n"});
    EXPECT_EQ(ra.at(1).ext->at("to"), bx::json::value(a));
    EXPECT_EQ(rb.at(1).ext->at("to"), bx::json::value(b));
}

TEST(SessionServer, AcknowledgedBatches)
{
    ss::server_options o;
    o.max_batch = 2;
    server_fixture f(o);
    auto hs = f.call(R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"],"ext":{"ack":true}})");
    EXPECT_EQ(hs.at(0).ext->at(ss::ack_key), bx::json::value(true));
    auto const id = *hs[0].client_id;
    f.call(f.subscribe(id, R"("/n")"));
    for(int i = 0; i < 3; ++i)
        f.srv.publish(server_message("/n", i), f.now);

    auto b1 = f.call(f.connect(id, R"("ext":{"ack":0})"));
    ASSERT_EQ(b1.size(), 3u);
    EXPECT_EQ(b1[0].ext->at(ss::ack_key), bx::json::value(1));
    EXPECT_EQ(f.srv.pending(id), 3u);
    // batch 1 not acknowledged (its reply was lost): sent again, same number
    auto again = f.call(f.connect(id, R"("ext":{"ack":0})"));
    ASSERT_EQ(again.size(), 3u);
    EXPECT_EQ(again[0].ext->at(ss::ack_key), bx::json::value(1));
    EXPECT_EQ(again[1].data, bx::json::value(0));
    // acknowledged: the rest comes as batch 2
    auto b2 = f.call(f.connect(id, R"("ext":{"ack":1})"));
    ASSERT_EQ(b2.size(), 2u);
    EXPECT_EQ(b2[0].ext->at(ss::ack_key), bx::json::value(2));
    EXPECT_EQ(b2[1].data, bx::json::value(2));
    auto const held = f.post(f.connect(id, R"("ext":{"ack":2})"));
    EXPECT_FALSE(f.response(held));
    EXPECT_EQ(f.srv.pending(id), 0u);
}

TEST(SessionServer, AckNotGrantedWhenDisabled)
{
    ss::server_options o;
    o.ack_extension = false;
    server_fixture f(o);
    auto hs = f.call(R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"],"ext":{"ack":true}})");
    EXPECT_FALSE(hs.at(0).ext);
}

TEST(SessionServer, PushTypeOnARequestIsLongPolling)
{
    // a long-polling client that names connectionType websocket: its deliveries
    // must reach it in a held connect's response, never be pushed to a request
    server_fixture f;
    auto const id = f.handshake();
    f.call(f.subscribe(id, R"("/p")"));
    f.srv.receive(901, batch(f.connect(id, "", "websocket")), f.now);
    EXPECT_TRUE(f.response(901));
    f.srv.receive(902, batch(f.connect(id, "", "websocket")), f.now); // held
    EXPECT_FALSE(f.response(902));
    for(int i = 1; i <= 3; ++i)
        f.srv.publish(server_message("/p", i), f.now);
    f.collect();
    for(auto const& s : f.sends)
        EXPECT_FALSE(s.push);
    auto const first = f.response(902); // the held connect answers with what came first
    ASSERT_TRUE(first);
    f.srv.receive(903, batch(f.connect(id, "", "websocket")), f.now); // the rest is waiting: answered at once
    auto const rest = f.response(903);
    ASSERT_TRUE(rest);
    EXPECT_EQ(delivery_channels(*first).size() + delivery_channels(*rest).size(), 3u);
    EXPECT_EQ(f.srv.pending(id), 0u);
}

TEST(SessionServer, ChannelNamesAreBoundedInBytes)
{
    server_fixture f;
    auto const id = f.handshake();
    auto const longest = "/" + std::string(1023, 'c');
    auto ok = f.call(f.subscribe(id, "\"" + longest + "\""));
    EXPECT_TRUE(ok.at(0).successful.value_or(false));
    auto const refused = f.call(f.subscribe(id, R"(["/a",")" + longest + "x\"]"));
    EXPECT_FALSE(refused.at(0).successful.value_or(true));
    EXPECT_EQ(refused.at(0).error, "400::Channel name too long");
    auto const pub = f.call(R"([{"channel":")" + longest + R"(x","clientId":")" + id + R"(","data":1}])");
    EXPECT_EQ(pub.at(0).error, "400::Channel name too long");
}

TEST(SessionServer, AllSubscriptionsTogetherAreBoundedInBytesAndCounted)
{
    ss::server_options o;
    o.max_total_subscription_bytes = 2 * (2 * 2 + ss::subscription_overhead); // two two-byte channels
    server_fixture f(o);
    auto const a = f.handshake();
    auto const b = f.handshake();
    EXPECT_EQ(f.call(f.subscribe(a, R"("/x")")).at(0).successful, true);
    EXPECT_EQ(f.call(f.subscribe(a, R"("/x")")).at(0).successful, true) << "again: costs nothing";
    EXPECT_EQ(f.call(f.subscribe(b, R"("/y")")).at(0).successful, true);
    EXPECT_EQ(err(f.call(f.subscribe(b, R"("/z")")).at(0)), "403:/z:Too many subscriptions on this server");
    EXPECT_EQ(f.srv.subscription_count(), 2u);
    f.call(R"({"channel":"/meta/unsubscribe","clientId":")" + a + R"(","subscription":"/x"})");
    EXPECT_EQ(f.srv.subscription_count(), 1u);
    EXPECT_EQ(f.call(f.subscribe(b, R"("/z")")).at(0).successful, true) << "an unsubscribe frees its bytes";
    EXPECT_EQ(err(f.call(f.subscribe(a, R"("/x")")).at(0)), "403:/x:Too many subscriptions on this server");
    f.srv.close(b, f.now);
    EXPECT_EQ(f.srv.subscription_count(), 0u);
    EXPECT_EQ(f.call(f.subscribe(a, R"(["/x","/w"])")).at(0).successful, true) << "a closed session frees its bytes";
    EXPECT_EQ(f.srv.subscription_count(), 2u);
}

TEST(SessionServer, PushMode)
{
    server_fixture f;
    auto const id = f.handshake();
    f.call(f.subscribe(id, R"("/p")"));
    ss::exchange_id const socket = 777;
    f.srv.receive(socket, batch(f.connect(id, "", "websocket")), f.now, ss::exchange_kind::socket);
    EXPECT_TRUE(f.response(socket));
    f.srv.receive(socket, batch(f.connect(id, "", "websocket")), f.now, ss::exchange_kind::socket); // the heartbeat, held
    f.srv.publish(server_message("/p", 1), f.now);
    f.collect();
    ASSERT_EQ(f.sends.size(), 1u);
    EXPECT_TRUE(f.sends[0].push);
    EXPECT_EQ(f.sends[0].exchange, socket);
    EXPECT_EQ(delivery_channels(ss::messages_in_order(f.sends[0])), std::vector<std::string>{"/p"});
    EXPECT_FALSE(f.response(socket)); // the connect stays held
    // the socket closes: deliveries wait for the next connect
    f.sends.clear();
    f.srv.close_exchange(socket, f.now);
    f.srv.publish(server_message("/p", 2), f.now);
    f.collect();
    EXPECT_TRUE(f.sends.empty());
    EXPECT_EQ(f.srv.pending(id), 1u);
    EXPECT_EQ(f.srv.next_deadline(), f.now + 10s);
    auto r = f.call(f.connect(id));
    EXPECT_EQ(delivery_channels(r), std::vector<std::string>{"/p"});
}

TEST(SessionServer, AcknowledgedBatchesOnASocketSurviveItsLoss)
{
    server_fixture f;
    ss::exchange_id socket = 800;
    auto const on_socket = [&](std::string const& json) {
        f.srv.receive(socket, batch(json), f.now, ss::exchange_kind::socket);
        return f.response(socket);
    };
    auto hs = on_socket(R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["websocket"],"ext":{"ack":true}})");
    ASSERT_TRUE(hs);
    auto const id = *hs->at(0).client_id;
    on_socket(f.subscribe(id, R"("/p")"));
    ASSERT_TRUE(on_socket(f.connect(id, R"("ext":{"ack":0})", "websocket")));
    EXPECT_FALSE(on_socket(f.connect(id, R"("ext":{"ack":0})", "websocket"))); // held, not a push channel
    f.srv.publish(server_message("/p", 1), f.now);
    auto batch1 = f.response(socket); // the held connect carries batch 1
    ASSERT_TRUE(batch1);
    EXPECT_EQ(batch1->at(0).ext->at(ss::ack_key), bx::json::value(1));
    EXPECT_EQ(delivery_channels(*batch1), std::vector<std::string>{"/p"});
    // the socket dies before the client saw batch 1: a new socket's connect names batch 0 and gets it again
    f.srv.close_exchange(socket, f.now);
    socket = 801;
    auto again = on_socket(f.connect(id, R"("ext":{"ack":0})", "websocket"));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->at(0).ext->at(ss::ack_key), bx::json::value(1));
    EXPECT_EQ(delivery_channels(*again), std::vector<std::string>{"/p"});
    // acknowledged: nothing more, and the next connect is held
    EXPECT_FALSE(on_socket(f.connect(id, R"("ext":{"ack":1})", "websocket")));
    EXPECT_EQ(f.srv.pending(id), 0u);
}

TEST(SessionServer, ASessionStartedOnASocketIsThatSocketsAlone)
{
    server_fixture f;
    ss::exchange_id const mine = 500, thief = 501;
    auto const hs = R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["websocket"]})";
    f.srv.receive(mine, batch(hs), f.now, ss::exchange_kind::socket);
    auto const id = f.response(mine).value().at(0).client_id.value();
    f.srv.receive(mine, batch(f.subscribe(id, R"("/p")")), f.now, ss::exchange_kind::socket);
    f.srv.receive(mine, batch(f.connect(id, "", "websocket")), f.now, ss::exchange_kind::socket);
    f.collect();
    f.sends.clear();
    // another socket, or an HTTP request, that knows the id: refused, and the session untouched
    for(auto const& attempt : {f.connect(id, "", "websocket"), f.subscribe(id, R"("/secret")"),
                               f.server_fixture::publish(id, "/p"),
                               std::string(R"({"channel":"/meta/unsubscribe","clientId":")") + id + R"(","subscription":"/p"})",
                               std::string(R"({"channel":"/meta/disconnect","clientId":")") + id + "\"}"})
    {
        f.srv.receive(thief, batch(attempt), f.now, ss::exchange_kind::socket);
        auto const r = f.response(thief);
        ASSERT_TRUE(r) << attempt;
        EXPECT_EQ(err(r->at(0)).substr(0, 4), "402:") << attempt;
        EXPECT_EQ(err(f.call(attempt).at(0)).substr(0, 4), "402:") << "over HTTP: " << attempt;
    }
    EXPECT_TRUE(f.srv.has_session(id));
    f.srv.publish(server_message("/p", 1), f.now);
    f.collect();
    ASSERT_EQ(f.sends.size(), 1u);
    EXPECT_EQ(f.sends[0].exchange, mine) << "deliveries still go to the socket that started the session";
    // the socket closes: the client reconnects on a new socket, which takes the session over
    f.sends.clear();
    f.srv.close_exchange(mine, f.now);
    ss::exchange_id const again = 502;
    f.srv.receive(again, batch(f.connect(id, R"("advice":{"timeout":0})", "websocket")), f.now, ss::exchange_kind::socket);
    auto const resumed = f.response(again);
    ASSERT_TRUE(resumed);
    EXPECT_EQ(resumed->at(0).successful, true);
    f.srv.receive(thief, batch(f.subscribe(id, R"("/secret")")), f.now, ss::exchange_kind::socket);
    EXPECT_EQ(err(f.response(thief).value().at(0)).substr(0, 4), "402:");
}

TEST(SessionServer, ASessionStartedWithABrowserIdIsThatBrowsersAlone)
{
    server_fixture f;
    auto const hs = R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling","websocket"]})";
    auto on = [&](std::string_view browser, std::string const& json, ss::exchange_kind carrier = ss::exchange_kind::request) {
        auto const ex = f.next_exchange++;
        f.srv.receive(ex, batch(json), f.now, carrier, {}, browser);
        return f.response(ex);
    };
    auto const id = on("b-1", hs).value().at(0).client_id.value();
    EXPECT_EQ(on("b-1", f.subscribe(id, R"("/p")")).value().at(0).successful, true);
    // without the browser id, with another one, or on a socket that has not got it: refused, session untouched
    for(auto const* browser : {"", "b-2", "b-1 ", "B-1"})
        for(auto const& attempt : {f.connect(id), f.subscribe(id, R"("/secret")"), f.server_fixture::publish(id, "/p"),
                                   std::string(R"({"channel":"/meta/disconnect","clientId":")") + id + "\"}"})
        {
            EXPECT_EQ(err(on(browser, attempt).value().at(0)).substr(0, 4), "402:") << browser << " " << attempt;
            EXPECT_EQ(err(on(browser, attempt, ss::exchange_kind::socket).value().at(0)).substr(0, 4), "402:")
                << "on a socket: " << browser << " " << attempt;
        }
    EXPECT_TRUE(f.srv.has_session(id));
    // the same browser may go on over a WebSocket (a client upgrading its transport)
    auto const up = on("b-1", f.connect(id, R"("advice":{"timeout":0})", "websocket"), ss::exchange_kind::socket);
    ASSERT_TRUE(up);
    EXPECT_EQ(up->at(0).successful, true);
    // a handshake without a browser id (the client gets its cookie in the reply): the first request with one binds it
    auto const fresh = on("", hs).value().at(0).client_id.value();
    EXPECT_EQ(on("", f.subscribe(fresh, R"("/p")")).value().at(0).successful, true) << "not bound yet";
    EXPECT_EQ(on("b-3", f.subscribe(fresh, R"("/q")")).value().at(0).successful, true);
    EXPECT_EQ(err(on("", f.subscribe(fresh, R"("/r")")).value().at(0)).substr(0, 4), "402:");
    EXPECT_EQ(err(on("b-4", f.subscribe(fresh, R"("/r")")).value().at(0)).substr(0, 4), "402:");
    EXPECT_EQ(on("b-3", f.subscribe(fresh, R"("/r")")).value().at(0).successful, true);
    // a client that never carries a cookie is never bound: its id is a bearer secret
    auto const bare = on("", hs).value().at(0).client_id.value();
    EXPECT_EQ(on("", f.subscribe(bare, R"("/p")")).value().at(0).successful, true);
    EXPECT_EQ(on("", f.subscribe(bare, R"("/q")"), ss::exchange_kind::socket).value().at(0).successful, true)
        << "a socket without a cookie does not bind it";
    // an id longer than the engine keeps binds nothing (the transport never passes one)
    auto const long_id = std::string(ss::server::max_browser_id_bytes + 1, 'x');
    auto const unbound = on(long_id, hs).value().at(0).client_id.value();
    EXPECT_EQ(on(long_id, f.subscribe(unbound, R"("/p")")).value().at(0).successful, true);
    EXPECT_EQ(on("", f.subscribe(unbound, R"("/q")")).value().at(0).successful, true);
}

TEST(SessionServer, SecurityPolicy)
{
    ss::server_options o;
    std::vector<std::string> seen; // what authenticate was given: the authorization and the owner
    o.policy.authenticate = [&](bx::message const& m, ss::handshake_credentials const& from,
                                ss::time_point) -> std::optional<std::string> {
        seen.push_back(std::string(from.authorization) + "|" + std::string(from.owner));
        if(from.authorization == "Basic Ym9iOnB3")
            return "bob";
        if(m.ext && m.ext->contains("token"))
            return "";
        return std::nullopt;
    };
    std::vector<std::string> asked;
    o.policy.can_subscribe = [&](ss::session_identity const& who, std::string_view ch) {
        asked.push_back(std::string(who.principal) + " subscribe " + std::string(ch));
        return !ch.starts_with("/private") || who.principal == "bob";
    };
    o.policy.can_publish = [&](ss::session_identity const& who, std::string_view ch) {
        asked.push_back(std::string(who.principal) + " publish " + std::string(ch));
        return ch != "/readonly";
    };
    server_fixture f(o);
    auto const hs = R"([{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]}])";
    auto denied = f.call(hs);
    EXPECT_EQ(err(denied.at(0)), "403::handshake_denied");
    EXPECT_EQ(reconnect(denied[0]), "none");
    EXPECT_FALSE(denied[0].client_id);

    auto const anonymous = f.handshake(R"({"token":"t"})");
    EXPECT_EQ(err(f.call(f.subscribe(anonymous, R"("/private/x")")).at(0)), "403:/private/x:Subscription denied");
    EXPECT_EQ(err(f.call(f.publish(anonymous, "/readonly")).at(0)), "403:/readonly:Publish denied");
    EXPECT_EQ(f.call(f.publish(anonymous, "/open")).at(0).successful, true);

    f.srv.receive(f.next_exchange, batch(hs), f.now, ss::exchange_kind::request, "10.0.0.7", {}, "Basic Ym9iOnB3");
    auto const bob = f.response(f.next_exchange++).value().at(0).client_id.value();
    EXPECT_EQ(f.call(f.subscribe(bob, R"("/private/x")")).at(0).successful, true) << "the principal reaches the rules";
    EXPECT_EQ(seen, (std::vector<std::string>{"|", "|", "Basic Ym9iOnB3|10.0.0.7"}));
    EXPECT_EQ(asked, (std::vector<std::string>{" subscribe /private/x", " publish /readonly", " publish /open",
                                               "bob subscribe /private/x"}));
}

TEST(SessionServer, Extensions)
{
    ss::server_options o;
    ss::extension auth;
    auth.incoming = [](std::string_view, bx::message& m) {
        if(m.channel == "/drop")
            return false;
        if(m.ext)
            m.ext->erase("password"); // an extension may rewrite what it sees
        return true;
    };
    auth.outgoing = [](std::string_view client_id, bx::message& m) {
        if(m.channel == "/hidden")
            return false;
        if(m.channel == "/meta/connect")
            rtnotify::session::set_ext(m, "seen-by", bx::json::string(client_id));
        return true;
    };
    o.extensions.push_back(auth);
    server_fixture f(o);
    auto const id = f.handshake();
    EXPECT_EQ(err(f.call(f.publish(id, "/drop")).at(0)), "404::message_deleted");
    f.call(f.subscribe(id, R"(["/hidden","/shown"])"));
    f.srv.publish(server_message("/hidden"), f.now);
    f.srv.publish(server_message("/shown"), f.now);
    auto r = f.call(f.connect(id));
    EXPECT_EQ(delivery_channels(r), std::vector<std::string>{"/shown"});
    EXPECT_EQ(r.at(0).ext->at("seen-by"), bx::json::value(id));
}

TEST(SessionServer, ServerSidePublishAndScaleOutSeam)
{
    server_fixture f;
    auto const id = f.handshake();
    f.call(f.subscribe(id, R"("/s/**")"));
    EXPECT_FALSE(f.srv.publish(server_message("/s/local"), f.now));
    EXPECT_FALSE(f.srv.publish_remote(server_message("/s/remote"), f.now));
    EXPECT_EQ(f.srv.publish(server_message("/s/*"), f.now)->to_string(), "405:/s/*:Invalid channel");
    EXPECT_EQ(f.srv.publish(server_message("/meta/x"), f.now)->to_string(), "405:/meta/x:Invalid channel");
    f.collect();
    ASSERT_EQ(f.published.size(), 1u); // only the local one is reported for other nodes
    EXPECT_EQ(f.published[0].message->channel, "/s/local");
    EXPECT_EQ(delivery_channels(f.call(f.connect(id))), (std::vector<std::string>{"/s/local", "/s/remote"}));

    EXPECT_TRUE(f.srv.deliver(id, server_message("/service/reply"), f.now));
    EXPECT_FALSE(f.srv.deliver("nosuch", server_message("/x"), f.now));
    EXPECT_EQ(delivery_channels(f.call(f.connect(id))), std::vector<std::string>{"/service/reply"});
}

TEST(SessionServer, ApplicationClose)
{
    server_fixture f;
    auto const id = f.handshake();
    f.call(f.connect(id));
    auto const held = f.post(f.connect(id));
    EXPECT_TRUE(f.srv.close(id, f.now));
    auto r = f.response(held);
    ASSERT_TRUE(r);
    EXPECT_EQ(reconnect(r->at(0)), "handshake");
    EXPECT_FALSE(f.srv.close(id, f.now));
}

TEST(SessionServer, ClosedExchangeStartsExpiry)
{
    server_fixture f;
    auto const id = f.handshake();
    f.call(f.connect(id));
    auto const held = f.post(f.connect(id));
    f.srv.close_exchange(held, f.now);
    EXPECT_EQ(f.srv.next_deadline(), f.now + 10s);
    f.advance_to(f.now + 10s);
    EXPECT_FALSE(f.srv.has_session(id));
    f.collect();
    for(auto const& s : f.sends)
        EXPECT_NE(s.exchange, held); // nothing is sent to a closed exchange
}

} // namespace
