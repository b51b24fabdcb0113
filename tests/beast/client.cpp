// Tests of rtnotify/beast/client.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/client.hpp>

#include "beast/loopback.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>
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
