// Attacks on other clients' sessions and on the session table, against rtnotify-server run as a process.
// SPDX-License-Identifier: BSL-1.0
#include "hostile/bayeux_attacks.hpp"
#include "hostile/server_process.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace rtnotify_test;
namespace json = boost::json;

/// The error code of a failed reply ("402" of "402:…:Unknown client ID"), or "" when it succeeded.
std::string error_code(json::object const& m)
{
    auto const* e = m.if_contains("error");
    return e ? std::string(e->as_string()).substr(0, 3) : std::string();
}

// Anyone who knew a client id owned the session: B's WebSocket connect with
// A's id took A's deliveries, and B could subscribe, unsubscribe and
// disconnect A. A session started on a WebSocket is now that socket's alone.
TEST(HostileSessions, AnotherConnectionCannotActAsASocketsSession)
{
    server_process srv("");
    ASSERT_TRUE(srv.started());
    ws_client a(srv.port(), "/bayeux");
    a.send("[" + handshake_json + "]");
    auto const id = client_id_of(a.receive().value());
    a.send(meta("/meta/subscribe", id, R"("subscription":"/mine")"));
    ASSERT_EQ(first_message(a.receive().value()).at("successful"), true);
    a.send(meta("/meta/connect", id, R"("connectionType":"websocket")"));
    ASSERT_TRUE(a.receive());
    a.send(meta("/meta/connect", id, R"("connectionType":"websocket")")); // held

    ws_client b(srv.port(), "/bayeux");
    http_client c(srv.port());
    for(auto const& attempt : {meta("/meta/connect", id, R"("connectionType":"websocket")"),
                               meta("/meta/subscribe", id, R"("subscription":"/other")"),
                               meta("/meta/unsubscribe", id, R"("subscription":"/mine")"),
                               meta("/meta/disconnect", id, "")})
    {
        b.send(attempt);
        auto const r = b.receive(5000ms);
        ASSERT_TRUE(r) << "no reply to " << attempt << ": held as if B owned the session";
        EXPECT_EQ(error_code(first_message(*r)), "402") << "WebSocket: " << attempt;
        EXPECT_EQ(error_code(first_message(c.call(http_client::post_json("/bayeux", attempt)).body())), "402")
            << "HTTP: " << attempt;
    }
    // A still has its session, its subscription and its deliveries
    auto const publisher = std::string(first_message(c.call(http_client::post_json("/bayeux", handshake_json)).body())
                                           .at("clientId")
                                           .as_string());
    c.call(http_client::post_json("/bayeux", R"([{"channel":"/mine","clientId":")" + publisher + R"(","data":7}])"));
    auto const pushed = json::parse(a.receive().value());
    bool delivered = false;
    for(auto const& m : pushed.as_array())
        delivered = delivered || (m.at("channel") == "/mine" && m.at("data") == 7);
    EXPECT_TRUE(delivered) << json::serialize(pushed);
    EXPECT_FALSE(b.receive(300ms)) << "nothing of A's reaches B";
}

// The same over HTTP long-polling: a session is bound to the BAYEUX_BROWSER
// cookie its handshake's reply gives, once the client brings it back.
TEST(HostileSessions, AnotherClientCannotActAsAnHttpSession)
{
    server_process srv("");
    ASSERT_TRUE(srv.started());
    http_client a(srv.port());
    auto const hs = a.call(http_client::post_json("/bayeux", handshake_json));
    auto const set_cookie = std::string(hs[http::field::set_cookie]);
    ASSERT_TRUE(set_cookie.starts_with("BAYEUX_BROWSER=")) << set_cookie;
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
    auto const cookie = set_cookie.substr(0, set_cookie.find(';'));
    auto const id = client_id_of(hs.body());
    auto as_a = [&](std::string const& body) {
        auto req = http_client::post_json("/bayeux", body);
        req.set(http::field::cookie, cookie);
        return first_message(a.call(std::move(req)).body());
    };
    ASSERT_EQ(as_a(meta("/meta/subscribe", id, R"("subscription":"/mine")")).at("successful"), true);

    http_client b(srv.port());
    for(auto const& attempt : {meta("/meta/connect", id, R"("connectionType":"long-polling")"),
                               meta("/meta/subscribe", id, R"("subscription":"/other")"),
                               meta("/meta/unsubscribe", id, R"("subscription":"/mine")"),
                               meta("/meta/disconnect", id, "")})
    {
        EXPECT_EQ(error_code(first_message(b.call(http_client::post_json("/bayeux", attempt)).body())), "402")
            << "no cookie: " << attempt;
        auto req = http_client::post_json("/bayeux", attempt);
        req.set(http::field::cookie, "BAYEUX_BROWSER=someoneelse");
        EXPECT_EQ(error_code(first_message(b.call(std::move(req)).body())), "402") << "another cookie: " << attempt;
        ws_client w(srv.port(), "/bayeux");
        w.send(attempt);
        EXPECT_EQ(error_code(first_message(w.receive(5000ms).value())), "402") << "WebSocket: " << attempt;
    }
    // A's session is whole: its subscription holds and its connect is answered
    auto const publisher = client_id_of(b.call(http_client::post_json("/bayeux", handshake_json)).body());
    b.call(http_client::post_json("/bayeux", R"([{"channel":"/mine","clientId":")" + publisher + R"(","data":7}])"));
    auto const connect = as_a(meta("/meta/connect", id, R"("connectionType":"long-polling","advice":{"timeout":0})"));
    EXPECT_EQ(connect.at("successful"), true) << json::serialize(connect);
}

// 100,000 handshakes from one address filled the session table for everyone.
// Sessions are now counted per client address.
TEST(HostileSessions, OneAddressCannotFillTheSessionTable)
{
    server_process srv("--max-sessions-per-address 20 --listen [::1]:0", 2);
    ASSERT_TRUE(srv.started()) << "needs ::1 as well as 127.0.0.1";
    http_client attacker(srv.port());
    int refused = 0;
    for(int i = 0; i < 100; ++i)
    {
        auto const r = first_message(attacker.call(http_client::post_json("/bayeux", handshake_json)).body());
        if(error_code(r) == "500")
        {
            ++refused;
            EXPECT_EQ(r.at("error"), "500::Too many sessions from this address");
        }
    }
    EXPECT_EQ(refused, 80);
    // another address still gets in
    auto const request = "POST /bayeux HTTP/1.1\r\nHost: [::1]\r\nContent-Type: application/json\r\nContent-Length: " +
                         std::to_string(handshake_json.size()) + "\r\nConnection: close\r\n\r\n" + handshake_json;
    auto const reply = raw_exchange(srv.port(1), request, 5000ms, "::1");
    EXPECT_NE(reply.find(R"("successful":true)"), std::string::npos) << reply;
}

} // namespace
