// Tests of rtnotify/socketio/socket.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/socketio/socket.hpp>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace {

namespace sio = rtnotify::socketio;
namespace json = boost::json;
using namespace std::chrono_literals;

std::vector<std::string> sent(sio::socket& s)
{
    return s.take_outgoing();
}

sio::socket::time_point const t0{};

TEST(SocketioSocket, Version4HandshakeThenConnectOnRequest)
{
    sio::socket s("sid1", sio::eio_version::v4, true, {}, t0);
    auto out = sent(s);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0][0], '0');
    EXPECT_EQ(json::parse(out[0].substr(1)),
              json::parse(R"({"sid":"sid1","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})"));
    EXPECT_FALSE(s.connected());
    EXPECT_FALSE(s.emit("x", "1")) << "no event before the client connects to /";

    ASSERT_TRUE(s.receive("40", t0));
    EXPECT_TRUE(s.connected());
    out = sent(s);
    ASSERT_EQ(out.size(), 1u);
    ASSERT_EQ(out[0].substr(0, 2), "40");
    auto const reply = json::parse(out[0].substr(2)).as_object();
    EXPECT_EQ(reply.at("sid").as_string().size(), 20u);
}

TEST(SocketioSocket, Version3ConnectsSlashUnaskedAndOffersNoUpgradeOnAWebSocket)
{
    sio::socket s("sid2", sio::eio_version::v3, false, {}, t0);
    auto const out = sent(s);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(json::parse(out[0].substr(1)),
              json::parse(R"({"sid":"sid2","upgrades":[],"pingInterval":25000,"pingTimeout":20000})"));
    EXPECT_EQ(out[1], "40");
    EXPECT_TRUE(s.connected());
    ASSERT_TRUE(s.receive("40", t0)); // a 2.x client connecting "/" again is not answered twice
    EXPECT_FALSE(s.has_outgoing());
}

TEST(SocketioSocket, EventsComeOutWithTheirArgumentsAndAckId)
{
    sio::socket s("s", sio::eio_version::v4, false, {}, t0);
    ASSERT_TRUE(s.receive("40", t0));
    auto r = s.receive(R"(42["kuzzle",{"controller":"server","action":"now"}])", t0);
    ASSERT_TRUE(r);
    ASSERT_TRUE(*r);
    EXPECT_EQ((*r)->name, "kuzzle");
    EXPECT_EQ((*r)->args, json::parse(R"([{"controller":"server","action":"now"}])"));
    EXPECT_FALSE((*r)->ack);
    r = s.receive(R"(427["other",1,2])", t0);
    ASSERT_TRUE(r && *r);
    EXPECT_EQ((*r)->ack, 7u);
    EXPECT_EQ((*r)->args, json::parse("[1,2]"));
}

TEST(SocketioSocket, EmitQueuesAnEventUntilTheQueueIsFull)
{
    sio::socket_options o;
    o.max_queued_bytes = 64;
    sio::socket s("s", sio::eio_version::v4, false, o, t0);
    sent(s); // the handshake
    ASSERT_TRUE(s.receive("40", t0));
    sent(s);
    EXPECT_TRUE(s.emit("req-1", R"({"status":200})"));
    EXPECT_TRUE(s.emit("ch", R"({"a":"01234567890123456789"})"));
    EXPECT_FALSE(s.emit("ch", R"({"b":2})")) << "over 64 bytes queued";
    EXPECT_EQ(sent(s), (std::vector<std::string>{R"(42["req-1",{"status":200}])",
                                                 R"(42["ch",{"a":"01234567890123456789"}])"}));
    EXPECT_TRUE(s.emit("ch", R"({"b":2})")) << "taken: room again";
}

TEST(SocketioSocket, Version4PingsAndClosesWithoutPong)
{
    sio::socket s("s", sio::eio_version::v4, false, {}, t0);
    sent(s);
    EXPECT_EQ(s.deadline(), t0 + 25s);
    s.on_timer(t0 + 24s);
    EXPECT_FALSE(s.has_outgoing());
    s.on_timer(t0 + 25s);
    EXPECT_EQ(sent(s), (std::vector<std::string>{"2"}));
    EXPECT_EQ(s.deadline(), t0 + 45s);
    ASSERT_TRUE(s.receive("3", t0 + 30s));
    EXPECT_EQ(s.deadline(), t0 + 55s) << "the next ping an interval after the pong";
    s.on_timer(t0 + 55s);
    EXPECT_EQ(sent(s), (std::vector<std::string>{"2"}));
    s.on_timer(t0 + 75s);
    EXPECT_TRUE(s.closed());
    EXPECT_EQ(s.close_reason(), sio::error::ping_timeout);
}

TEST(SocketioSocket, Version3AnswersPingsAndClosesWhenTheyStop)
{
    sio::socket s("s", sio::eio_version::v3, false, {}, t0);
    sent(s);
    EXPECT_EQ(s.deadline(), t0 + 45s);
    ASSERT_TRUE(s.receive("2", t0 + 20s));
    EXPECT_EQ(sent(s), (std::vector<std::string>{"3"}));
    EXPECT_EQ(s.deadline(), t0 + 65s);
    s.on_timer(t0 + 64s);
    EXPECT_FALSE(s.closed());
    s.on_timer(t0 + 65s);
    EXPECT_TRUE(s.closed());
    EXPECT_EQ(s.close_reason(), sio::error::ping_timeout);
}

TEST(SocketioSocket, OtherNamespacesAreRefusedAsEachVersionDoes)
{
    sio::socket v4("a", sio::eio_version::v4, false, {}, t0), v3("b", sio::eio_version::v3, false, {}, t0);
    sent(v4);
    sent(v3);
    EXPECT_EQ(v4.receive("40/admin,", t0).error(), (sio::diagnostic{sio::error::unknown_namespace, 1}));
    EXPECT_EQ(sent(v4), (std::vector<std::string>{R"(44/admin,{"message":"Invalid namespace"})"}));
    EXPECT_EQ(v3.receive("40/admin,", t0).error().code, sio::error::unknown_namespace);
    EXPECT_EQ(sent(v3), (std::vector<std::string>{R"(44/admin,"Invalid namespace")"}));
    EXPECT_FALSE(v4.closed());
    EXPECT_EQ(v4.receive(R"(42["kuzzle",{}])", t0).error().code, sio::error::unknown_namespace)
        << "an event before CONNECT is ignored";
    EXPECT_FALSE(v4.closed());
}

TEST(SocketioSocket, MalformedPacketsCloseTheSocketWithTheirErrorAndByte)
{
    struct refusal
    {
        char const* text;
        sio::diagnostic diag;
    };
    refusal const cases[] = {
        {"", {sio::error::empty_packet, 0}},
        {"9", {sio::error::bad_packet_type, 0}},
        {"0{}", {sio::error::unexpected_packet, 0}},
        {"5", {sio::error::unexpected_packet, 0}},
        {"42[\"a\"", {sio::error::bad_json, 2}},
        {"451-[\"a\",{}]", {sio::error::binary_unsupported, 1}},
        {"44{}", {sio::error::unexpected_packet, 1}},
    };
    for(auto const& c : cases)
    {
        sio::socket s("s", sio::eio_version::v4, false, {}, t0);
        ASSERT_TRUE(s.receive("40", t0));
        auto const r = s.receive(c.text, t0);
        ASSERT_FALSE(r) << c.text;
        EXPECT_EQ(r.error(), c.diag) << c.text;
        EXPECT_TRUE(s.closed()) << c.text;
        EXPECT_EQ(s.close_reason(), c.diag.code) << c.text;
    }
}

TEST(SocketioSocket, TheClientEndsItWithCloseOrDisconnect)
{
    for(auto text : {"1", "41"})
    {
        sio::socket s("s", sio::eio_version::v4, false, {}, t0);
        ASSERT_TRUE(s.receive("40", t0));
        ASSERT_TRUE(s.receive(text, t0));
        EXPECT_TRUE(s.closed()) << text;
        EXPECT_FALSE(s.close_reason()) << text;
        EXPECT_FALSE(s.emit("x", "1"));
    }
}

TEST(SocketioSocket, AClientThatPingsAndNeverReadsIsClosed)
{
    sio::socket_options o;
    o.max_queued_bytes = 300;
    sio::socket s("s", sio::eio_version::v3, false, o, t0);
    int answered = 0;
    while(s.receive("2", t0))
        ++answered;
    EXPECT_TRUE(s.closed());
    EXPECT_EQ(s.close_reason(), sio::error::queue_full);
    EXPECT_GT(answered, 100);
    EXPECT_LE(s.queued_bytes(), 300u);
}

} // namespace
