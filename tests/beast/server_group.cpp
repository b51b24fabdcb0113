// Tests of rtnotify/beast/server_group.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/server_group.hpp>

#include <rtnotify/beast/kuzzle_service.hpp>

#include "beast/loopback.hpp"
#include "beast/prometheus.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace server_group_tests { // named: a unity build puts it beside server.cpp's helpers

using namespace rtnotify_test;
namespace json = boost::json;

/** A group of two shards, each also on a port of its own, so that a test
    chooses which shard a connection reaches first (the shared port leaves
    that to the kernel).
*/
struct running_group
{
    rtnotify::beast::server_group group;
    unsigned short shared = 0;
    unsigned short port[2] = {0, 0};
    std::thread thread;

    explicit running_group(rtnotify::beast::server_options o)
        : group(2, [&](std::size_t) { return o; })
    {
        EXPECT_FALSE(group.listen({asio::ip::make_address("127.0.0.1"), 0}));
        shared = group.endpoints().at(0).port();
        for(std::size_t i = 0; i < 2; ++i)
        {
            EXPECT_FALSE(group.shard(i).listen({asio::ip::make_address("127.0.0.1"), 0}));
            port[i] = group.shard(i).endpoints().back().port();
        }
        thread = std::thread([this] { group.run(); });
    }

    ~running_group()
    {
        group.stop();
        thread.join();
    }
};

rtnotify::beast::server_options quick()
{
    rtnotify::beast::server_options o;
    o.session.timeout = std::chrono::milliseconds(3000);
    return o;
}

json::array messages(response const& r)
{
    EXPECT_EQ(r.result_int(), 200u) << r.body();
    return json::parse(r.body()).as_array();
}

json::value first(http_client& c, std::string const& body)
{
    auto const m = messages(c.call(http_client::post_json("/bayeux", body)));
    return m.empty() ? json::value() : m.at(0);
}

std::string handshake(http_client& c)
{
    auto const r = first(c, R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]})");
    return json::value_to<std::string>(r.at("clientId"));
}

std::string meta(std::string_view channel, std::string const& id, std::string_view more)
{
    return R"({"channel":")" + std::string(channel) + R"(","clientId":")" + id + "\"," + std::string(more) + "}";
}

std::string connect(std::string const& id) { return meta("/meta/connect", id, R"("connectionType":"long-polling")"); }

std::string publish(std::string const& id, int data)
{
    return R"({"channel":"/chat","clientId":")" + id + R"(","data":)" + std::to_string(data) + "}";
}

/// The data of the deliveries among `m`.
std::vector<std::int64_t> deliveries(json::array const& m)
{
    std::vector<std::int64_t> out;
    for(auto const& v : m)
        if(v.as_object().at("channel") == "/chat")
            out.push_back(v.at("data").as_int64());
    return out;
}

/// Sends session `id`'s connect over `ws`; the deliveries of the first replies that carry some (up to 4 replies).
std::vector<std::int64_t> connect_over(ws_client& ws, std::string const& id)
{
    ws.send("[" + meta("/meta/connect", id, R"("connectionType":"websocket")") + "]");
    std::vector<std::int64_t> got;
    for(int i = 0; i < 4 && got.empty(); ++i)
    {
        auto const text = ws.receive(2000ms);
        EXPECT_TRUE(text) << "no reply on the WebSocket";
        if(!text)
            break;
        auto const m = json::parse(*text).as_array();
        for(auto const& v : m)
            if(v.at("channel") == "/meta/connect")
                EXPECT_EQ(v.at("successful"), true) << m;
        got = deliveries(m);
    }
    return got;
}

TEST(ServerGroup, ASessionIsServedByTheShardThatMadeItWhicheverShardItsRequestsReach)
{
    running_group g(quick());
    http_client on0(g.port[0]), on1(g.port[1]);
    auto const a = handshake(on1);
    auto const b = handshake(on0);
    EXPECT_EQ(a.front(), '1');
    EXPECT_EQ(b.front(), '0');

    // a's requests reach shard 0 first: it hands them, with their connection, to shard 1
    http_client a_via0(g.port[0]);
    EXPECT_EQ(first(a_via0, meta("/meta/subscribe", a, R"("subscription":"/chat")")).at("successful"), true);
    EXPECT_EQ(first(a_via0, connect(a)).at("successful"), true);
    // b publishes through shard 1, which hands the request to shard 0; shard 0 gives the message to shard 1
    http_client b_via1(g.port[1]);
    EXPECT_EQ(first(b_via1, publish(b, 1)).at("successful"), true);
    EXPECT_EQ(deliveries(messages(a_via0.call(http_client::post_json("/bayeux", connect(a))))),
              std::vector<std::int64_t>{1});

    // a held connect on one shard is answered by a publish through the other
    a_via0.start(http_client::post_json("/bayeux", connect(a)));
    std::this_thread::sleep_for(std::chrono::milliseconds(100)); // held by now
    http_client b_again(g.port[1]);
    first(b_again, publish(b, 2));
    auto const held = a_via0.wait();
    ASSERT_TRUE(held);
    EXPECT_EQ(deliveries(messages(*held)), std::vector<std::int64_t>{2});

    // an id of no shard is unknown wherever it arrives
    http_client stray(g.port[1]);
    EXPECT_EQ(first(stray, connect("zzzz")).at("error").as_string().subview().substr(0, 3), "402");
}

TEST(ServerGroup, PipelinedRequestsFollowTheirConnectionToItsNewShard)
{
    running_group g(quick());
    http_client on1(g.port[1]);
    auto const a = handshake(on1);
    auto const request = [&](std::string const& body, bool last) {
        return "POST /bayeux HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
               std::to_string(body.size()) + (last ? "\r\nConnection: close" : "") + "\r\n\r\n" + body;
    };
    // both requests in one write to shard 0: the second is read ahead and goes along with the first
    auto const out = raw_exchange(g.port[0], request(meta("/meta/subscribe", a, R"("subscription":"/p")"), false) +
                                                 request(meta("/meta/unsubscribe", a, R"("subscription":"/p")"), true));
    EXPECT_NE(out.find(R"("channel":"/meta/subscribe")"), std::string::npos) << out;
    EXPECT_NE(out.find(R"("channel":"/meta/unsubscribe")"), std::string::npos) << out;
    std::size_t answers = 0;
    for(auto at = out.find("HTTP/1.1 200"); at != std::string::npos; at = out.find("HTTP/1.1 200", at + 1))
        ++answers;
    EXPECT_EQ(answers, 2u) << out;
}

TEST(ServerGroup, TheFirstShardServesAllButBayeuxAndCountsForEveryShard)
{
    auto o = quick();
    o.ws_services.emplace("/kuzzle", std::make_shared<rtnotify::beast::kuzzle_service>());
    running_group g(o);
    EXPECT_EQ(g.group.shard(1).options().max_connections, o.max_connections / 2);
    EXPECT_EQ(g.group.shard(0).options().session.max_sessions, o.session.max_sessions / 2);
    EXPECT_EQ(g.group.shard(0).options().ws_services.size(), 1u);
    EXPECT_TRUE(g.group.shard(1).options().ws_services.empty()) << "only the first shard serves them";
    EXPECT_EQ(g.group.shard(1).options().max_connections_per_address, o.max_connections_per_address);

    http_client on0(g.port[0]), on1(g.port[1]);
    handshake(on0);
    handshake(on1);
    handshake(on1);
    // SmartREST reaching shard 1 is answered by shard 0, which holds the templates
    http_client s(g.port[1]);
    auto const registered = s.call(
        http_client::make(http::verb::post, "/s", "11,102,$,$.severity,$.id,$.text,$.severity\n", {{"X-Id", "grouped"}}));
    EXPECT_EQ(registered.result_int(), 200) << registered.body();
    EXPECT_TRUE(registered.body().starts_with("20,")) << registered.body();

    http_client m(g.port[1]);
    auto const r = m.call(http_client::make(http::verb::get, "/metrics"));
    ASSERT_EQ(r.result_int(), 200);
    auto const samples = parse_prometheus(r.body());
    EXPECT_EQ(samples.at("rtnotify_bayeux_sessions"), 3) << "both shards' sessions";
    EXPECT_EQ(samples.at("rtnotify_connections_handed_total"), 2) << "the SmartREST request and the scrape";
    EXPECT_EQ(samples.at("rtnotify_connections"), 4) << "both shards' connections, the scraper's among them";
    EXPECT_EQ(samples.at("rtnotify_memory_budget_bytes"), static_cast<double>(g.group.memory_budget()));
    EXPECT_EQ(samples.count("rtnotify_kuzzle_rooms"), 1u) << "the first shard's services, once";
}

TEST(ServerGroup, ConnectionsPerAddressAreCountedForTheWholeGroup)
{
    auto o = quick();
    o.max_connections_per_address = 2;
    running_group g(o);
    http_client on0(g.port[0]), on1(g.port[1]);
    auto const id = handshake(on0); // a session of shard 0, over one connection to each shard
    handshake(on1);
    for(auto const port : g.port)
    {
        auto const third = raw_exchange(port, "GET /bayeux HTTP/1.1\r\nHost: x\r\n\r\n");
        EXPECT_TRUE(third.starts_with("HTTP/1.1 503")) << "the address holds a connection on each shard: " << third;
    }
    // at the limit, a connection handed to the session's shard is counted out before it is counted in there
    auto const m = messages(on1.call(http_client::post_json("/bayeux", meta("/meta/subscribe", id, R"("subscription":"/chat")"))));
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m.at(0).at("successful"), true) << m;
    EXPECT_EQ(first(on1, publish(id, 1)).at("successful"), true);
}

TEST(ServerGroup, SessionsPerAddressAreCountedForTheWholeGroup)
{
    auto o = quick();
    o.session.max_sessions_per_owner = 2;
    running_group g(o);
    http_client on0(g.port[0]), on1(g.port[1]);
    EXPECT_EQ(handshake(on0).front(), '0');
    auto const second = handshake(on1);
    EXPECT_EQ(second.front(), '1') << "a session on each shard";
    for(auto* c : {&on0, &on1})
        EXPECT_EQ(first(*c, R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]})")
                      .at("error"),
                  "500::Too many sessions from this address");
    EXPECT_EQ(first(on1, meta("/meta/disconnect", second, R"("id":"9")")).at("successful"), true);
    EXPECT_EQ(handshake(on0).front(), '0') << "the session ended on shard 1 freed a place on shard 0";
}

TEST(ServerGroup, OneAddressBuffersItsShareAtMostOnAllShardsTogether)
{
    auto o = quick();
    o.max_buffered_bytes = 1000000;
    o.max_buffered_bytes_per_address = 100000;
    running_group g(o);
    // 127.0.0.1 holds 80,000 bytes of an unfinished body on shard 0: shard 1 may not start another of 30,000
    asio::io_context ioc;
    auto slow = start_slow_body(ioc, g.port[0], 80000, 40000);
    auto const body = "[" + std::string(30000, ' ') +
                      R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]})" + "]";
    auto const request = "POST /bayeux HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    auto const busy = raw_exchange(g.port[1], request);
    EXPECT_TRUE(busy.starts_with("HTTP/1.1 503")) << busy;
    EXPECT_NE(busy.find("from 127.0.0.1 fill max_buffered_bytes_per_address (100000 bytes)"), std::string::npos) << busy;
    slow.close(); // its 80,000 bytes are given back, on shard 0: shard 1 reads the body now
    std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(raw_exchange(g.port[1], request).starts_with("HTTP/1.1 200")) << "the share given back on the other shard";
}

TEST(ServerGroup, AWebSocketWithoutACookieLivesOnTheFirstShardWhereANewOneResumesItsSession)
{
    running_group g(quick());
    auto const hello = R"([{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["websocket"]}])";
    std::string id;
    {
        ws_client opened(g.port[1], "/bayeux"); // reaches shard 1, which hands the upgrade to shard 0
        opened.send(hello);
        auto const r = opened.receive();
        ASSERT_TRUE(r);
        id = json::value_to<std::string>(json::parse(*r).at(0).at("clientId"));
        EXPECT_EQ(id.front(), '0') << "the session of a WebSocket is shard 0's";
        opened.send("[" + meta("/meta/subscribe", id, R"("subscription":"/chat")") + "]");
        ASSERT_TRUE(opened.receive());
    }
    http_client publisher(g.port[1]);
    auto const other = handshake(publisher);
    EXPECT_EQ(first(publisher, publish(other, 7)).at("successful"), true);
    ws_client again(g.port[1], "/bayeux"); // a new WebSocket of the same client, through shard 1 again
    EXPECT_EQ(connect_over(again, id), std::vector<std::int64_t>{7}) << "the message published while no WebSocket was open";
}

TEST(ServerGroup, ABrowsersHandshakesAndWebSocketsGoToTheShardOfItsCookie)
{
    running_group g(quick());
    http_client over_http(g.port[1]);
    auto const r = over_http.call(http_client::post_json(
        "/bayeux", R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling","websocket"]})"));
    auto const id = json::value_to<std::string>(messages(r).at(0).at("clientId"));
    EXPECT_EQ(id.front(), '1');
    auto const set_cookie = std::string(r[http::field::set_cookie]);
    ASSERT_TRUE(set_cookie.starts_with("BAYEUX_BROWSER=1")) << "the browser id begins with its shard's tag: " << set_cookie;
    auto const cookie = set_cookie.substr(0, set_cookie.find(';'));
    EXPECT_EQ(first(over_http, meta("/meta/subscribe", id, R"("subscription":"/chat")")).at("successful"), true);

    // as Faye's clients do: the session made over HTTP goes on over a WebSocket, which reaches shard 0
    http_client publisher(g.port[0]);
    auto const other = handshake(publisher);
    EXPECT_EQ(first(publisher, publish(other, 8)).at("successful"), true);
    ws_client ws(g.port[0], "/bayeux", cookie);
    EXPECT_EQ(connect_over(ws, id), std::vector<std::int64_t>{8}) << "the session made over HTTP, on its WebSocket";

    // another handshake of the same browser, through shard 0, is made by shard 1 as well
    http_client again(g.port[0]);
    auto const second = again.call(http_client::make(
        http::verb::post, "/bayeux", R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]})",
        {{"Content-Type", "application/json"}, {"Cookie", cookie}}));
    EXPECT_EQ(json::value_to<std::string>(messages(second).at(0).at("clientId")).front(), '1');
}

} // namespace server_group_tests
