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

} // namespace
