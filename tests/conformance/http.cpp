// Tests for conformance/runner/http.hpp: one HTTP exchange, bounded against a hostile server.
// SPDX-License-Identifier: BSL-1.0
#include "http.hpp"

#include "beast/loopback.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <thread>

namespace {

namespace rc = rtnotify_conformance;
using rtnotify_test::endless_server;
namespace asio = boost::asio;
using namespace std::chrono_literals;

TEST(ConformanceHttp, EndlessChunkHeaderEndsTheExchange)
{
    constexpr std::size_t max_bytes = 256 * 1024 * 1024;
    endless_server server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;x=", std::string(64 * 1024, 'a'),
                          max_bytes);
    rc::cookie_jar jar;
    auto const got = rc::exchange(std::get<rc::target>(rtnotify::beast::parse_endpoint("http://127.0.0.1:" + std::to_string(server.port()) + "/")), "GET", "/", {}, "", jar, 20s);
    EXPECT_LT(server.finish(), max_bytes); // the runner stopped reading and closed the connection
    ASSERT_TRUE(std::holds_alternative<rc::no_reply>(got));
    auto const& why = std::get<rc::no_reply>(got);
    EXPECT_FALSE(why.timed_out) << why.what;
    EXPECT_NE(why.what.find("read the reply"), std::string::npos) << why.what;
}

TEST(ConformanceHttp, EndlessHeaderEndsTheExchange)
{
    endless_server server("HTTP/1.1 200 OK\r\nX-Endless: ", std::string(64 * 1024, 'a'), 256 * 1024 * 1024);
    rc::cookie_jar jar;
    auto const got = rc::exchange(std::get<rc::target>(rtnotify::beast::parse_endpoint("http://127.0.0.1:" + std::to_string(server.port()) + "/")), "GET", "/", {}, "", jar, 20s);
    ASSERT_TRUE(std::holds_alternative<rc::no_reply>(got));
    EXPECT_FALSE(std::get<rc::no_reply>(got).timed_out) << std::get<rc::no_reply>(got).what;
}

rc::target loopback_target(unsigned short port)
{
    return std::get<rc::target>(rtnotify::beast::parse_endpoint("http://127.0.0.1:" + std::to_string(port) + "/bayeux"));
}

TEST(ConformanceHttp, KeptConnectionCarriesRequestsOneAfterTheOther)
{
    rtnotify_test::running_server server;
    rc::cookie_jar jar;
    rc::kept_connection kept;
    std::string const handshake = R"([{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]}])";
    for(int i = 0; i < 3; ++i)
    {
        auto const got = kept.exchange(loopback_target(server.port), "POST", "/bayeux",
                                       {{"Content-Type", "application/json"}}, handshake, jar, 20s);
        ASSERT_TRUE(std::holds_alternative<rc::reply>(got)) << std::get<rc::no_reply>(got).what;
        auto const& r = std::get<rc::reply>(got);
        EXPECT_EQ(r.status, 200u);
        EXPECT_EQ(r.reused, i > 0) << i;
        EXPECT_TRUE(r.kept);
        EXPECT_EQ(r.sent.find("Connection: close"), std::string::npos);
        EXPECT_TRUE(kept.open());
    }
}

TEST(ConformanceHttp, KeptConnectionEndsWhenTheServerSaysClose)
{
    endless_server server("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", "", 0);
    rc::cookie_jar jar;
    rc::kept_connection kept;
    auto const got = kept.exchange(loopback_target(server.port()), "GET", "/", {}, "", jar, 20s);
    ASSERT_TRUE(std::holds_alternative<rc::reply>(got)) << std::get<rc::no_reply>(got).what;
    EXPECT_FALSE(std::get<rc::reply>(got).kept);
    EXPECT_FALSE(kept.open());
}

TEST(ConformanceHttp, KeptConnectionClosedSilentlyFailsTheNextRequestWithTheReason)
{
    // a reply that promises to keep the connection, then the server goes away
    endless_server server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "", 0);
    rc::cookie_jar jar;
    rc::kept_connection kept;
    auto got = kept.exchange(loopback_target(server.port()), "GET", "/", {}, "", jar, 20s);
    ASSERT_TRUE(std::holds_alternative<rc::reply>(got)) << std::get<rc::no_reply>(got).what;
    EXPECT_TRUE(kept.open());
    server.finish();
    got = kept.exchange(loopback_target(server.port()), "GET", "/", {}, "", jar, 20s);
    ASSERT_TRUE(std::holds_alternative<rc::no_reply>(got));
    EXPECT_NE(std::get<rc::no_reply>(got).what.find("(on the connection the previous reply came on)"), std::string::npos)
        << std::get<rc::no_reply>(got).what;
    EXPECT_FALSE(kept.open());
}

} // namespace
