// Tests of rtnotify/beast/client.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/client.hpp>
#include <rtnotify/beast/connection.hpp>

#include "beast/inherited_sockets.hpp"
#include "beast/loopback.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace {

using namespace rtnotify_test;
namespace rb = rtnotify::beast;
namespace ss = rtnotify::session;

/// A client on its own io_context, pumped by the test thread; records what it is told.
struct test_client
{
    asio::io_context ioc;
    rb::client c;
    std::vector<std::string> deliveries; ///< "channel=data"
    std::vector<ss::client_state> states;
    std::size_t publish_acks = 0;

    test_client(unsigned short port, bool websocket)
        : c(ioc.get_executor(), std::get<rb::endpoint>(rb::parse_endpoint("http://127.0.0.1:" + std::to_string(port) + "/bayeux")),
            options(websocket))
    {
        c.on_event = [this](ss::client_event& e) {
            if(auto* d = std::get_if<ss::delivered>(&e))
                deliveries.push_back(d->message.channel + "=" + boost::json::serialize(d->message.data.value()));
            else if(auto* s = std::get_if<ss::state_changed>(&e))
                states.push_back(s->state);
            else if(auto* r = std::get_if<ss::replied>(&e))
                if(r->reply.successful.value_or(false) && !r->reply.channel.starts_with("/meta/"))
                    ++publish_acks;
        };
    }

    static rb::client_options options(bool websocket)
    {
        rb::client_options o;
        if(websocket)
            o.session.connection_types = {"websocket", "long-polling"};
        o.session.backoff_increment = std::chrono::milliseconds(50);
        o.session.max_backoff = std::chrono::milliseconds(200);
        return o;
    }

    template<class Done>
    bool run(Done done, std::chrono::milliseconds limit = 5000ms)
    {
        return run_until(ioc, done, limit);
    }

    bool connected() const { return c.engine().state() == ss::client_state::connected; }
};

TEST(BeastClientHostile, EndlessChunkHeaderFailsTheRequest)
{
    // a server that answers with a chunk-size line that never ends
    constexpr std::size_t max_bytes = 256 * 1024 * 1024;
    endless_server hostile("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1;x=",
                           std::string(64 * 1024, 'a'), max_bytes);
    {
        test_client c(hostile.port(), false);
        c.c.start();
        EXPECT_TRUE(c.run([&] { return hostile.done.load(); }, 20000ms));
    } // the client is gone: the server's writes end, whatever happened
    EXPECT_LT(hostile.finish(), max_bytes); // the client stopped reading and closed the connection
}

TEST(BeastClientHostile, ARequestGivenUpIsAbandonedWithItsConnection)
{
    // a server that reads the handshake on its first connection and never answers
    asio::io_context sioc;
    asio::ip::tcp::acceptor acceptor(sioc, {asio::ip::make_address("127.0.0.1"), 0});
    acceptor.non_blocking(true);
    std::atomic<bool> done{false};
    std::string first, more_on_first, second;
    bool first_closed = false;
    std::thread server([&] {
        asio::ip::tcp::socket s1(sioc), s2(sioc);
        auto const deadline = std::chrono::steady_clock::now() + 10s;
        boost::system::error_code ec;
        std::array<char, 4096> buf;
        while(std::chrono::steady_clock::now() < deadline)
        {
            auto& next = s1.is_open() ? s2 : s1;
            if(!next.is_open())
            {
                acceptor.accept(next, ec);
                if(!ec)
                    next.non_blocking(true);
            }
            if(s1.is_open() && !first_closed)
            {
                // the first request is whole once its JSON array is closed
                bool const whole = first.find("\r\n\r\n") != std::string::npos && first.ends_with(']');
                auto const n = s1.read_some(asio::buffer(buf), ec);
                first_closed = ec == asio::error::eof;
                (whole ? more_on_first : first).append(buf.data(), n);
            }
            if(s2.is_open())
                second.append(buf.data(), s2.read_some(asio::buffer(buf), ec));
            if(first_closed && second.find("/meta/handshake") != std::string::npos)
                break;
            std::this_thread::sleep_for(5ms);
        }
        done = true;
    });
    asio::io_context ioc;
    auto o = test_client::options(false);
    o.session.max_network_delay = 200ms; // the handshake is given up 200 ms after it was sent
    rb::client c(ioc.get_executor(), std::get<rb::endpoint>(rb::parse_endpoint("http://127.0.0.1:" +
                                                                               std::to_string(acceptor.local_endpoint().port()) + "/bayeux")),
                 o);
    c.start();
    EXPECT_TRUE(run_until(ioc, [&] { return done.load(); }, 15000ms));
    c.close();
    server.join();
    EXPECT_NE(first.find("/meta/handshake"), std::string::npos) << first;
    // the handshake sent again goes out on a connection of its own; the first one is closed, and carried nothing more
    EXPECT_NE(second.find("/meta/handshake"), std::string::npos) << second;
    EXPECT_TRUE(first_closed);
    EXPECT_EQ(more_on_first, "");
}

class BeastClient : public testing::TestWithParam<bool>
{
};

TEST_P(BeastClient, SubscribePublishReceiveDisconnect)
{
    auto o = rb::server_options();
    o.session.timeout = std::chrono::milliseconds(500);
    running_server s(o);
    test_client a(s.port, GetParam()), b(s.port, GetParam());
    a.c.subscribe("/room/*");
    a.c.start();
    b.c.start();
    ASSERT_TRUE(a.run([&] { return a.connected(); }));
    ASSERT_TRUE(b.run([&] { return b.connected(); }));
    a.run([] { return false; }, 100ms); // the subscription is confirmed on the way

    b.c.publish("/room/1", 1);
    b.c.publish("/room/1/deeper", 2);
    b.c.publish("/room/2", 3);
    ASSERT_TRUE(b.run([&] { return b.publish_acks == 3; }));
    ASSERT_TRUE(a.run([&] { return a.deliveries.size() == 2; }));
    EXPECT_EQ(a.deliveries, (std::vector<std::string>{"/room/1=1", "/room/2=3"}));

    a.run([] { return false; }, 700ms); // a held connect times out and is renewed
    b.c.publish("/room/3", 4);
    ASSERT_TRUE(a.run([&] { return a.deliveries.size() == 3; }));
    EXPECT_EQ(a.deliveries.back(), "/room/3=4");

    a.c.disconnect();
    ASSERT_TRUE(a.run([&] { return a.c.engine().state() == ss::client_state::disconnected; }));
    b.c.publish("/room/4", 5);
    ASSERT_TRUE(b.run([&] { return b.publish_acks == 5; }));
    EXPECT_EQ(a.deliveries.size(), 3u);
}

TEST(BeastClientSockets, AProcessTheProgramStartsDoesNotInheritAConnection)
{
    running_server s;
    asio::io_context ioc;
    boost::beast::tcp_stream stream(ioc);
    asio::ip::tcp::resolver resolver(ioc);
    auto const parsed = rtnotify::beast::parse_endpoint("http://127.0.0.1:" + std::to_string(s.port) + "/bayeux");
    ASSERT_TRUE(std::holds_alternative<rtnotify::beast::endpoint>(parsed));
    auto const& e = std::get<rtnotify::beast::endpoint>(parsed);
    bool done = false;
    boost::system::error_code result;
    rtnotify::beast::async_open(e, resolver, stream, nullptr, [&](boost::system::error_code ec, std::string const&) {
        result = ec;
        done = true;
    });
    ASSERT_TRUE(run_until(ioc, [&] { return done; }, 5000ms));
    ASSERT_FALSE(result) << result.message();
    auto const client_side = sockets_on_port(s.port, true); // its peer is the server's port
    ASSERT_EQ(client_side.size(), 1u);
    auto const inherited = sockets_a_child_inherits();
    EXPECT_FALSE(inherited.contains(*client_side.begin()));
}

TEST(BeastClientCookies, LongPollingBringsTheBrowserCookieBack)
{
    running_server s(rb::server_options{});
    test_client a(s.port, false);
    a.c.start();
    ASSERT_TRUE(a.run([&] { return a.connected(); }));
    EXPECT_EQ(a.c.cookies().value("BAYEUX_BROWSER").size(), 22u);
    // the session is bound to the cookie, so the client brought it back: a request without it is refused
    http_client other(s.port);
    auto const r = other.call(http_client::post_json(
        "/bayeux", R"([{"channel":"/meta/subscribe","clientId":")" + a.c.engine().client_id() + R"(","subscription":"/x"}])"));
    EXPECT_NE(r.body().find(R"("error":"402:)"), std::string::npos) << r.body();
    a.c.subscribe("/x");
    a.c.publish("/x", 1);
    ASSERT_TRUE(a.run([&] { return a.deliveries.size() == 1; })) << "the client itself goes on";
}

TEST_P(BeastClient, HandshakesAgainAfterServerRestart)
{
    auto o = rb::server_options();
    o.session.timeout = std::chrono::milliseconds(300);
    auto s = std::make_unique<running_server>(o);
    auto const port = s->port;
    test_client a(port, GetParam()), b(port, GetParam());
    a.c.subscribe("/r");
    a.c.start();
    b.c.start();
    ASSERT_TRUE(a.run([&] { return a.connected(); }));
    ASSERT_TRUE(b.run([&] { return b.connected(); }));
    auto const first = a.c.engine().client_id();
    auto const first_b = b.c.engine().client_id();

    s->srv.stop(); // the server goes away with every session
    a.run([] { return false; }, 200ms); // the clients answer the WebSocket close
    b.run([] { return false; }, 200ms);
    s.reset();
    a.run([] { return false; }, 300ms);
    s = std::make_unique<running_server>(o, port);
    ASSERT_TRUE(a.run([&] { return a.connected() && a.c.engine().client_id() != first; }, 10000ms));
    ASSERT_TRUE(b.run([&] { return b.connected() && b.c.engine().client_id() != first_b; }, 10000ms));
    a.run([] { return false; }, 100ms); // the subscription is made again

    b.c.publish("/r", "again");
    ASSERT_TRUE(b.run([&] { return b.publish_acks == 1; }));
    ASSERT_TRUE(a.run([&] { return !a.deliveries.empty(); }));
    EXPECT_EQ(a.deliveries.back(), "/r=\"again\"");
}

INSTANTIATE_TEST_SUITE_P(Transports, BeastClient, testing::Values(false, true),
                         [](testing::TestParamInfo<bool> const& i) { return i.param ? "websocket" : "long_polling"; });

} // namespace
