// Tests of rtnotify/beast/kuzzle_service.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/kuzzle_service.hpp>

#include "beast/loopback.hpp"
#include "beast/prometheus.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace {

using namespace rtnotify_test;
namespace json = boost::json;

/// A server with Kuzzle's API on `/` (and Bayeux where it always is).
rtnotify::beast::server_options kuzzle_on_root(rtnotify::rooms::kuzzle_api_options api = {})
{
    rtnotify::beast::server_options o;
    o.max_ws_message_bytes = 64 * 1024;
    o.ws_services.emplace("/", std::make_shared<rtnotify::beast::kuzzle_service>(std::move(api)));
    return o;
}

/// The next message on `w` as JSON (null when none came).
json::value next(ws_client& w, std::chrono::milliseconds limit = 10000ms)
{
    auto text = w.receive(limit);
    EXPECT_TRUE(text) << "nothing received";
    return text ? json::parse(*text) : json::value();
}

/// Sends `request` (a JSON object's text) and returns the response.
json::value call(ws_client& w, std::string const& request)
{
    w.send(request);
    return next(w);
}

std::string document(std::string_view action, std::string_view id, std::string_view body, std::string_view request_id)
{
    return R"({"controller":"document","action":")" + std::string(action) +
           R"(","index":"shop","collection":"items","_id":")" + std::string(id) + R"(","requestId":")" +
           std::string(request_id) + R"(","body":)" + std::string(body) + "}";
}

TEST(KuzzleService, FilterRoomsOverWebSocket)
{
    running_server s(kuzzle_on_root());
    ws_client a(s.port, "/"), b(s.port, "/"), writer(s.port, "/");
    auto const subscribe = R"({"controller":"realtime","action":"subscribe","index":"shop","collection":"items",)"
                           R"("body":{"range":{"price":{"lt":10}}},"users":"all","requestId":")";

    auto const ra = call(a, std::string(subscribe) + R"(a1"})");
    ASSERT_EQ(ra.at("status"), 200) << ra;
    EXPECT_EQ(ra.at("requestId"), "a1");
    EXPECT_EQ(ra.at("room"), "a1");
    auto const room = json::value(ra.at("result").at("roomId"));
    auto const channel = json::value(ra.at("result").at("channel"));

    auto const self = next(a); // users:"all" hears its own arrival too, as in Kuzzle
    EXPECT_EQ(self.at("user"), "in");
    EXPECT_EQ(self.at("result").at("count"), 1);

    auto const rb = call(b, std::string(subscribe) + R"(b1"})"); // the same filter: the same room
    EXPECT_EQ(rb.at("result").at("roomId"), room);
    auto const joined = next(a); // a hears b come in
    EXPECT_EQ(joined.at("type"), "user");
    EXPECT_EQ(joined.at("user"), "in");
    EXPECT_EQ(joined.at("result").at("count"), 2);
    EXPECT_EQ(joined.at("room"), channel);
    EXPECT_EQ(next(b).at("user"), "in"); // b's channel hears it too

    // the writer gets its response, each subscriber one notification per change
    auto const created = call(writer, document("create", "pen", R"({"name":"pen","price":2})", "w1"));
    EXPECT_EQ(created.at("status"), 200) << created;
    EXPECT_EQ(created.at("result").at("_id"), "pen");
    for(auto* w : {&a, &b})
    {
        auto const n = next(*w);
        EXPECT_EQ(n.at("type"), "document");
        EXPECT_EQ(n.at("action"), "create");
        EXPECT_EQ(n.at("scope"), "in");
        EXPECT_EQ(n.at("room"), channel);
        EXPECT_EQ(n.at("result").at("_source").at("name"), "pen");
    }
    call(writer, document("create", "car", R"({"name":"car","price":9000})", "w2")); // matches nobody
    call(writer, document("update", "pen", R"({"price":20})", "w3"));                 // leaves the filter
    auto const left = next(a); // not the car: the pen leaving is the next one
    EXPECT_EQ(left.at("action"), "update");
    EXPECT_EQ(left.at("scope"), "out");
    EXPECT_EQ(left.at("result").at("_id"), "pen");
    EXPECT_EQ(next(b).at("scope"), "out");
    call(writer, document("create", "cup", R"({"price":1})", "w4"));
    call(writer, document("delete", "cup", "null", "w5"));
    for(auto* w : {&a, &b})
    {
        EXPECT_EQ(next(*w).at("action"), "create");
        auto const deleted = next(*w);
        EXPECT_EQ(deleted.at("action"), "delete");
        EXPECT_EQ(deleted.at("scope"), "out");
        EXPECT_EQ(deleted.at("result").at("_id"), "cup");
    }

    // b leaves by closing its socket: a hears it with the new count
    b.close();
    auto const gone = next(a);
    EXPECT_EQ(gone.at("user"), "out");
    EXPECT_EQ(gone.at("result").at("count"), 1);
    auto const count = call(a, R"({"controller":"realtime","action":"count","body":{"roomId":)" + json::serialize(room) +
                                   R"(},"requestId":"a2"})");
    EXPECT_EQ(count.at("result").at("count"), 1);

    // the writer never got a notification: it subscribed to nothing
    EXPECT_FALSE(writer.receive(100ms));
    s.on_strand([&] { EXPECT_EQ(s.srv.connection_count(), 2u); });
}

TEST(KuzzleService, BadInputIsAnsweredOrClosesOnlyThatSocket)
{
    rtnotify::rooms::kuzzle_api_options api;
    api.max_subscriptions = 2;
    running_server s(kuzzle_on_root(api));
    ws_client listener(s.port, "/");
    ASSERT_EQ(call(listener, R"({"controller":"realtime","action":"subscribe","index":"i","collection":"c","body":{},"requestId":"l"})")
                  .at("status"),
              200);

    // bad requests get an error response; the socket stays open
    ws_client w(s.port, "/");
    auto r = call(w, "{not json");
    EXPECT_EQ(r.at("status"), 400);
    EXPECT_NE(json::value_to<std::string>(r.at("error").at("message")).find("not JSON"), std::string::npos) << r;
    r = call(w, R"({"controller":"realtime","action":"subscribe","index":"i","collection":"c","body":{"range":{"x":{"gt":"a"}}},"requestId":"f"})");
    EXPECT_EQ(r.at("status"), 400);
    EXPECT_EQ(r.at("requestId"), "f");
    EXPECT_NE(json::value_to<std::string>(r.at("error").at("message")).find("range"), std::string::npos) << r;
    EXPECT_EQ(call(w, R"({"controller":"nope","action":"x","requestId":"n"})").at("status"), 404);
    EXPECT_EQ(call(w, std::string(100, '[') + std::string(100, ']')).at("status"), 400); // deeper than 64
    for(int i = 0; i < 2; ++i)
        EXPECT_EQ(call(w, R"({"controller":"realtime","action":"subscribe","index":"i","collection":"c","body":{"equals":{"n":)" +
                              std::to_string(i) + R"(}},"requestId":"s"})")
                      .at("status"),
                  200);
    r = call(w, R"({"controller":"realtime","action":"subscribe","index":"i","collection":"c","body":{},"requestId":"t"})");
    EXPECT_EQ(r.at("error").at("id"), "core.realtime.too_many_subscriptions");

    // binary data and oversized messages close that socket only
    ws_client bin(s.port, "/");
    bin.send("{}", true);
    EXPECT_FALSE(bin.receive());
    EXPECT_EQ(bin.reason().code, websocket::close_code::unknown_data); // 1003: text only
    ws_client big(s.port, "/");
    big.send(std::string(70 * 1024, ' '));
    EXPECT_FALSE(big.receive());
    EXPECT_EQ(big.reason().code, websocket::close_code::too_big);

    // the listener still hears documents; the ping is answered
    ws_client writer(s.port, "/");
    EXPECT_EQ(call(writer, R"({"controller":"document","action":"create","index":"i","collection":"c","body":{"n":7},"requestId":"d"})")
                  .at("status"),
              200);
    EXPECT_EQ(next(listener).at("action"), "create");
    EXPECT_EQ(call(listener, R"({"p":1})"), json::parse(R"({"p":2})"));
}

TEST(KuzzleService, BayeuxAndKuzzleShareTheServer)
{
    running_server s(kuzzle_on_root());
    ws_client bayeux(s.port, "/bayeux");
    bayeux.send(R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["websocket"]})");
    auto const hs = json::parse(*bayeux.receive());
    EXPECT_EQ(hs.at(0).at("successful"), true);
    ws_client kuzzle(s.port, "/");
    EXPECT_EQ(call(kuzzle, R"({"controller":"realtime","action":"list","requestId":"x"})").at("status"), 200);
    s.on_strand([&] { EXPECT_EQ(s.srv.connection_count(), 2u); });
}

TEST(KuzzleService, TheHttpApiWritesWhatTheWebSocketsHear)
{
    auto o = kuzzle_on_root();
    o.http_api = o.ws_services.at("/");
    running_server s(std::move(o));
    ws_client sub(s.port, "/");
    auto const subscribed = call(sub, R"({"controller":"realtime","action":"subscribe","index":"shop","collection":"items",)"
                                      R"("body":{},"requestId":"s"})");
    ASSERT_EQ(subscribed.at("status"), 200) << subscribed;

    http_client h(s.port);
    auto const created = h.call(http_client::make(http::verb::post, "/shop/items/_create?_id=pen", R"({"price":2})",
                                                  {{"Content-Type", "application/json"}, {"X-Kuzzle-Volatile", R"({"by":"http"})"}}));
    EXPECT_EQ(created.result_int(), 200) << created.body();
    EXPECT_EQ(created[http::field::content_type], "application/json; charset=utf-8");
    EXPECT_EQ(json::parse(created.body()).at("result").at("_id"), "pen");
    auto const heard = next(sub);
    EXPECT_EQ(heard.at("action"), "create");
    EXPECT_EQ(heard.at("protocol"), "http");
    EXPECT_EQ(heard.at("volatile").at("by"), "http");
    EXPECT_EQ(heard.at("result").at("_source").at("price"), 2);

    auto const published = h.call(http_client::make(http::verb::post, "/shop/items/_publish", R"({"note":"hi"})"));
    EXPECT_EQ(published.result_int(), 200);
    EXPECT_EQ(next(sub).at("result").at("_source").at("note"), "hi");

    auto const missing = h.call(http_client::make(http::verb::get, "/shop/items/nope"));
    EXPECT_EQ(missing.result_int(), 404);
    EXPECT_EQ(json::parse(missing.body()).at("error").at("id"), "services.storage.not_found");
    auto const broken = h.call(http_client::make(http::verb::post, "/shop/items/_create", "{\"price\":"));
    EXPECT_EQ(broken.result_int(), 400);
    EXPECT_EQ(json::parse(broken.body()).at("error").at("id"), "network.http.unexpected_error");
    EXPECT_TRUE(json::parse(h.call(http_client::make(http::verb::post, "/bayeux", "[]", {{"Content-Type", "application/json"}}))
                                .body())
                    .is_array())
        << "Bayeux keeps its path";
    EXPECT_TRUE(json::parse(h.call(http_client::make(http::verb::get, "/_publicApi")).body())
                    .at("result")
                    .at("document")
                    .as_object()
                    .contains("create"));
}

TEST(KuzzleService, WithoutHttpApiOtherPathsAre404)
{
    running_server s(kuzzle_on_root());
    http_client h(s.port);
    auto const r = h.call(http_client::make(http::verb::get, "/_now"));
    EXPECT_EQ(r.result_int(), 404);
    EXPECT_EQ(r.body().find("nothing at /_now") != std::string::npos, true) << r.body();
}

TEST(KuzzleService, ItsFiguresAreAmongTheServersMetrics)
{
    auto o = kuzzle_on_root();
    o.http_api = o.ws_services.at("/"); // mounted twice, counted once
    running_server s(std::move(o));
    ws_client a(s.port, "/"), b(s.port, "/");
    auto const subscribe = R"({"controller":"realtime","action":"subscribe","index":"shop","collection":"items","body":{}})";
    EXPECT_EQ(call(a, subscribe).at("status"), 200);
    EXPECT_EQ(call(b, subscribe).at("status"), 200);
    EXPECT_EQ(call(b, document("create", "pen", R"({"price":2})", "c")).at("status"), 200);
    http_client h(s.port);
    auto const r = h.call(http_client::make(http::verb::get, "/metrics"));
    ASSERT_EQ(r.result_int(), 200);
    auto const m = rtnotify_test::parse_prometheus(r.body()); // a family twice would fail here
    EXPECT_EQ(m.at("rtnotify_kuzzle_rooms"), 1u);
    EXPECT_EQ(m.at("rtnotify_kuzzle_subscriptions"), 2u);
    EXPECT_EQ(m.at("rtnotify_kuzzle_documents"), 1u);
    EXPECT_GT(m.at("rtnotify_kuzzle_store_bytes"), 0u);
}

} // namespace
