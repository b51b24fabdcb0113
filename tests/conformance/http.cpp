// Tests for conformance/runner/http.hpp: one HTTP exchange, bounded against a hostile server.
#include "http.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <thread>

namespace {

namespace rc = rtnotify_conformance;
namespace asio = boost::asio;
using namespace std::chrono_literals;

/// A server on 127.0.0.1 that reads one request and answers `head`, then `filler` until the peer goes or `max_bytes`.
struct endless_server
{
    asio::io_context ioc;
    asio::ip::tcp::acceptor acceptor{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
    std::size_t sent = 0;
    std::thread thread;

    endless_server(std::string head, std::string filler, std::size_t max_bytes)
    {
        thread = std::thread([this, head = std::move(head), filler = std::move(filler), max_bytes] {
            asio::ip::tcp::socket s(ioc);
            acceptor.accept(s);
            std::array<char, 4096> request;
            boost::system::error_code ec;
            s.read_some(asio::buffer(request), ec);
            asio::write(s, asio::buffer(head), ec);
            while(!ec && sent < max_bytes)
                sent += asio::write(s, asio::buffer(filler), ec);
        });
    }

    ~endless_server() { finish(); }

    /// Waits for the server to stop sending; the bytes it sent.
    std::size_t finish()
    {
        if(thread.joinable())
            thread.join();
        return sent;
    }

    rtnotify::beast::endpoint_url url() const
    {
        return *rtnotify::beast::endpoint_url::parse("http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/");
    }
};

TEST(ConformanceHttp, EndlessChunkHeaderEndsTheExchange)
{
    constexpr std::size_t max_bytes = 256 * 1024 * 1024;
    endless_server server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;x=", std::string(64 * 1024, 'a'),
                          max_bytes);
    rc::cookie_jar jar;
    auto const got = rc::exchange(server.url(), "GET", "/", {}, "", jar, 20s);
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
    auto const got = rc::exchange(server.url(), "GET", "/", {}, "", jar, 20s);
    ASSERT_TRUE(std::holds_alternative<rc::no_reply>(got));
    EXPECT_FALSE(std::get<rc::no_reply>(got).timed_out) << std::get<rc::no_reply>(got).what;
}

} // namespace
