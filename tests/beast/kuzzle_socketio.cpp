// Tests of rtnotify/beast/kuzzle_socketio_options.hpp: Kuzzle's Socket.IO protocol on the server, over polling and WebSocket.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/kuzzle_socketio_options.hpp>

#include "beast/loopback.hpp"

#include <rtnotify/beast/kuzzle_service.hpp>

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace rtnotify_test;
namespace json = boost::json;

/// A server whose Kuzzle API is on Socket.IO at /socket.io/, its log lines in `log` if given.
rtnotify::beast::server_options socketio_server(std::size_t max_sessions = 100, std::vector<std::string>* log = nullptr)
{
    rtnotify::beast::server_options o;
    o.socketio.service = std::make_shared<rtnotify::beast::kuzzle_service>();
    o.socketio.max_sessions = max_sessions;
    if(log)
        o.log = [log](std::string_view line) { log->emplace_back(line); }; // read once the server has stopped
    return o;
}

std::string poll_target(char eio, std::string const& sid = {})
{
    return std::string("/socket.io/?EIO=") + eio + "&transport=polling" + (sid.empty() ? "" : "&sid=" + sid);
}

/// Handshakes over polling; the sid.
std::string handshake(http_client& c, char eio = '4')
{
    auto const r = c.call(http_client::make(http::verb::get, poll_target(eio)));
    EXPECT_EQ(r.result_int(), 200);
    auto const body = r.body();
    auto const open = body.find("0{");
    EXPECT_NE(open, std::string::npos) << body;
    auto const end = body.find('}', open);
    return std::string(json::parse(body.substr(open + 1, end - open)).at("sid").as_string());
}

TEST(KuzzleSocketio, AHandshakeOverPollingGivesTheOpenPacketOfItsRevision)
{
    running_server s(socketio_server());
    http_client c(s.port);
    auto r = c.call(http_client::make(http::verb::get, poll_target('4')));
    ASSERT_EQ(r.result_int(), 200);
    EXPECT_EQ(r[http::field::content_type], "text/plain; charset=UTF-8");
    auto open = json::parse(r.body().substr(1)).as_object();
    EXPECT_EQ(r.body()[0], '0');
    EXPECT_EQ(open.at("upgrades"), json::parse(R"(["websocket"])"));
    EXPECT_EQ(open.at("maxPayload"), 1000000);
    r = c.call(http_client::make(http::verb::get, poll_target('3')));
    ASSERT_EQ(r.result_int(), 200);
    EXPECT_TRUE(r.body().starts_with("97:0{") && r.body().ends_with("}2:40")) << r.body() << ": the open packet, then \"/\" connected";
}

TEST(KuzzleSocketio, BadRequestsGetEngineIoErrors)
{
    running_server s(socketio_server());
    http_client c(s.port);
    auto const error = [&](http::verb method, std::string const& target, std::string body = {}) {
        auto const r = c.call(http_client::make(method, target, std::move(body)));
        return std::to_string(r.result_int()) + " " + r.body();
    };
    EXPECT_EQ(error(http::verb::get, "/socket.io/?EIO=5&transport=polling"), R"(400 {"code":5,"message":"Unsupported protocol version"})");
    EXPECT_EQ(error(http::verb::get, "/socket.io/?EIO=4&transport=carrier-pigeon"), R"(400 {"code":0,"message":"Transport unknown"})");
    EXPECT_EQ(error(http::verb::post, poll_target('4'), "40"), R"(400 {"code":2,"message":"Bad handshake method"})");
    EXPECT_EQ(error(http::verb::get, poll_target('4', "nosuchsid")), R"(400 {"code":1,"message":"Session ID unknown"})");
    EXPECT_EQ(error(http::verb::get, "/socket.io/?EIO=3&transport=polling&j=0"), R"(400 {"code":3,"message":"Bad request"})");
    EXPECT_TRUE(error(http::verb::put, poll_target('4')).starts_with("405 "));
}

TEST(KuzzleSocketio, AHeldPollGetsTheAnswersToWhatIsPosted)
{
    running_server s(socketio_server());
    http_client poller(s.port), poster(s.port);
    auto const sid = handshake(poller);
    poller.start(http_client::make(http::verb::get, poll_target('4', sid)));
    EXPECT_FALSE(poller.wait(300ms)) << "nothing to send yet: the poll is held";
    auto r = poster.call(http_client::make(http::verb::post, poll_target('4', sid), "40"));
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_EQ(r.body(), "ok");
    auto held = poller.wait();
    ASSERT_TRUE(held);
    EXPECT_TRUE(held->body().starts_with("40{\"sid\":")) << held->body();

    poller.start(http_client::make(http::verb::get, poll_target('4', sid)));
    r = poster.call(http_client::make(http::verb::post, poll_target('4', sid),
                                      "42[\"kuzzle\",{\"controller\":\"realtime\",\"action\":\"publish\",\"index\":\"i\","
                                      "\"collection\":\"c\",\"body\":{},\"requestId\":\"r1\"}]"));
    EXPECT_EQ(r.result_int(), 200);
    held = poller.wait();
    ASSERT_TRUE(held);
    ASSERT_TRUE(held->body().starts_with("42[\"r1\",")) << held->body();
    auto const event = json::parse(held->body().substr(2)).as_array();
    EXPECT_EQ(event.at(1).at("status"), 200);
    EXPECT_EQ(event.at(1).at("requestId"), "r1");
}

TEST(KuzzleSocketio, AnUpgradeThatCannotSucceedGetsItsEngineIoErrorBeforeTheUpgrade)
{
    running_server s(socketio_server(1));
    auto const upgrade = [&](std::string const& query) {
        return raw_exchange(s.port, "GET /socket.io/?" + query +
                                        " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade, close\r\n"
                                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    };
    auto r = upgrade("EIO=4&transport=websocket&sid=nosuchsid");
    EXPECT_TRUE(r.starts_with("HTTP/1.1 400")) << r;
    EXPECT_NE(r.find(R"({"code":1,"message":"Session ID unknown"})"), std::string::npos) << r;
    r = upgrade("EIO=4&transport=polling");
    EXPECT_NE(r.find(R"({"code":3,"message":"Bad request"})"), std::string::npos) << r;
    r = upgrade("EIO=9&transport=websocket");
    EXPECT_NE(r.find(R"({"code":5,"message":"Unsupported protocol version"})"), std::string::npos) << r;
    http_client c(s.port);
    handshake(c); // the one session there is room for
    EXPECT_TRUE(upgrade("EIO=4&transport=websocket").starts_with("HTTP/1.1 503")) << "no room for a new session";
}

TEST(KuzzleSocketio, OverlappingPollsOrABadPayloadEndTheSession)
{
    running_server s(socketio_server());
    http_client a(s.port), b(s.port);
    auto sid = handshake(a);
    a.start(http_client::make(http::verb::get, poll_target('4', sid)));
    EXPECT_FALSE(a.wait(200ms));
    auto r = b.call(http_client::make(http::verb::get, poll_target('4', sid)));
    EXPECT_EQ(r.result_int(), 400);
    auto held = a.wait();
    ASSERT_TRUE(held);
    EXPECT_EQ(held->body(), "1") << "the held poll gets CLOSE";
    EXPECT_EQ(b.call(http_client::make(http::verb::get, poll_target('4', sid))).result_int(), 400);

    sid = handshake(a);
    r = b.call(http_client::make(http::verb::post, poll_target('4', sid), "9"));
    EXPECT_EQ(r.result_int(), 400);
    EXPECT_EQ(b.call(http_client::make(http::verb::get, poll_target('4', sid))).body(),
              R"({"code":1,"message":"Session ID unknown"})");
}

TEST(KuzzleSocketio, SessionsPastTheLimitAre503)
{
    running_server s(socketio_server(1));
    http_client c(s.port);
    handshake(c);
    EXPECT_EQ(c.call(http_client::make(http::verb::get, poll_target('4'))).result_int(), 503);

    auto opts = socketio_server(100);
    opts.socketio.max_sessions_per_address = 2;
    running_server per_address(std::move(opts));
    http_client d(per_address.port);
    handshake(d);
    auto const sid = handshake(d);
    EXPECT_EQ(d.call(http_client::make(http::verb::get, poll_target('4'))).result_int(), 503) << "a third from 127.0.0.1";
    EXPECT_EQ(d.call(http_client::make(http::verb::post, poll_target('4', sid), "1")).result_int(), 200);
    handshake(d); // the closed session's place is free again
}

TEST(KuzzleSocketio, AWebSocketFromTheStartCarriesEvents)
{
    running_server s(socketio_server());
    ws_client ws(s.port, "/socket.io/?EIO=4&transport=websocket");
    auto open = ws.receive();
    ASSERT_TRUE(open && open->starts_with("0{"));
    EXPECT_EQ(json::parse(open->substr(1)).at("upgrades"), json::array()) << "no upgrade from a WebSocket";
    ws.send("40");
    auto connected = ws.receive();
    ASSERT_TRUE(connected);
    EXPECT_TRUE(connected->starts_with("40{\"sid\":"));
    ws.send(R"(42["kuzzle",{"controller":"realtime","action":"publish","index":"i","collection":"c","body":{}}])");
    auto answer = ws.receive();
    ASSERT_TRUE(answer && answer->starts_with("42[\""));
    auto const event = json::parse(answer->substr(2)).as_array();
    EXPECT_EQ(event.at(0), event.at(1).at("requestId")) << "a generated requestId names the response event";
    EXPECT_EQ(event.at(0).as_string().size(), 36u);
}

TEST(KuzzleSocketio, AnUpgradeProbesThenMovesTheSessionOntoTheWebSocket)
{
    running_server s(socketio_server());
    http_client poller(s.port);
    auto const sid = handshake(poller, '3');
    poller.start(http_client::make(http::verb::get, poll_target('3', sid)));
    EXPECT_FALSE(poller.wait(200ms));
    ws_client ws(s.port, "/socket.io/?EIO=3&transport=websocket&sid=" + sid);
    ws.send("2probe");
    EXPECT_EQ(ws.receive(), "3probe");
    auto held = poller.wait();
    ASSERT_TRUE(held);
    EXPECT_EQ(held->body(), "1:6") << "the held poll ends with NOOP";
    ws.send("5");
    ws.send(R"(42["kuzzle",{"controller":"realtime","action":"publish","index":"i","collection":"c","body":{},"requestId":"up"}])");
    auto answer = ws.receive();
    ASSERT_TRUE(answer);
    EXPECT_TRUE(answer->starts_with("42[\"up\",")) << *answer;
    EXPECT_EQ(poller.call(http_client::make(http::verb::get, poll_target('3', sid))).result_int(), 400)
        << "no polling once the WebSocket carries the session";
}

TEST(KuzzleSocketio, EventsForAClientThatDoesNotPollStopAtTheTotalBound)
{
    std::vector<std::string> log;
    auto opts = socketio_server(100, &log);
    opts.socketio.max_total_queued_bytes = 2000;
    auto s = std::make_unique<running_server>(std::move(opts));
    http_client idle(s->port), writer(s->port);
    auto const sid = handshake(idle);
    auto post = [&](std::string const& id, std::string const& body) {
        return writer.call(http_client::make(http::verb::post, poll_target('4', id), body)).result_int();
    };
    EXPECT_EQ(post(sid, R"(40)" "\x1e" R"(42["kuzzle",{"controller":"realtime","action":"subscribe","index":"i","collection":"c","body":{},"requestId":"sub"}])"), 200);
    auto const other = handshake(writer);
    EXPECT_EQ(post(other, "40"), 200);
    for(int i = 0; i < 20; ++i) // each notification for `sid` is about 400 bytes; it never polls
        EXPECT_EQ(post(other, R"(42["kuzzle",{"controller":"realtime","action":"publish","index":"i","collection":"c","body":{"n":)" +
                                  std::to_string(i) + "}}]"),
                  200);
    auto const r = idle.call(http_client::make(http::verb::get, poll_target('4', sid)));
    EXPECT_LE(r.body().size(), 2000u);
    EXPECT_NE(r.body().find("\"sub\""), std::string::npos) << "the subscribe response came first";
    s.reset();
    EXPECT_TRUE(std::any_of(log.begin(), log.end(), [](auto const& l) {
        return l.find("dropped") != std::string::npos && l.find("socketio.max_total_queued_bytes") != std::string::npos;
    }));
}

TEST(KuzzleSocketio, StoppingAnswersAHeldPollWithClose)
{
    auto s = std::make_unique<running_server>(socketio_server());
    http_client poller(s->port);
    auto const sid = handshake(poller);
    poller.start(http_client::make(http::verb::get, poll_target('4', sid)));
    EXPECT_FALSE(poller.wait(200ms));
    s->srv.stop();
    auto held = poller.wait();
    ASSERT_TRUE(held);
    EXPECT_EQ(held->body(), "1");
}

} // namespace
