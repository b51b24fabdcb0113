// Tests of rtnotify/beast/server.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/server.hpp>

#include <rtnotify/smartrest/decode.hpp>
#include <rtnotify/smartrest/message.hpp>

#include "beast/inherited_sockets.hpp"
#include "beast/loopback.hpp"
#include "beast/prometheus.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace rtnotify_test;
namespace json = boost::json;
namespace sr = rtnotify::smartrest;

std::string const handshake_json =
    R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling","callback-polling","websocket"]})";

/// The Bayeux messages of a response body.
json::array messages(response const& r)
{
    EXPECT_EQ(r.result_int(), 200u) << r.body();
    auto v = json::parse(r.body());
    return v.as_array();
}

/// Handshakes over long-polling; returns the client id.
std::string handshake(http_client& c, std::string_view path = "/bayeux/handshake")
{
    auto m = messages(c.call(http_client::post_json(path, handshake_json)));
    EXPECT_EQ(m.at(0).at("successful"), true);
    return json::value_to<std::string>(m.at(0).at("clientId"));
}

std::string meta(std::string_view channel, std::string const& id, std::string_view more = "")
{
    std::string j = R"({"channel":")" + std::string(channel) + R"(","clientId":")" + id + '"';
    if(!more.empty())
        j += "," + std::string(more);
    return j + "}";
}

std::string connect(std::string const& id, std::string_view type = "long-polling")
{
    return meta("/meta/connect", id, R"("connectionType":")" + std::string(type) + '"');
}

std::string subscribe(std::string const& id, std::string_view channel)
{
    return meta("/meta/subscribe", id, R"("subscription":")" + std::string(channel) + '"');
}

std::string publish(std::string const& id, std::string_view channel, std::string_view data)
{
    return R"({"channel":")" + std::string(channel) + R"(","clientId":")" + id + R"(","data":)" + std::string(data) +
           "}";
}

/// The data of the deliveries among `m`, as JSON text.
std::vector<std::string> deliveries(json::array const& m)
{
    std::vector<std::string> out;
    for(auto const& v : m)
        if(!v.as_object().contains("successful"))
            out.push_back(json::serialize(v.at("data")));
    return out;
}

rtnotify::beast::server_options quick()
{
    rtnotify::beast::server_options o;
    o.session.timeout = std::chrono::milliseconds(3000);
    return o;
}

TEST(BeastServer, BayeuxLongPollingLifeCycle)
{
    running_server s(quick());
    http_client a(s.port), held(s.port), b(s.port);
    auto const ida = handshake(a);
    auto const idb = handshake(b, "/bayeux");
    EXPECT_EQ(messages(a.call(http_client::post_json("/bayeux", subscribe(ida, "/chat/*")))).at(0).at("successful"), true);
    EXPECT_EQ(messages(a.call(http_client::post_json("/bayeux/connect", connect(ida)))).at(0).at("successful"), true);

    held.start(http_client::post_json("/bayeux/connect", connect(ida)));
    EXPECT_FALSE(held.wait(300ms)); // held until something happens
    b.call(http_client::post_json("/bayeux", publish(idb, "/chat/room", R"({"text":"hi"})")));
    auto r = held.wait();
    ASSERT_TRUE(r);
    auto m = messages(*r);
    EXPECT_EQ(m.at(0).at("channel"), "/meta/connect");
    EXPECT_EQ(deliveries(m), std::vector<std::string>{R"({"text":"hi"})"});

    a.call(http_client::post_json("/bayeux", meta("/meta/unsubscribe", ida, R"("subscription":"/chat/*")")));
    b.call(http_client::post_json("/bayeux", publish(idb, "/chat/room", "2")));
    held.start(http_client::post_json("/bayeux/connect", connect(ida)));
    EXPECT_FALSE(held.wait(300ms));
    auto bye = messages(a.call(http_client::post_json("/bayeux/disconnect", meta("/meta/disconnect", ida))));
    EXPECT_EQ(bye.at(0).at("successful"), true);
    r = held.wait(); // the disconnect answers the held connect, with nothing delivered
    ASSERT_TRUE(r);
    EXPECT_TRUE(deliveries(messages(*r)).empty());
}

TEST(BeastServer, BayeuxFormPostAndJsonp)
{
    running_server s(quick());
    http_client c(s.port);
    auto form = c.call(http_client::make(http::verb::post, "/bayeux",
                                         "message=" + std::string("%7B%22channel%22%3A%22%2Fmeta%2Fhandshake%22%2C%22version%22%3A%221.0%22%2C%22supportedConnectionTypes%22%3A%5B%22long-polling%22%5D%7D"),
                                         {{"Content-Type", "application/x-www-form-urlencoded"}}));
    EXPECT_EQ(messages(form).at(0).at("successful"), true);

    auto jsonp = c.call(http_client::make(
        http::verb::get,
        "/bayeux/handshake?jsonp=_cb1&message=%5B%7B%22channel%22%3A%22%2Fmeta%2Fhandshake%22%2C%22version%22%3A%221.0%22%2C%22supportedConnectionTypes%22%3A%5B%22callback-polling%22%5D%7D%5D"));
    EXPECT_EQ(jsonp.result_int(), 200u);
    EXPECT_EQ(jsonp[http::field::content_type], "text/javascript; charset=utf-8");
    ASSERT_TRUE(jsonp.body().starts_with("_cb1(")) << jsonp.body();
    ASSERT_TRUE(jsonp.body().ends_with(");"));
    auto inner = json::parse(jsonp.body().substr(5, jsonp.body().size() - 7));
    EXPECT_EQ(inner.at(0).at("successful"), true);
    EXPECT_EQ(inner.at(0).at("supportedConnectionTypes"), json::parse(R"(["callback-polling"])"));
}

TEST(BeastServer, BayeuxWebSocketPushesDeliveries)
{
    running_server s(quick());
    ws_client w(s.port, "/bayeux");
    w.send("[" + handshake_json + "]");
    auto hs = json::parse(w.receive().value());
    auto const id = json::value_to<std::string>(hs.at(0).at("clientId"));
    w.send(subscribe(id, "/news/**"));
    EXPECT_EQ(json::parse(w.receive().value()).at(0).at("successful"), true);
    w.send(connect(id, "websocket"));
    EXPECT_EQ(json::parse(w.receive().value()).at(0).at("channel"), "/meta/connect");
    w.send(connect(id, "websocket")); // held: the heartbeat
    EXPECT_FALSE(w.receive(300ms));

    http_client b(s.port);
    auto const idb = handshake(b);
    b.call(http_client::post_json("/bayeux", publish(idb, "/news/a/b", "42")));
    auto pushed = json::parse(w.receive().value()).as_array();
    EXPECT_EQ(deliveries(pushed), std::vector<std::string>{"42"});
    EXPECT_EQ(pushed.at(0).at("channel"), "/news/a/b");
}

TEST(BeastServer, TheClusterSeamsPassOnWhatCrossesNodesAndNotWhatCameFromThem)
{
    // what the hooks saw, written and read on the strand
    std::vector<std::string> published;
    std::vector<std::string> registered;
    auto o = quick();
    o.on_published = [&](rtnotify::session::published const& p) { published.push_back(*p.json); };
    o.on_templates_registered = [&](std::string_view xid, std::string_view body, std::string_view owner) {
        registered.push_back(std::string(xid) + "|" + std::string(body) + "|" + std::string(owner));
    };
    running_server s(o);
    ws_client w(s.port, "/bayeux");
    w.send("[" + handshake_json + "]");
    auto const id = json::value_to<std::string>(json::parse(w.receive().value()).at(0).at("clientId"));
    w.send(subscribe(id, "/news"));
    EXPECT_EQ(json::parse(w.receive().value()).at(0).at("successful"), true);
    w.send(connect(id, "websocket"));
    w.receive();
    w.send(connect(id, "websocket"));

    http_client b(s.port);
    auto const idb = handshake(b);
    b.call(http_client::post_json("/bayeux", publish(idb, "/news", R"({"local":1})")));
    EXPECT_EQ(deliveries(json::parse(w.receive().value()).as_array()), std::vector<std::string>{R"({"local":1})"});
    rtnotify::bayeux::message remote;
    remote.channel = "/news";
    remote.data = json::parse(R"({"remote":2})");
    s.srv.publish_remote(remote);
    EXPECT_EQ(deliveries(json::parse(w.receive().value()).as_array()), std::vector<std::string>{R"({"remote":2})"});

    auto post = [](std::string_view xid, std::string body) {
        return http_client::make(http::verb::post, "/s", std::move(body), {{"X-Id", xid}});
    };
    EXPECT_TRUE(b.call(post("alarms", "11,102,$,$.severity,$.id\n")).body().starts_with("20,"));
    EXPECT_TRUE(b.call(post("alarms", "")).body().starts_with("20,"));                       // a question
    EXPECT_TRUE(b.call(post("alarms", "11,103,$,$.x,$.id\n")).body().starts_with("41,"));   // already there
    std::promise<std::string> answered;
    s.srv.register_remote_templates("ops", "11,811,$,$.c8y_Restart,$.id\n", "10.0.0.7",
                                    [&](std::string const& a) { answered.set_value(a); });
    EXPECT_TRUE(answered.get_future().get().starts_with("20,"));
    EXPECT_TRUE(b.call(post("ops", "")).body().starts_with("20,")); // usable here

    s.on_strand([&] {
        ASSERT_EQ(published.size(), 1u) << "a remote publish does not go around again";
        EXPECT_NE(published[0].find(R"("channel":"/news")"), std::string::npos) << published[0];
        EXPECT_NE(published[0].find(R"("data":{"local":1})"), std::string::npos) << published[0];
        EXPECT_EQ(registered, std::vector<std::string>{"alarms|11,102,$,$.severity,$.id\n|127.0.0.1"});
    });
}

TEST(BeastServer, SmartrestDeviceFlow)
{
    running_server s(quick());
    http_client dev(s.port), held(s.port), app(s.port);
    auto post = [](std::string_view path, std::string_view xid, std::string body) {
        return http_client::make(http::verb::post, path, std::move(body), {{"X-Id", xid}});
    };
    EXPECT_EQ(dev.call(post("/s", "alarms", "")).body(), "40,No template for this X-ID.\n");
    auto reg = dev.call(post("/s", "alarms", "11,102,$,$.severity,$.id,$.text,$.severity\n"));
    ASSERT_TRUE(reg.body().starts_with("20,")) << reg.body();
    EXPECT_EQ(dev.call(post("/s", "alarms", "")).body(), reg.body()); // registered: its id again
    EXPECT_TRUE(dev.call(post("/s", "ops", "11,811,$,$.c8y_Restart,$.id,$.deviceId\n")).body().starts_with("20,"));

    auto id = dev.call(post("/notification/realtime", "alarms", "80")).body();
    ASSERT_EQ(id.size(), 27u) << id;
    id.pop_back();
    EXPECT_EQ(dev.call(post("/notification/realtime", "alarms", "81," + id + ",/alarms/208")).body(), "");
    EXPECT_EQ(dev.call(post("/notification/realtime", "alarms", "81," + id + ",/operations/5,ops")).body(), "");
    EXPECT_EQ(dev.call(post("/notification/realtime", "alarms", "83," + id)).body(), "86,,3000,0,retry\n");

    held.start(post("/cep/realtime", "alarms", "83," + id));
    EXPECT_FALSE(held.wait(300ms));
    auto const idb = handshake(app);
    app.call(http_client::post_json(
        "/bayeux", publish(idb, "/operations/5",
                           R"({"realtimeAction":"CREATE","data":{"id":"1","deviceId":"5","c8y_Restart":{},"severity":"MINOR","text":"t"}})")));
    auto r = held.wait();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body(), "86,,3000,0,retry\n87,1,alarms\n102,1,1,t,MINOR\n87,1,ops\n811,1,1,5\n");
    EXPECT_EQ(dev.call(post("/notification/realtime", "alarms", "84," + id)).body(), "");
    EXPECT_EQ(dev.call(post("/notification/realtime", "alarms", "83," + id)).body(),
              "86,,,0,handshake\n45,1,402:" + id + ":Unknown client ID\n");
}

TEST(BeastServer, SmartrestRequestsWithoutValidCredentialsGet401)
{
    auto o = quick();
    std::vector<std::string> asked; // the hook runs on the server's strand; read after the calls returned
    o.smartrest_credentials = [&](std::string_view authorization, std::string_view address, rtnotify::session::time_point) {
        asked.push_back(std::string(authorization) + "|" + std::string(address));
        return authorization == "Basic ZGV2aWNlOnB3"; // device:pw
    };
    running_server s(std::move(o));
    http_client dev(s.port);
    auto post = [](std::string_view path, std::string body, std::string_view authorization) {
        auto r = http_client::make(http::verb::post, path, std::move(body), {{"X-Id", "x"}});
        if(!authorization.empty())
            r.set(http::field::authorization, authorization);
        return r;
    };
    for(auto const* path : {"/s", "/notification/realtime", "/cep/realtime"})
        for(auto const* authorization : {"", "Basic ZGV2aWNlOnB4", "Bearer x"})
        {
            auto const r = dev.call(post(path, "80", authorization));
            EXPECT_EQ(r.result_int(), 401u) << path << " " << authorization;
            EXPECT_EQ(r[http::field::www_authenticate], "Basic realm=\"rtnotify\"");
        }
    EXPECT_EQ(dev.call(post("/s", "", "Basic ZGV2aWNlOnB3")).body(), "40,No template for this X-ID.\n");
    EXPECT_EQ(dev.call(post("/notification/realtime", "80", "Basic ZGV2aWNlOnB3")).body().size(), 27u);
    ASSERT_EQ(asked.size(), 11u);
    EXPECT_EQ(asked.at(0), "|127.0.0.1");
    EXPECT_EQ(asked.at(10), "Basic ZGV2aWNlOnB3|127.0.0.1");
    // Bayeux, on its own path or as JSON on a real-time path, is the engine policy's business
    http_client app(s.port);
    EXPECT_FALSE(handshake(app).empty());
    EXPECT_FALSE(handshake(app, "/notification/realtime").empty());
    EXPECT_EQ(asked.size(), 11u);
}

TEST(BeastServer, SmartrestKeepAliveSpaces)
{
    auto o = quick();
    o.smartrest_keep_alive = std::chrono::milliseconds(100);
    o.session.timeout = std::chrono::milliseconds(700);
    running_server s(o);
    http_client dev(s.port), held(s.port);
    auto post = [](std::string body) {
        return http_client::make(http::verb::post, "/notification/realtime", std::move(body), {{"X-Id", "x"}});
    };
    auto id = dev.call(post("80")).body();
    id.pop_back();
    dev.call(post("83," + id));
    held.start(post("83," + id));
    auto r = held.wait();
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->chunked());
    auto const& b = r->body();
    auto const spaces = b.find_first_not_of(' ');
    EXPECT_GE(spaces, 3u) << b;
    EXPECT_EQ(b.substr(spaces), "86,,700,0,retry\n");
    EXPECT_EQ(dev.call(post("84," + id)).body(), ""); // the connection is still good
}

/** A SmartREST long poll read from a raw socket as a device without an HTTP library reads it: the
    bytes as they come; the head up to the blank line; then chunks (HTTP/1.1) or everything up to
    the end of the connection (HTTP/1.0 without Content-Length); leading whitespace is skipped before
    the records, as the Cumulocity C SDK's lexer does. */
class raw_long_poll
{
public:
    raw_long_poll(unsigned short port, std::string_view request) : socket_(ioc_)
    {
        socket_.connect({asio::ip::make_address("127.0.0.1"), port});
        asio::write(socket_, asio::buffer(request));
        read_more();
    }

    /// Reads until `done(*this)` holds, the peer closes or `limit` passes; true when done.
    template<class Done>
    bool read_until(Done done, std::chrono::milliseconds limit = 5000ms)
    {
        return run_until(ioc_, [&] { return done(*this) || closed_; }, limit) && done(*this);
    }

    /// The status line and fields; empty until the blank line after them came.
    std::string head() const
    {
        auto const end = bytes_.find("\r\n\r\n");
        return end == std::string::npos ? std::string() : bytes_.substr(0, end + 2);
    }

    bool chunked() const { return head().find("Transfer-Encoding: chunked\r\n") != std::string::npos; }

    /// The body so far with chunked framing removed; `complete` says whether its end has come.
    std::string body(bool* complete = nullptr) const
    {
        auto const h = head();
        bool end = false;
        std::string out;
        if(!h.empty() && !chunked())
        {
            out = bytes_.substr(h.size() + 2);
            end = closed_;
        }
        for(auto at = h.size() + 2; !h.empty() && chunked() && !end;)
        {
            auto const eol = bytes_.find("\r\n", at);
            if(eol == std::string::npos)
                break;
            auto const size = std::stoul(bytes_.substr(at, eol - at), nullptr, 16);
            if(bytes_.size() < eol + 2 + size + 2)
                break;
            out += bytes_.substr(eol + 2, size);
            at = eol + 2 + size + 2;
            end = size == 0;
        }
        if(complete)
            *complete = end;
        return out;
    }

    bool closed() const { return closed_; }

    /// Every byte read so far (since the last `write`).
    std::string const& bytes() const { return bytes_; }

    /// Writes more bytes on the same connection.
    void write(std::string_view bytes)
    {
        bytes_.clear();
        asio::write(socket_, asio::buffer(bytes));
    }

private:
    void read_more()
    {
        socket_.async_read_some(asio::buffer(chunk_), [this](boost::system::error_code ec, std::size_t n) {
            bytes_.append(chunk_.data(), n);
            if(ec)
                closed_ = true;
            else
                read_more();
        });
    }

    asio::io_context ioc_;
    asio::ip::tcp::socket socket_;
    std::array<char, 512> chunk_{};
    std::string bytes_;
    bool closed_ = false;
};

/// A raw SmartREST POST to the real-time path under X-Id `x`.
std::string raw_post(std::string_view version, std::string_view body)
{
    return "POST /notification/realtime HTTP/" + std::string(version) + "\r\nHost: 127.0.0.1\r\nX-Id: x\r\n" +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

/// The raw HTTP/1.1 request of a Bayeux connect of session `id`.
std::string raw_connect(std::string const& id)
{
    auto const body = "[" + connect(id) + "]";
    return "POST /bayeux HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// Publishes the number `n` on `channel`, on the server's strand.
void publish_number(running_server& s, std::string channel, int n)
{
    s.on_strand([&] {
        rtnotify::bayeux::message m;
        m.channel = std::move(channel);
        m.data = json::value(n);
        s.srv.publish(std::move(m));
    });
}

/// Makes a session on `c` subscribed to `channel`, whose first connect (answered at once) is done: its next is held.
std::string subscribed_session(http_client& c, std::string const& channel)
{
    auto const id = handshake(c);
    c.call(http_client::post_json("/bayeux", subscribe(id, channel)));
    c.call(http_client::post_json("/bayeux", connect(id)));
    return id;
}

TEST(BeastServer, AClientThatLeavesWhileHeldKeepsItsDeliveriesForTheNextConnect)
{
    running_server s(quick());
    http_client c(s.port);
    auto const id = subscribed_session(c, "/left");
    {
        // the next one is held on a connection the client then closes (a closed page, a device that gave up)
        raw_long_poll gone(s.port, raw_connect(id));
        EXPECT_FALSE(gone.read_until([](raw_long_poll const& p) { return !p.head().empty(); }, 200ms)); // held
    }
    // the server sees the close at once; a delivery published afterwards waits for the next connect
    std::this_thread::sleep_for(200ms);
    publish_number(s, "/left", 7);
    auto const next = messages(c.call(http_client::post_json("/bayeux", connect(id))));
    EXPECT_EQ(deliveries(next), (std::vector<std::string>{"7"})) << json::serialize(next);
}

TEST(BeastServer, ARequestPipelinedBehindAHeldConnectIsAnsweredAfterIt)
{
    running_server s(quick());
    http_client c(s.port);
    auto const id = subscribed_session(c, "/piped");
    raw_long_poll p(s.port, raw_connect(id));
    auto const answered = [](raw_long_poll const& r) { return !r.head().empty(); };
    ASSERT_FALSE(p.read_until(answered, 200ms)); // held
    // the server reads these bytes while the connect is held, and keeps them for after its response
    p.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    EXPECT_FALSE(p.read_until(answered, 200ms)) << p.bytes();
    publish_number(s, "/piped", 8);
    ASSERT_TRUE(p.read_until([](raw_long_poll const& r) { return r.bytes().find(R"({"status":"ok"})") != std::string::npos; }))
        << p.bytes();
    auto const delivery = p.bytes().find(R"("data":8)");
    auto const second = p.bytes().find("HTTP/1.1 200", 1);
    EXPECT_TRUE(p.bytes().starts_with("HTTP/1.1 200")) << p.bytes();
    EXPECT_LT(delivery, second) << p.bytes(); // the held connect's delivery, then the pipelined request's answer
    EXPECT_FALSE(p.closed());
}

TEST(BeastServer, AResponseTheSocketCannotTakeAtOnceIsWrittenWholeWhileTheClientReads)
{
    running_server s(quick());
    http_client c(s.port);
    auto const id = subscribed_session(c, "/big");
    // a held connect from a client with a small receive window that reads nothing for a while: the
    // server's socket takes a part of the 4 MB response, and the rest goes out as the client reads
    asio::io_context ioc;
    asio::ip::tcp::socket reader(ioc);
    reader.open(asio::ip::tcp::v4());
    reader.set_option(asio::socket_base::receive_buffer_size(4096));
    reader.connect({asio::ip::make_address("127.0.0.1"), s.port});
    asio::write(reader, asio::buffer(raw_connect(id)));
    std::this_thread::sleep_for(100ms); // held
    std::string payload(4 << 20, 'x');
    for(std::size_t i = 0; i < payload.size(); i += 4096)
        payload[i] = static_cast<char>('a' + i / 4096 % 26); // a part sent twice or left out shows
    s.on_strand([&] {
        rtnotify::bayeux::message m;
        m.channel = "/big";
        m.data = json::value(payload);
        s.srv.publish(std::move(m));
    });
    std::this_thread::sleep_for(300ms);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 << 20);
    boost::system::error_code ec;
    bool read = false;
    http::async_read(reader, buffer, parser, [&](boost::system::error_code e, std::size_t) {
        ec = e;
        read = true;
    });
    ASSERT_TRUE(run_until(ioc, [&] { return read; }, 10000ms));
    ASSERT_FALSE(ec) << ec.message();
    auto const body = json::parse(parser.get().body());
    ASSERT_EQ(body.as_array().size(), 2u) << "the connect's reply and the delivery";
    EXPECT_TRUE(body.at(1).at("data") == json::value(payload));
    EXPECT_EQ(parser.get().body().size(), parser.content_length().value_or(0));
    // and the connection goes on: its next request is answered
    asio::write(reader, asio::buffer(std::string("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")));
    http::response<http::string_body> health;
    read = false;
    http::async_read(reader, buffer, health, [&](boost::system::error_code e, std::size_t) {
        ec = e;
        read = true;
    });
    ASSERT_TRUE(run_until(ioc, [&] { return read; }, 10000ms));
    EXPECT_FALSE(ec) << ec.message();
    EXPECT_EQ(health.body(), R"({"status":"ok"})");
}

TEST(BeastServer, AHeaderThatStopsHalfwayIsCutAtTheIdleDeadline)
{
    auto o = quick();
    o.idle_timeout = std::chrono::milliseconds(300);
    running_server s(o);
    // the first bytes end the wait for a request; the deadline still runs from when the wait began
    raw_long_poll p(s.port, "GET /health HTTP/1.1\r\nHo");
    EXPECT_TRUE(p.read_until([](raw_long_poll const& r) { return r.closed(); }, 3000ms));
    EXPECT_EQ(p.bytes().find("200"), std::string::npos) << p.bytes();
}

TEST(BeastServer, KeepAliveSpacesReachARawSocketReaderOverHttp10And11)
{
    auto o = quick();
    o.smartrest_keep_alive = std::chrono::milliseconds(100);
    o.session.timeout = std::chrono::milliseconds(700);
    running_server s(o);
    for(std::string_view const version : {"1.0", "1.1"})
    {
        SCOPED_TRACE(version);
        http_client dev(s.port);
        auto id = dev.call(http_client::make(http::verb::post, "/notification/realtime", "80", {{"X-Id", "x"}})).body();
        id.pop_back();
        dev.call(http_client::make(http::verb::post, "/notification/realtime", "83," + id, {{"X-Id", "x"}}));

        raw_long_poll poll(s.port, raw_post(version, "83," + id));
        // a space comes while the connect is held, before anything else of the body
        ASSERT_TRUE(poll.read_until([](raw_long_poll const& p) { return !p.body().empty(); })) << poll.head();
        EXPECT_EQ(poll.body().find_first_not_of(' '), std::string::npos) << poll.body();
        EXPECT_TRUE(poll.head().starts_with("HTTP/" + std::string(version) + " 200")) << poll.head();
        EXPECT_EQ(poll.head().find("Content-Length"), std::string::npos) << poll.head();
        EXPECT_EQ(poll.chunked(), version == "1.1") << poll.head();

        ASSERT_TRUE(poll.read_until([](raw_long_poll const& p) {
            bool complete = false;
            p.body(&complete);
            return complete;
        }));
        auto const body = poll.body();
        auto const first = body.find_first_not_of(" \t\r");
        ASSERT_NE(first, std::string::npos) << body;
        EXPECT_GE(first, 3u) << body;
        auto const rows = sr::decode(std::string_view(body).substr(first));
        ASSERT_TRUE(rows) << body;
        ASSERT_EQ(rows->size(), 1u);
        auto const line = sr::parse_reply((*rows)[0]);
        ASSERT_TRUE(line) << body;
        auto const* advice = std::get_if<sr::advice_line>(&*line);
        ASSERT_NE(advice, nullptr) << body;
        EXPECT_EQ(advice->policy, sr::reconnect::retry);
        if(version == "1.0")
        {
            EXPECT_TRUE(poll.read_until([](raw_long_poll const& p) { return p.closed(); })); // the end of the body
            continue;
        }
        // HTTP/1.1: the connection carries the next request
        poll.write(raw_post(version, "84," + id));
        EXPECT_TRUE(poll.read_until([](raw_long_poll const& p) { return p.head().starts_with("HTTP/1.1 200"); }));
    }
}

TEST(BeastServer, BadInputOnEveryRouteLeavesOthersAlone)
{
    auto o = quick();
    o.max_body_bytes = 4096;
    o.max_header_bytes = 2048;
    running_server s(o);
    http_client good(s.port), held(s.port), bad(s.port);
    auto const id = handshake(good);
    good.call(http_client::post_json("/bayeux", subscribe(id, "/ok")));
    good.call(http_client::post_json("/bayeux", connect(id)));
    held.start(http_client::post_json("/bayeux", connect(id)));

    auto status = [&](http::request<http::string_body> req) {
        http_client c(s.port);
        return c.call(std::move(req));
    };
    auto r = status(http_client::post_json("/bayeux", R"([{"channel":"/meta/handshake",)"));
    EXPECT_EQ(r.result_int(), 400u);
    EXPECT_NE(r.body().find("bad Bayeux message"), std::string::npos) << r.body();
    EXPECT_EQ(status(http_client::post_json("/bayeux", std::string(5000, ' '))).result_int(), 413u);
    EXPECT_EQ(status(http_client::make(http::verb::get, "/bayeux", {}, {{"X-Big", std::string(3000, 'x')}})).result_int(),
              431u);
    EXPECT_EQ(status(http_client::make(http::verb::put, "/bayeux", "[]", {{"Content-Type", "application/json"}})).result_int(),
              405u);
    EXPECT_EQ(status(http_client::make(http::verb::post, "/bayeux", "[]", {{"Content-Type", "text/csv"}})).result_int(), 415u);
    EXPECT_EQ(status(http_client::make(http::verb::get, "/nowhere")).result_int(), 404u);
    EXPECT_EQ(status(http_client::make(http::verb::post, "/s", "10,1,GET,/x\n")).result_int(), 400u); // no X-Id
    EXPECT_EQ(status(http_client::make(http::verb::get, "/s", {}, {{"X-Id", "x"}})).result_int(), 405u);
    EXPECT_EQ(status(http_client::make(http::verb::post, "/notification/realtime", "83,\"unclosed", {{"X-Id", "x"}})).body()
                  .substr(0, 5),
              "42,1,");
    EXPECT_EQ(status(http_client::make(http::verb::post, "/s", "99,a\n", {{"X-Id", "x"}})).body(),
              "43,1,Invalid message identifier\n");
    auto const garbage = raw_exchange(s.port, "GARBAGE\r\n\r\n");
    EXPECT_TRUE(garbage.starts_with("HTTP/1.1 400")) << garbage;

    ws_client w1(s.port, "/bayeux");
    w1.send("{not json");
    EXPECT_FALSE(w1.receive());
    EXPECT_EQ(w1.reason().code, websocket::close_code::bad_payload);
    EXPECT_NE(std::string(w1.reason().reason.data(), w1.reason().reason.size()).find("bad Bayeux message"), std::string::npos);
    ws_client w2(s.port, "/bayeux");
    w2.send("[]", true);
    EXPECT_FALSE(w2.receive());
    EXPECT_EQ(w2.reason().code, websocket::close_code::unknown_data); // 1003: text only

    // the good client was never disturbed
    EXPECT_FALSE(held.wait(50ms));
    bad.call(http_client::post_json("/bayeux", publish(handshake(bad), "/ok", "1")));
    auto got = held.wait();
    ASSERT_TRUE(got);
    EXPECT_EQ(deliveries(messages(*got)), std::vector<std::string>{"1"});
}

TEST(BeastServer, HttpDoneRight)
{
    running_server s(quick());
    // keep-alive: several requests on one connection
    http_client c(s.port);
    handshake(c);
    handshake(c);
    // CORS by default: any origin, without credentials; a preflight allows the configured headers only
    auto pre = c.call(http_client::make(http::verb::options, "/bayeux", {},
                                        {{"Origin", "http://app.example"},
                                         {"Access-Control-Request-Method", "POST"},
                                         {"Access-Control-Request-Headers", "content-type, x-evil"}}));
    EXPECT_EQ(pre.result_int(), 200u);
    EXPECT_EQ(pre[http::field::access_control_allow_origin], "*");
    EXPECT_EQ(pre.count(http::field::access_control_allow_credentials), 0u);
    EXPECT_EQ(pre[http::field::access_control_allow_headers], "Content-Type, X-Id, Authorization, X-Kuzzle-Volatile");
    EXPECT_NE(pre[http::field::access_control_allow_methods].find("POST"), std::string::npos);
    auto req = http_client::post_json("/bayeux", handshake_json);
    req.set(http::field::origin, "null");
    EXPECT_EQ(c.call(std::move(req))[http::field::access_control_allow_origin], "*");
    // HTTP/1.0: answered in 1.0, then closed
    auto const old = raw_exchange(s.port, "POST /bayeux HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: " +
                                              std::to_string(handshake_json.size()) + "\r\n\r\n" + handshake_json);
    EXPECT_TRUE(old.starts_with("HTTP/1.0 200")) << old;
    EXPECT_NE(old.find("\"successful\":true"), std::string::npos);
    // a chunked request body
    std::string chunked = "POST /bayeux HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    auto const half = handshake_json.size() / 2;
    for(auto part : {handshake_json.substr(0, half), handshake_json.substr(half)})
    {
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", part.size());
        chunked += size + part + "\r\n";
    }
    chunked += "0\r\n\r\n";
    auto const ch = raw_exchange(s.port, chunked);
    EXPECT_TRUE(ch.starts_with("HTTP/1.1 200")) << ch;
    EXPECT_NE(ch.find("\"successful\":true"), std::string::npos);
}

TEST(BeastServer, EndlessChunkHeaderIsRefusedAtTheHeaderLimit)
{
    // A chunk-size line that never ends: Beast 1.81 does not bound it, the read buffer must.
    running_server s;
    auto const r = send_endless(s.port,
                                "POST /bayeux HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n1;x=",
                                std::string(64 * 1024, 'a'), 256 * 1024 * 1024);
    EXPECT_TRUE(r.answer.starts_with("HTTP/1.1 400")) << r.answer.substr(0, 200);
    EXPECT_NE(r.answer.find("chunk header longer than 8192 bytes"), std::string::npos) << r.answer;
    EXPECT_TRUE(r.peer_closed);
    EXPECT_LT(r.sent, 256u * 1024 * 1024); // the server stopped reading long before

    // the same for a request line that never ends
    auto const line = send_endless(s.port, "GET /", std::string(64 * 1024, 'a'), 256 * 1024 * 1024);
    EXPECT_TRUE(line.answer.starts_with("HTTP/1.1 431")) << line.answer.substr(0, 200);
    EXPECT_TRUE(line.peer_closed);
}

TEST(BeastServer, RequestBodiesAreCountedInTheBufferBudget)
{
    auto o = quick();
    o.max_buffered_bytes = 100000;
    running_server s(o);
    // a body of 80,000 bytes announced, half sent: its bytes are counted from the header on
    asio::io_context ioc;
    auto slow = start_slow_body(ioc, s.port, 80000, 40000);
    auto const body = "[" + std::string(30000, ' ') + handshake_json + "]";
    auto const busy = raw_exchange(s.port, "POST /bayeux HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    EXPECT_TRUE(busy.starts_with("HTTP/1.1 503")) << busy;
    EXPECT_NE(busy.find("max_buffered_bytes (100000 bytes)"), std::string::npos) << busy;
    http_client small(s.port);
    handshake(small); // what fits still gets in
    slow.close(); // its bytes are given back
    std::this_thread::sleep_for(100ms);
    http_client again(s.port);
    EXPECT_EQ(again.call(http_client::post_json("/bayeux", body)).result_int(), 200u);
}

TEST(BeastServer, OneAddressBuffersItsShareAtMost)
{
    auto o = quick();
    o.max_buffered_bytes = 1000000;
    o.max_buffered_bytes_per_address = 100000;
    running_server s(o);
    unsigned short v6_port = 0;
    s.on_strand([&] {
        ASSERT_FALSE(s.srv.listen({asio::ip::make_address("::1"), 0}));
        v6_port = s.srv.endpoints().at(1).port();
    });
    // 127.0.0.1 holds 80,000 bytes of an unfinished body: it may not start another of 30,000
    asio::io_context ioc;
    auto slow = start_slow_body(ioc, s.port, 80000, 40000);
    auto const body = "[" + std::string(30000, ' ') + handshake_json + "]";
    auto const request = "POST /bayeux HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\n\r\n" + body;
    auto const busy = raw_exchange(s.port, request);
    EXPECT_TRUE(busy.starts_with("HTTP/1.1 503")) << busy;
    EXPECT_NE(busy.find("from 127.0.0.1 fill max_buffered_bytes_per_address (100000 bytes)"), std::string::npos) << busy;
    ws_client big(s.port, "/bayeux");
    big.send("[" + std::string(40000, ' ') + handshake_json + "]");
    EXPECT_FALSE(big.receive(5000ms));
    EXPECT_EQ(big.reason().code, 1013) << "a WebSocket message from the same address: " << big.reason().reason;
    // another address still gets in
    auto const other = raw_exchange(v6_port, request, 5000ms, "::1");
    EXPECT_TRUE(other.starts_with("HTTP/1.1 200")) << other;
    slow.close(); // its bytes are given back
    std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(raw_exchange(s.port, request).starts_with("HTTP/1.1 200"));
}

TEST(BeastServer, WebSocketMessagesAreCountedInTheBufferBudget)
{
    auto o = quick();
    o.max_buffered_bytes = 100000;
    running_server s(o);
    ws_client big(s.port, "/bayeux");
    big.send("[" + std::string(150000, ' ') + handshake_json + "]");
    EXPECT_FALSE(big.receive(5000ms));
    EXPECT_EQ(big.reason().code, 1013) << big.reason().reason;
    ws_client fits(s.port, "/bayeux");
    fits.send("[" + std::string(50000, ' ') + handshake_json + "]");
    auto const reply = fits.receive();
    ASSERT_TRUE(reply);
    EXPECT_EQ(json::parse(*reply).at(0).at("successful"), true);
}

TEST(BeastServer, ConnectionLimit)
{
    auto o = quick();
    o.max_connections = 2;
    running_server s(o);
    http_client a(s.port), b(s.port);
    handshake(a);
    handshake(b);
    auto const third = raw_exchange(s.port, "GET /bayeux HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(third.starts_with("HTTP/1.1 503")) << third;
    handshake(a); // the admitted ones carry on
}

TEST(BeastServer, IdleConnectionsAreClosed)
{
    auto o = quick();
    o.idle_timeout = std::chrono::milliseconds(200);
    running_server s(o);
    http_client c(s.port);
    handshake(c);
    EXPECT_TRUE(c.closed_by_server());
}

TEST(BeastServer, AProcessTheProgramStartsInheritsNeitherItsPortNorItsConnections)
{
    running_server s(quick());
    http_client c(s.port);
    EXPECT_EQ(c.call(http_client::make(http::verb::get, "/health")).result_int(), 200u); // accepted, idle now
    auto const server_sockets = sockets_on_port(s.port);
    ASSERT_GE(server_sockets.size(), 2u); // the listener and the accepted connection
    // a child inherits every descriptor not closed on exec: it would keep the port bound after the
    // server closes it, and could read and write the connection
    auto const inherited = sockets_a_child_inherits();
    // the test's own client socket, not close-on-exec, is inherited: the look sees what it should
    auto const client_side = sockets_on_port(s.port, true);
    ASSERT_EQ(client_side.size(), 1u);
    ASSERT_TRUE(inherited.contains(*client_side.begin()));
    for(auto const& inode : server_sockets)
        EXPECT_FALSE(inherited.contains(inode)) << "socket inode " << inode;
}

TEST(BeastServer, AConnectionInUseOutlivesTheDeadlineOfItsFirstWait)
{
    auto o = quick();
    o.idle_timeout = std::chrono::milliseconds(1000);
    running_server s(o);
    http_client c(s.port);
    // requests 100 ms apart for longer than the idle timeout, on one connection: each
    // wait for a request has its own deadline, and the first one's timer does not close it
    for(int i = 0; i < 15; ++i)
    {
        SCOPED_TRACE(i);
        EXPECT_EQ(c.call(http_client::make(http::verb::get, "/health")).result_int(), 200u);
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_TRUE(c.closed_by_server()); // idle past its last deadline, it is closed
}

TEST(BeastServer, GracefulStopAnswersHeldConnects)
{
    auto s = std::make_unique<running_server>(quick());
    http_client a(s->port), held(s->port);
    auto const id = handshake(a);
    a.call(http_client::post_json("/bayeux", connect(id)));
    held.start(http_client::post_json("/bayeux", connect(id)));
    EXPECT_FALSE(held.wait(200ms));
    ws_client w(s->port, "/bayeux");
    s->srv.stop();
    auto r = held.wait(2000ms);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->keep_alive(), false);
    auto m = messages(*r);
    EXPECT_EQ(m.at(0).at("advice").at("reconnect"), "retry");
    EXPECT_FALSE(w.receive(2000ms));
    EXPECT_EQ(w.reason().code, websocket::close_code::going_away);
    s->thread.join(); // run() returns: nothing is left
    s.reset();
}

TEST(BeastServer, StopClosesAPeerThatDoesNotReadAfterTheGrace)
{
    std::mutex m;
    std::vector<std::string> lines;
    auto o = quick();
    o.write_timeout = std::chrono::minutes(2); // the write in flight would hold the stop this long
    o.shutdown_grace = 200ms;
    o.max_ws_backlog_bytes = 64 * 1024 * 1024;
    o.log = [&](std::string_view line) {
        std::lock_guard lock(m);
        lines.emplace_back(line);
    };
    auto s = std::make_unique<running_server>(o);
    ws_client w(s->port, "/bayeux");
    w.send("[" + handshake_json + "]");
    auto const id = json::value_to<std::string>(json::parse(w.receive().value()).at(0).at("clientId"));
    w.send(subscribe(id, "/big"));
    ASSERT_TRUE(w.receive());
    w.send(connect(id, "websocket"));
    ASSERT_TRUE(w.receive());
    w.send(connect(id, "websocket")); // held; from now on the client reads nothing
    auto const big = std::string(1024 * 1024, 'x');
    for(int i = 0; i < 24; ++i) // far more than the socket buffers hold
    {
        rtnotify::bayeux::message p;
        p.channel = "/big";
        p.data = boost::json::value(big);
        s->srv.publish(std::move(p));
    }
    s->on_strand([] {}); // the publishes are queued on the socket
    std::this_thread::sleep_for(300ms); // the write in flight blocks
    s->srv.stop();
    s->thread.join(); // returns once the grace closed the socket, not after write_timeout
    std::lock_guard lock(m);
    EXPECT_NE(std::find_if(lines.begin(), lines.end(),
                           [](auto const& l) { return l.find("connections still open after 200 ms, closed") != std::string::npos; }),
              lines.end());
}

TEST(BeastServer, ListedOriginsAloneGetCredentialsAndWebSockets)
{
    auto o = quick();
    o.cors.origins = {"https://app.example"};
    running_server s(o);
    http_client c(s.port);
    auto from = [&](std::string const& origin) {
        auto req = http_client::post_json("/bayeux", handshake_json);
        req.set(http::field::origin, origin);
        return c.call(std::move(req));
    };
    auto const listed = from("https://app.example");
    EXPECT_EQ(listed[http::field::access_control_allow_origin], "https://app.example");
    EXPECT_EQ(listed[http::field::access_control_allow_credentials], "true");
    for(auto const* other : {"https://evil.example", "null", "https://app.example.evil"})
    {
        auto const r = from(other);
        EXPECT_EQ(r.count(http::field::access_control_allow_origin), 0u) << other;
        EXPECT_EQ(r.count(http::field::access_control_allow_credentials), 0u) << other;
    }
    // WebSocket upgrades: an unlisted Origin is refused, a listed one (or none, from a non-browser) accepted
    auto const refused = raw_exchange(s.port, "GET /bayeux HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                              "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                              "Sec-WebSocket-Version: 13\r\nOrigin: https://evil.example\r\n\r\n");
    EXPECT_TRUE(refused.starts_with("HTTP/1.1 403")) << refused;
    auto const accepted = raw_exchange(s.port, "GET /bayeux HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                               "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                               "Sec-WebSocket-Version: 13\r\nOrigin: https://app.example\r\n\r\n",
                                       500ms);
    EXPECT_TRUE(accepted.starts_with("HTTP/1.1 101")) << accepted;
    ws_client w(s.port, "/bayeux");
    w.send("[" + handshake_json + "]");
    EXPECT_TRUE(w.receive());
}

TEST(BeastServer, BytesSentBeforeTheUpgradeIsAnsweredAreRefused)
{
    running_server s(quick());
    std::string const upgrade = "GET /bayeux HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                "Sec-WebSocket-Version: 13\r\n\r\n";
    // a text frame in the same write as the request: the server would have read it with the header and lost it
    auto const early = raw_exchange(s.port, upgrade + std::string("\x81\x80\0\0\0\0", 6));
    EXPECT_TRUE(early.starts_with("HTTP/1.1 400")) << early;
    EXPECT_NE(early.find("before its response"), std::string::npos) << early;
    auto const waiting = raw_exchange(s.port, upgrade, 500ms);
    EXPECT_TRUE(waiting.starts_with("HTTP/1.1 101")) << waiting;
}

TEST(BeastServer, TemplateRegistrationsAreCountedPerClientAddress)
{
    auto o = quick();
    o.templates.max_collections_per_owner = 2;
    running_server s(o);
    http_client c(s.port);
    auto registration = [&](std::string const& xid) {
        return c.call(http_client::make(http::verb::post, "/s", "11,200,$,,$.a\n", {{"X-Id", xid}})).body();
    };
    EXPECT_EQ(registration("one"), "20,1001\n");
    EXPECT_EQ(registration("two"), "20,1002\n");
    EXPECT_EQ(registration("three"), "41,Too many template collections from this client\n");
}

TEST(BeastServer, TheLogNeverShowsAClientId)
{
    std::mutex m;
    std::vector<std::string> lines;
    auto o = quick();
    o.session.max_queue = 1;
    o.log = [&](std::string_view line) {
        std::lock_guard lock(m);
        lines.emplace_back(line);
    };
    running_server s(o);
    http_client c(s.port);
    auto const id = handshake(c);
    c.call(http_client::post_json("/bayeux", subscribe(id, "/t")));
    for(int i = 0; i < 3; ++i) // overflows the queue of 1: logged
        s.srv.publish([] {
            rtnotify::bayeux::message p;
            p.channel = "/t";
            p.data = 1;
            return p;
        }());
    c.call(http_client::post_json("/bayeux", R"([{"channel":"/meta/disconnect","clientId":")" + id + R"("}])"));
    s.on_strand([] {});
    std::lock_guard lock(m);
    bool closed = false;
    for(auto const& l : lines)
    {
        EXPECT_EQ(l.find(id), std::string::npos) << l;
        closed = closed || (l.starts_with("session ") && l.find(" closed: ") != std::string::npos);
    }
    EXPECT_TRUE(closed);
}

TEST(BeastServer, MetricsCountWhatHappenedAndHealthSaysWhetherTheServerRuns)
{
    running_server s(quick());
    http_client a(s.port), b(s.port), m(s.port);
    auto const scrape = [&] {
        auto const r = m.call(http_client::make(http::verb::get, "/metrics"));
        EXPECT_EQ(r.result_int(), 200);
        EXPECT_EQ(r[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
        return rtnotify_test::parse_prometheus(r.body());
    };
    auto const before = scrape();
    EXPECT_EQ(before.at("rtnotify_bayeux_sessions"), 0u);
    EXPECT_EQ(before.at("rtnotify_bayeux_deliveries_total"), 0u);
    EXPECT_GT(before.at("rtnotify_memory_budget_bytes"), 0u);

    auto const ida = handshake(a);
    auto const idb = handshake(b);
    a.call(http_client::post_json("/bayeux", subscribe(ida, "/chat/*")));
    a.call(http_client::post_json("/bayeux/connect", connect(ida)));
    b.call(http_client::post_json("/bayeux", publish(idb, "/chat/room", "1")));
    b.call(http_client::post_json("/bayeux", publish(idb, "/chat/room", "2")));
    EXPECT_EQ(scrape().at("rtnotify_bayeux_subscriptions"), 1u);
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // both wait that long in a's queue at least
    EXPECT_EQ(deliveries(messages(a.call(http_client::post_json("/bayeux/connect", connect(ida))))).size(), 2u);
    a.call(http_client::post_json("/bayeux/disconnect", meta("/meta/disconnect", ida)));
    EXPECT_EQ(m.call(http_client::make(http::verb::get, "/nothing-here")).result_int(), 404);
    b.call(http_client::post_json("/bayeux", subscribe("no-such-client", "/chat/*"))); // 402 unknown client
    b.call(http_client::post_json("/bayeux", subscribe(idb, "/meta/x")));              // 403 forbidden channel

    auto const after = scrape();
    EXPECT_EQ(after.at("rtnotify_bayeux_sessions"), 1u) << "b is still there";
    EXPECT_EQ(after.at("rtnotify_bayeux_subscriptions"), 0u) << "a's went with a";
    EXPECT_EQ(after.at("rtnotify_bayeux_deliveries_total"), 2u);
    EXPECT_EQ(after.at("rtnotify_bayeux_delivery_wait_seconds_count"), 2u);
    EXPECT_EQ(after.at(R"(rtnotify_bayeux_delivery_wait_seconds_bucket{le="0.25"})"), 0u);
    EXPECT_EQ(after.at(R"(rtnotify_bayeux_delivery_wait_seconds_bucket{le="+Inf"})"), 2u);
    EXPECT_GE(after.at("rtnotify_bayeux_delivery_wait_seconds_sum"), 0.6);
    EXPECT_EQ(after.at(R"(rtnotify_bayeux_errors_total{code="402"})"), 1u);
    EXPECT_EQ(after.at(R"(rtnotify_bayeux_errors_total{code="403"})"), 1u);
    EXPECT_EQ(after.at(R"(rtnotify_bayeux_sessions_closed_total{reason="disconnected"})"), 1u);
    EXPECT_EQ(after.at(R"(rtnotify_http_responses_total{status="404"})"), 1u);
    EXPECT_GE(after.at(R"(rtnotify_http_responses_total{status="200"})"), 8u);
    EXPECT_EQ(after.at("rtnotify_connections"), 3u);

    auto const health = m.call(http_client::make(http::verb::get, "/health"));
    EXPECT_EQ(health.result_int(), 200);
    EXPECT_EQ(health.body(), R"({"status":"ok"})");
}

TEST(BeastServer, TheAccessLogHasAnEntryPerResponseAndNoQueryString)
{
    struct seen
    {
        std::string peer, method, path;
        unsigned status;
        std::size_t bytes;
        bool tls;
    };
    std::mutex m;
    std::vector<seen> entries;
    auto o = quick();
    o.access_log = [&](rtnotify::beast::access_entry const& e) {
        std::lock_guard lock(m);
        entries.push_back({std::string(e.peer), std::string(e.method), std::string(e.path), e.status, e.body_bytes, e.tls});
    };
    running_server s(std::move(o));
    http_client c(s.port);
    auto const id = handshake(c);
    EXPECT_EQ(c.call(http_client::make(http::verb::get, "/bayeux?jsonp=cb&message=" +
                                                            std::string("%5B%7B%22channel%22%3A%22%2Fmeta%2Fconnect%22%2C%22clientId%22%3A%22") +
                                                            id + "%22%7D%5D"))
                  .result_int(),
              200);
    EXPECT_EQ(c.call(http_client::make(http::verb::get, "/nothing?secret=1")).result_int(), 404);
    raw_exchange(s.port, "NOT HTTP\r\n\r\n");
    std::lock_guard lock(m);
    ASSERT_EQ(entries.size(), 4u);
    EXPECT_EQ(entries[0].method, "POST");
    EXPECT_EQ(entries[0].path, "/bayeux/handshake");
    EXPECT_EQ(entries[0].status, 200u);
    EXPECT_GT(entries[0].bytes, 0u);
    EXPECT_EQ(entries[0].peer, "127.0.0.1");
    EXPECT_FALSE(entries[0].tls);
    EXPECT_EQ(entries[1].method, "GET");
    EXPECT_EQ(entries[1].path, "/bayeux") << "the query, with its client id, is left out";
    EXPECT_EQ(entries[2].path, "/nothing");
    EXPECT_EQ(entries[2].status, 404u);
    EXPECT_EQ(entries[3].status, 400u) << "a request that could not be read";
    EXPECT_EQ(entries[3].method, "");
    EXPECT_EQ(entries[3].path, "");
}

TEST(BeastServer, MetricsAndHealthPathsCanBeMovedOrTurnedOff)
{
    auto o = quick();
    o.metrics_path.clear();
    o.health_path = "/live";
    running_server s(std::move(o));
    http_client c(s.port);
    EXPECT_EQ(c.call(http_client::make(http::verb::get, "/metrics")).result_int(), 404);
    EXPECT_EQ(c.call(http_client::make(http::verb::get, "/health")).result_int(), 404);
    EXPECT_EQ(c.call(http_client::make(http::verb::get, "/live")).result_int(), 200);
}

} // namespace
