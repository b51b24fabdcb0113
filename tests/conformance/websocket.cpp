// Tests of websocket.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include "websocket.hpp"

#include "beast/loopback.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

namespace rc = rtnotify_conformance;
using namespace std::chrono_literals;

std::string const handshake_frame = R"([{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["websocket"]}])";

/// WebSockets to the reference server on a loopback port.
struct ConformanceWebSocket : ::testing::Test
{
    rtnotify_test::running_server server;
    rc::target const url =
        std::get<rc::target>(rtnotify::beast::parse_endpoint("http://127.0.0.1:" + std::to_string(server.port) + "/bayeux"));
    rc::cookie_jar jar;
};

TEST_F(ConformanceWebSocket, AReceiveThatTimesOutLosesNothing)
{
    rc::ws_client ws;
    auto opened = ws.open(url, "/bayeux", jar, 5s);
    ASSERT_TRUE(std::holds_alternative<rc::reply>(opened)) << std::get<rc::no_reply>(opened).what;
    EXPECT_EQ(std::get<rc::reply>(opened).status, 101u);
    ASSERT_TRUE(ws.is_open());
    EXPECT_FALSE(ws.send(handshake_frame, 5s));
    // no time to wait: the read stays pending, and the next receive gets the reply
    auto none = ws.receive(0ms);
    ASSERT_TRUE(std::holds_alternative<rc::no_reply>(none));
    EXPECT_TRUE(std::get<rc::no_reply>(none).timed_out);
    auto got = ws.receive(5s);
    ASSERT_TRUE(std::holds_alternative<std::string>(got)) << std::get<rc::no_reply>(got).what;
    EXPECT_NE(std::get<std::string>(got).find(R"("successful":true)"), std::string::npos);
    ws.close(5s);
    auto after = ws.receive(1s);
    ASSERT_TRUE(std::holds_alternative<rc::no_reply>(after));
    EXPECT_FALSE(std::get<rc::no_reply>(after).timed_out);
    EXPECT_EQ(ws.send(handshake_frame, 1s)->what, "closed by the client");
}

TEST_F(ConformanceWebSocket, RefusedAndUnreachable)
{
    rc::ws_client refused;
    auto r = refused.open(url, "/nowhere", jar, 5s);
    ASSERT_TRUE(std::holds_alternative<rc::reply>(r));
    EXPECT_EQ(std::get<rc::reply>(r).status, 404u);
    EXPECT_FALSE(refused.is_open());
    EXPECT_EQ(refused.send("[]", 1s)->what, "the WebSocket is not open");
    EXPECT_EQ(std::get<rc::no_reply>(refused.receive(1s)).what, "the WebSocket is not open");

    rc::ws_client unreachable;
    auto n = unreachable.open(std::get<rc::target>(rtnotify::beast::parse_endpoint("http://127.0.0.1:1/bayeux")), "/bayeux", jar, 5s);
    ASSERT_TRUE(std::holds_alternative<rc::no_reply>(n));
    EXPECT_NE(std::get<rc::no_reply>(n).what.find("connect to 127.0.0.1:1"), std::string::npos);
}

} // namespace
