// Tests of rtnotify/beast/kuzzle_mqtt_options.hpp: the server's MQTT listener, Kuzzle's MQTT protocol next to its WebSocket.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/kuzzle_mqtt_options.hpp>

#include "beast/loopback.hpp"

#include <rtnotify/beast/kuzzle_service.hpp>
#include <rtnotify/mqtt.hpp>

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace rtnotify_test;
namespace json = boost::json;
namespace mqtt = rtnotify::mqtt;

/// A server with one Kuzzle API behind its WebSocket (`/`) and an MQTT listener.
struct kuzzle_server
{
    explicit kuzzle_server(std::function<void(rtnotify::beast::kuzzle_mqtt_options&)> tune = {},
                           std::function<void(rtnotify::beast::server_options&)> tune_server = {})
        : s([&] {
              rtnotify::beast::server_options o;
              auto api = std::make_shared<rtnotify::beast::kuzzle_service>();
              o.ws_services.emplace("/", api);
              o.mqtt.service = api;
              if(tune)
                  tune(o.mqtt);
              if(tune_server)
                  tune_server(o);
              o.log = [this](std::string_view line) {
                  std::lock_guard lock(log_mutex);
                  log.emplace_back(line);
              };
              return o;
          }())
    {
        s.on_strand([&] {
            auto ec = s.srv.listen_mqtt({asio::ip::make_address("127.0.0.1"), 0});
            EXPECT_FALSE(ec) << ec.message();
            mqtt_port = s.srv.mqtt_endpoints().at(0).port();
        });
    }

    bool logged(std::string_view part)
    {
        std::lock_guard lock(log_mutex);
        return std::any_of(log.begin(), log.end(), [&](auto const& l) { return l.find(part) != std::string::npos; });
    }

    std::mutex log_mutex;
    std::vector<std::string> log;
    running_server s;
    unsigned short mqtt_port = 0;
};

/// An MQTT client on loopback whose every wait is bounded.
class mqtt_client
{
public:
    explicit mqtt_client(unsigned short port) : socket_(ioc_)
    {
        boost::system::error_code ec;
        socket_.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
        EXPECT_FALSE(ec) << ec.message();
    }

    /// Connects as `id`; true when CONNACK 0 came.
    bool connect(std::string id)
    {
        send(mqtt::connect{4, true, 0, std::move(id), std::nullopt, std::nullopt, std::nullopt});
        auto p = receive();
        return p && std::holds_alternative<mqtt::connack>(*p) &&
               std::get<mqtt::connack>(*p).code == mqtt::connect_code::accepted;
    }

    /// Connects as `id` with a user name and password; the CONNACK's code (`server_unavailable` if none came).
    mqtt::connect_code connect_as(std::string id, std::string user, std::optional<std::string> password)
    {
        send(mqtt::connect{4, true, 0, std::move(id), std::nullopt, std::move(user), std::move(password)});
        auto p = receive();
        return p && std::holds_alternative<mqtt::connack>(*p) ? std::get<mqtt::connack>(*p).code
                                                                : mqtt::connect_code::server_unavailable;
    }

    void send(mqtt::packet const& p)
    {
        std::string bytes;
        ASSERT_FALSE(mqtt::encode(p, bytes));
        send_bytes(bytes);
    }

    void send_bytes(std::string_view bytes)
    {
        boost::system::error_code ec;
        asio::write(socket_, asio::buffer(bytes), ec);
    }

    /// Subscribes to `filter`; returns the SUBACK code.
    std::uint8_t subscribe(std::string filter)
    {
        send(mqtt::subscribe{next_id_++, {{std::move(filter), 0}}});
        auto p = receive();
        if(!p || !std::holds_alternative<mqtt::suback>(*p))
            return 0xff;
        return std::get<mqtt::suback>(*p).codes.at(0);
    }

    /// Publishes a request on Kuzzle/request and returns the next message on Kuzzle/response, as JSON.
    json::value call(std::string const& request)
    {
        send(mqtt::publish{"Kuzzle/request", request, 0, false, false, 0});
        auto m = next_message();
        EXPECT_TRUE(m && m->topic == "Kuzzle/response") << (m ? m->topic : "nothing");
        return m ? json::parse(m->payload) : json::value();
    }

    /// The next PUBLISH, within `limit`.
    std::optional<mqtt::publish> next_message(std::chrono::milliseconds limit = 5000ms)
    {
        auto p = receive(limit);
        if(!p || !std::holds_alternative<mqtt::publish>(*p))
            return std::nullopt;
        return std::get<mqtt::publish>(std::move(*p));
    }

    /// The next packet, within `limit`.
    std::optional<mqtt::packet> receive(std::chrono::milliseconds limit = 5000ms)
    {
        for(;;)
        {
            if(auto p = reader_.next())
                return std::move(*p);
            std::array<char, 4096> buf;
            bool done = false;
            std::size_t got = 0;
            socket_.async_read_some(asio::buffer(buf), [&](boost::system::error_code ec, std::size_t n) {
                closed_ = closed_ || ec;
                got = n;
                done = true;
            });
            if(!run_until(ioc_, [&] { return done; }, limit))
            {
                socket_.cancel();
                run_until(ioc_, [&] { return done; }, 1000ms);
                return std::nullopt;
            }
            if(closed_)
                return std::nullopt;
            reader_.feed(std::string_view(buf.data(), got));
        }
    }

    /// True when the server closed the connection within `limit`.
    bool closed_by_server(std::chrono::milliseconds limit = 5000ms)
    {
        while(!closed_ && receive(limit))
        {
        }
        return closed_;
    }

private:
    asio::io_context ioc_;
    asio::ip::tcp::socket socket_;
    mqtt::reader reader_;
    std::uint16_t next_id_ = 1;
    bool closed_ = false;
};

std::string subscribe_request(std::string const& request_id)
{
    return R"({"controller":"realtime","action":"subscribe","index":"shop","collection":"items",)"
           R"("body":{"range":{"price":{"lt":10}}},"requestId":")" + request_id + R"("})";
}

std::string create_request(std::string const& id, int price, std::string const& request_id)
{
    return R"({"controller":"document","action":"create","index":"shop","collection":"items","_id":")" + id +
           R"(","body":{"price":)" + std::to_string(price) + R"(},"requestId":")" + request_id + R"("})";
}

TEST(KuzzleMqtt, AResponseGoesToTheRequesterAloneOnTheResponseTopic)
{
    kuzzle_server k;
    mqtt_client a(k.mqtt_port), b(k.mqtt_port);
    ASSERT_TRUE(a.connect("a"));
    ASSERT_TRUE(b.connect("b"));
    EXPECT_EQ(b.subscribe("Kuzzle/response"), 0);
    auto const r = a.call(R"({"controller":"realtime","action":"count","body":{"roomId":"none"},"requestId":"q1"})");
    EXPECT_EQ(r.at("requestId"), "q1");
    EXPECT_EQ(r.at("status"), 404) << r;
    EXPECT_FALSE(b.next_message(300ms)); // not subscribed to anything else, and not the requester
}

TEST(KuzzleMqtt, InDevelopmentModeEverySubscriberOfTheResponseTopicGetsTheResponse)
{
    kuzzle_server k([](auto& o) { o.development_mode = true; });
    mqtt_client listener(k.mqtt_port), requester(k.mqtt_port);
    ASSERT_TRUE(listener.connect("listener"));
    ASSERT_TRUE(requester.connect("requester"));
    EXPECT_EQ(listener.subscribe("Kuzzle/response"), 0);
    requester.send(mqtt::publish{"Kuzzle/request", create_request("x", 1, "dev"), 0, false, false, 0});
    auto const m = listener.next_message();
    ASSERT_TRUE(m);
    EXPECT_EQ(json::parse(m->payload).at("requestId"), "dev");
}

TEST(KuzzleMqtt, NotificationsCrossFromWebSocketToMqttAndBack)
{
    kuzzle_server k;
    mqtt_client m(k.mqtt_port);
    ASSERT_TRUE(m.connect("sensor"));
    auto const sub = m.call(subscribe_request("m1"));
    ASSERT_EQ(sub.at("status"), 200) << sub;
    auto const channel = std::string(sub.at("result").at("channel").as_string());
    EXPECT_EQ(m.subscribe(channel), 0);

    ws_client w(k.s.port, "/");
    w.send(create_request("pen", 3, "w1"));
    ASSERT_TRUE(w.receive(5000ms)); // the writer's response
    auto const n = m.next_message();
    ASSERT_TRUE(n);
    EXPECT_EQ(n->topic, channel);
    auto const note = json::parse(n->payload);
    EXPECT_EQ(note.at("type"), "document");
    EXPECT_EQ(note.at("action"), "create");
    EXPECT_EQ(note.at("scope"), "in");
    EXPECT_EQ(note.at("room"), json::value(channel));
    EXPECT_EQ(note.at("requestId"), "w1");
    EXPECT_EQ(note.at("protocol"), "websocket"); // the protocol of the request that caused it
    EXPECT_EQ(note.at("result").at("_id"), "pen");

    w.send(subscribe_request("w2"));
    auto const wsub = json::parse(*w.receive(5000ms));
    ASSERT_EQ(wsub.at("status"), 200);
    auto const created = m.call(create_request("cap", 5, "m2"));
    EXPECT_EQ(created.at("status"), 200) << created;
    auto const seen = w.receive(5000ms);
    ASSERT_TRUE(seen);
    auto const wnote = json::parse(*seen);
    EXPECT_EQ(wnote.at("requestId"), "m2");
    EXPECT_EQ(wnote.at("protocol"), "mqtt");
    EXPECT_EQ(wnote.at("result").at("_id"), "cap");
    EXPECT_EQ(m.next_message()->topic, channel); // the MQTT subscriber hears its own change too
}

TEST(KuzzleMqtt, TopicsFollowKuzzlesRules)
{
    kuzzle_server k;
    mqtt_client a(k.mqtt_port);
    ASSERT_TRUE(a.connect("a"));
    EXPECT_EQ(a.subscribe("Kuzzle/request"), mqtt::suback_failure); // write-only
    EXPECT_EQ(a.subscribe("rooms/#"), mqtt::suback_failure);        // no wildcards
    EXPECT_EQ(a.subscribe("Kuzzle/response"), 0);
    a.send(mqtt::publish{"elsewhere", "x", 0, false, false, 0}); // without allowPubSub: requests only
    EXPECT_TRUE(a.closed_by_server());
    EXPECT_TRUE(k.logged("publish refused"));
}

TEST(KuzzleMqtt, WithAllowPubSubClientsPublishToEachOtherButNotOnTheResponseTopic)
{
    kuzzle_server k([](auto& o) { o.allow_pubsub = true; });
    mqtt_client a(k.mqtt_port), b(k.mqtt_port);
    ASSERT_TRUE(a.connect("a"));
    ASSERT_TRUE(b.connect("b"));
    EXPECT_EQ(b.subscribe("chat"), 0);
    a.send(mqtt::publish{"chat", "hello", 0, false, false, 0});
    auto const m = b.next_message();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload, "hello");
    a.send(mqtt::publish{"Kuzzle/response", "forged", 0, false, false, 0});
    EXPECT_TRUE(a.closed_by_server());
}

TEST(KuzzleMqtt, ClientPublishesAndWillsGoToTheClusterHookAndAnotherNodesPublishesComeIn)
{
    std::mutex hooked_mutex;
    std::vector<std::string> hooked; // what on_mqtt_published got: "topic payload qos retain"
    kuzzle_server k([](auto& o) { o.allow_pubsub = true; }, [&](rtnotify::beast::server_options& o) {
        o.on_mqtt_published = [&](std::string_view topic, std::string_view payload, std::uint8_t qos, bool retain) {
            std::lock_guard lock(hooked_mutex);
            hooked.push_back(std::string(topic) + ' ' + std::string(payload) + ' ' + std::to_string(qos) + ' ' +
                             std::to_string(retain));
        };
    });
    mqtt_client a(k.mqtt_port), b(k.mqtt_port);
    ASSERT_TRUE(a.connect("a"));
    ASSERT_TRUE(b.connect("b"));
    EXPECT_EQ(b.subscribe("chat"), 0);
    EXPECT_EQ(a.call(subscribe_request("r1")).at("status"), 200); // a Kuzzle request: served here, not passed on
    a.send(mqtt::publish{"chat", "hello", 0, true, false, 0});
    auto m = b.next_message();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload, "hello");
    {
        mqtt_client c(k.mqtt_port);
        c.send(mqtt::connect{4, true, 0, "c", mqtt::will{"chat", "c is gone", 0, false}, std::nullopt, std::nullopt});
        ASSERT_TRUE(c.receive());
    } // closed without DISCONNECT: the will
    m = b.next_message();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload, "c is gone");

    k.s.srv.publish_mqtt_remote("chat/#", "not a topic name", 0, false); // refused, logged
    k.s.srv.publish_mqtt_remote("chat", "from node B", 1, true);
    m = b.next_message();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload, "from node B");
    EXPECT_TRUE(k.logged("MQTT message of another node refused: bad topic name (6-byte topic)"));
    EXPECT_EQ(m->qos, 0); // at the subscription's QoS
    mqtt_client d(k.mqtt_port);
    ASSERT_TRUE(d.connect("d"));
    EXPECT_EQ(d.subscribe("chat"), 0);
    m = d.next_message();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload, "from node B"); // retained here too
    EXPECT_TRUE(m->retain);

    // what the cluster retained while this node was away: kept if the topic has nothing retained here
    k.s.srv.keep_mqtt_retained("chat", "older, read from Redis", 1);
    k.s.srv.keep_mqtt_retained("news", "read from Redis", 1);
    EXPECT_EQ(d.subscribe("news"), 0);
    m = d.next_message();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload, "read from Redis");
    EXPECT_TRUE(m->retain);
    mqtt_client e(k.mqtt_port);
    ASSERT_TRUE(e.connect("e"));
    EXPECT_EQ(e.subscribe("chat"), 0);
    m = e.next_message();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload, "from node B") << "what is retained here stays";
    std::lock_guard lock(hooked_mutex); // the hook ran on the strand before the remote publish's handler
    EXPECT_EQ(hooked, (std::vector<std::string>{"chat hello 0 1", "chat c is gone 0 0"}));
}

TEST(KuzzleMqtt, AClientThatLeavesLeavesItsRooms)
{
    kuzzle_server k;
    ws_client w(k.s.port, "/");
    w.send(R"({"controller":"realtime","action":"subscribe","index":"shop","collection":"items","body":{},"users":"all","requestId":"w"})");
    ASSERT_TRUE(w.receive(5000ms)); // response
    ASSERT_TRUE(w.receive(5000ms)); // its own arrival
    {
        mqtt_client m(k.mqtt_port);
        ASSERT_TRUE(m.connect("visitor"));
        m.call(R"({"controller":"realtime","action":"subscribe","index":"shop","collection":"items","body":{},"requestId":"v"})");
        auto const in = w.receive(5000ms);
        ASSERT_TRUE(in);
        EXPECT_EQ(json::parse(*in).at("user"), "in");
        EXPECT_EQ(json::parse(*in).at("protocol"), "mqtt");
    } // the socket closes without DISCONNECT
    auto const out = w.receive(5000ms);
    ASSERT_TRUE(out);
    EXPECT_EQ(json::parse(*out).at("user"), "out");
    EXPECT_EQ(json::parse(*out).at("protocol"), "mqtt"); // who left, over what
    EXPECT_EQ(json::parse(*out).at("result").at("count"), 1);
}

TEST(KuzzleMqtt, MalformedOrOversizedPacketsCloseTheirConnectionOnly)
{
    kuzzle_server k([](auto& o) { o.limits.max_packet_bytes = 1024; });
    mqtt_client good(k.mqtt_port), bad(k.mqtt_port), big(k.mqtt_port);
    ASSERT_TRUE(good.connect("good"));
    ASSERT_TRUE(bad.connect("bad"));
    ASSERT_TRUE(big.connect("big"));
    bad.send_bytes(std::string("\x82\x0a\x00\x01\x00\x05" "a/#/b" "\x00", 12));
    EXPECT_TRUE(bad.closed_by_server());
    EXPECT_TRUE(k.logged("bad topic filter in SUBSCRIBE at byte"));
    big.send_bytes("\x30\xff\xff\x7f"); // announces 2 MiB
    EXPECT_TRUE(big.closed_by_server());
    EXPECT_TRUE(k.logged("packet too large"));
    EXPECT_EQ(good.subscribe("Kuzzle/response"), 0); // the others go on
}

TEST(KuzzleMqtt, ConnectionsPastTheServersLimitsAreClosedAtOnce)
{
    kuzzle_server k({}, [](rtnotify::beast::server_options& o) { o.max_connections_per_address = 2; });
    mqtt_client a(k.mqtt_port), b(k.mqtt_port);
    ASSERT_TRUE(a.connect("a"));
    ASSERT_TRUE(b.connect("b"));
    mqtt_client c(k.mqtt_port);
    EXPECT_TRUE(c.closed_by_server());
    EXPECT_TRUE(k.logged("MQTT connection from 127.0.0.1 refused: too many connections"));
    EXPECT_EQ(a.subscribe("Kuzzle/response"), 0); // the others go on
}

TEST(KuzzleMqtt, CredentialsOfAConnectAreCheckedWithTheClientsAddress)
{
    std::vector<std::string> asked; // filled on the server's strand, read once the CONNACKs came
    kuzzle_server k([&](rtnotify::beast::kuzzle_mqtt_options& o) {
        o.credentials = [&](std::string_view user, std::string_view password, std::string_view address,
                            rtnotify::session::time_point) {
            asked.push_back(std::string(user) + ":" + std::string(password) + "@" + std::string(address));
            return user == "dev" && password == "pw" ? mqtt::connect_code::accepted
                                                     : mqtt::connect_code::bad_user_name_or_password;
        };
    });
    mqtt_client anonymous(k.mqtt_port);
    EXPECT_TRUE(anonymous.connect("anonymous")) << "no user name: anonymous, as Kuzzle's SDKs connect";
    mqtt_client dev(k.mqtt_port);
    EXPECT_EQ(dev.connect_as("dev", "dev", "pw"), mqtt::connect_code::accepted);
    EXPECT_EQ(dev.subscribe("Kuzzle/response"), 0);
    mqtt_client wrong(k.mqtt_port);
    EXPECT_EQ(wrong.connect_as("wrong", "dev", "pv"), mqtt::connect_code::bad_user_name_or_password);
    EXPECT_TRUE(wrong.closed_by_server());
    mqtt_client no_password(k.mqtt_port);
    EXPECT_EQ(no_password.connect_as("np", "dev", std::nullopt), mqtt::connect_code::bad_user_name_or_password);
    EXPECT_EQ(asked, (std::vector<std::string>{"dev:pw@127.0.0.1", "dev:pv@127.0.0.1", "dev:@127.0.0.1"}));
}

TEST(KuzzleMqtt, AnUnsupportedProtocolLevelIsAnsweredThenClosed)
{
    kuzzle_server k;
    mqtt_client v5(k.mqtt_port);
    v5.send_bytes(std::string("\x10\x0d\x00\x04MQTT\x05\x02\x00\x3c\x00\x00\x00", 15)); // MQTT 5 CONNECT
    auto const ack = v5.receive();
    ASSERT_TRUE(ack && std::holds_alternative<mqtt::connack>(*ack));
    EXPECT_EQ(std::get<mqtt::connack>(*ack).code, mqtt::connect_code::unacceptable_protocol_version);
    EXPECT_TRUE(v5.closed_by_server());
}

TEST(KuzzleMqtt, SettingsOutOfRangeAreNamed)
{
    rtnotify::beast::kuzzle_mqtt_options o;
    EXPECT_FALSE(rtnotify::beast::check_settings(o));
    o.broker.max_inflight = 0;
    EXPECT_EQ(rtnotify::beast::check_settings(o)->name, "broker.max_inflight");
    o = {};
    o.limits.max_packet_bytes = 0;
    EXPECT_EQ(rtnotify::beast::check_settings(o)->name, "limits.max_packet_bytes");
    o = {};
    o.response_topic = o.request_topic;
    EXPECT_EQ(rtnotify::beast::check_settings(o)->name, "request_topic");
    rtnotify::beast::server_options s;
    s.mqtt.broker.max_qos = 2;
    EXPECT_EQ(rtnotify::beast::check_settings(s)->name, "mqtt.broker.max_qos");
}

} // namespace
