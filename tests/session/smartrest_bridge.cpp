// Tests of rtnotify/session/smartrest_bridge.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/session/smartrest_bridge.hpp>

#include <rtnotify/smartrest/decode.hpp>

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

namespace {

namespace bx = rtnotify::bayeux;
namespace ss = rtnotify::session;
namespace sr = rtnotify::smartrest;
using namespace std::chrono_literals;

struct bridge_fixture
{
    ss::server srv;
    sr::registry templates;
    ss::smartrest_bridge bridge{srv, templates};
    ss::time_point now{};
    ss::exchange_id next = 1;
    std::vector<ss::smartrest_response> bodies; ///< responses taken from the bridge
    std::vector<ss::server_action> others;      ///< the engine's other actions (unused here)

    bridge_fixture()
    {
        auto add = [&](std::string_view xid, std::string const& body) {
            EXPECT_EQ(bridge.register_templates(xid, body, "device").substr(0, 3), "20,") << body;
        };
        add("alarms", "11,102,$,$.severity,$.id,$.text,$.severity\n");
        add("ops", "11,811,$,$.c8y_Restart,$.id,$.deviceId\n");
    }

    /// Takes the responses the bridge has ready.
    void drain()
    {
        bridge.take_actions(bodies, others);
        others.clear();
    }

    /// Posts `body` with `xid`; returns the exchange.
    ss::exchange_id post(std::string_view xid, std::string_view body)
    {
        auto const ex = next++;
        bridge.receive(ex, xid, body, now);
        drain();
        return ex;
    }

    /// The response to `ex`, if it came.
    std::optional<std::string> response(ss::exchange_id ex)
    {
        drain();
        for(auto it = bodies.begin(); it != bodies.end(); ++it)
            if(it->exchange == ex)
            {
                auto b = std::move(it->body);
                bodies.erase(it);
                return b;
            }
        return std::nullopt;
    }

    /// Posts and returns the immediate response.
    std::string call(std::string_view xid, std::string_view body)
    {
        auto r = response(post(xid, body));
        EXPECT_TRUE(r) << "held: " << body;
        return r.value_or("<held>");
    }

    std::string handshake(std::string_view line = "80")
    {
        auto id = call("alarms", line);
        EXPECT_EQ(id.back(), '\n');
        id.pop_back();
        return id;
    }

    void publish(std::string channel, std::string_view json)
    {
        bx::message m;
        m.channel = std::move(channel);
        m.data = boost::json::parse(json);
        srv.publish(std::move(m), now);
        drain();
    }
};

constexpr char const* alarm = R"({"realtimeAction":"CREATE","data":{"id":"7","text":"Hot","severity":"MAJOR"}})";

TEST(SmartrestBridge, TemplatePathAnswersLinesThatRegisterNothing)
{
    bridge_fixture f;
    auto const registered = f.bridge.register_templates("reqs", "10,100,GET,/x/%%,,,%%,STRING,\n", "device");
    EXPECT_EQ(registered.substr(0, 3), "20,") << registered;
    EXPECT_EQ(f.bridge.register_templates("none", "", "device"), "40,No template for this X-ID.\n"); // lookup
    // a request line for a registered template has no platform to go to; anything else is unknown
    EXPECT_EQ(f.bridge.register_templates("reqs", "100,x\n999,y\n+100\n", "device"),
              "50,1,501\n43,2,Invalid message identifier\n43,3,Invalid message identifier\n");
    EXPECT_EQ(f.bridge.register_templates("alarms", "100,x\n", "device"), "43,1,Invalid message identifier\n");
    EXPECT_EQ(f.bridge.register_templates("reqs", "\"unterminated\n", "device").substr(0, 5), "42,1,");
}

TEST(SmartrestBridge, HandshakeSubscribeConnect)
{
    bridge_fixture f;
    auto const id = f.handshake();
    EXPECT_EQ(id.size(), 26u);
    EXPECT_TRUE(f.srv.has_session(id));
    EXPECT_EQ(f.call("alarms", "81," + id + ",/alarms/208"), "");
    EXPECT_EQ(f.call("alarms", "83," + id), "86,,20000,0,retry\n"); // the first connect returns at once

    auto const held = f.post("alarms", "83," + id);
    EXPECT_FALSE(f.response(held));
    f.publish("/alarms/208", alarm);
    f.publish("/alarms/209", alarm); // not subscribed
    EXPECT_EQ(f.response(held), "86,,20000,0,retry\n102,1,7,Hot,MAJOR\n");

    EXPECT_EQ(f.call("alarms", "82," + id + ",/alarms/208"), "");
    f.publish("/alarms/208", alarm);
    EXPECT_EQ(f.srv.pending(id), 0u);
    EXPECT_EQ(f.call("alarms", "84," + id), "");
    EXPECT_FALSE(f.srv.has_session(id));
}

TEST(SmartrestBridge, ExtraXidsGiveGroups)
{
    bridge_fixture f;
    auto const id = f.handshake();
    EXPECT_EQ(f.call("alarms", "81," + id + ",/operations/*,ops"), "");
    ASSERT_TRUE(f.bridge.extra_xids(id));
    f.call("alarms", "83," + id);
    f.publish("/operations/5", R"({"realtimeAction":"CREATE","data":{"id":"1","deviceId":"5","c8y_Restart":{},"severity":"MINOR","text":"t"}})");
    EXPECT_EQ(f.call("alarms", "83," + id), "86,,20000,0,retry\n87,1,alarms\n102,1,1,t,MINOR\n87,1,ops\n811,1,1,5\n");
    // the X-Id of the connect decides the first group; 15 switches it for later lines
    f.publish("/operations/5", R"({"id":"2","deviceId":"5","c8y_Restart":{}})");
    EXPECT_EQ(f.call("alarms", "15,ops\n83," + id), "86,,20000,0,retry\n811,2,2,5\n"); // rows carry the line of their 83
}

TEST(SmartrestBridge, NumericXidsWorkAsNamesAndLabelTheirGroups)
{
    // the C SDK uses the numeric id of the 20 reply as its X-Id, and reads an 87 line's third field as a number
    bridge_fixture f;
    auto const alarms = std::to_string(f.templates.find("alarms")->id);
    auto const ops = std::to_string(f.templates.find("ops")->id);
    ASSERT_NE(alarms, ops);
    auto const id = f.call(alarms, "80");
    ASSERT_EQ(id.size(), 27u) << id; // the client id and its line break
    auto const client = id.substr(0, 26);
    EXPECT_EQ(f.call(alarms, "81," + client + ",/operations/*," + ops), "");
    f.call(alarms, "83," + client);
    f.publish("/operations/5", R"({"realtimeAction":"CREATE","data":{"id":"1","deviceId":"5","c8y_Restart":{},"severity":"MINOR","text":"t"}})");
    EXPECT_EQ(f.call(alarms, "83," + client),
              "86,,20000,0,retry\n87,1," + alarms + "\n102,1,1,t,MINOR\n87,1," + ops + "\n811,1,1,5\n");
}

TEST(SmartrestBridge, ReliableBatches)
{
    bridge_fixture f;
    auto const id = f.handshake("80,true");
    f.call("alarms", "81," + id + ",/alarms/1");
    f.publish("/alarms/1", alarm);
    auto const first = f.call("alarms", "83," + id);
    EXPECT_EQ(first, "88,1\n86,,20000,0,retry\n102,1,7,Hot,MAJOR\n");
    // not acknowledged: the same batch again
    EXPECT_EQ(f.call("alarms", "83," + id), first);
    f.publish("/alarms/1", R"({"id":"8","text":"Cold","severity":"MINOR"})");
    EXPECT_EQ(f.call("alarms", "83," + id + ",1"), "88,2\n86,,20000,0,retry\n102,1,8,Cold,MINOR\n");
    auto const held = f.post("alarms", "83," + id + ",2");
    EXPECT_FALSE(f.response(held));
    EXPECT_EQ(f.srv.pending(id), 0u);
}

TEST(SmartrestBridge, UnknownClientMeansHandshake)
{
    bridge_fixture f;
    EXPECT_EQ(f.call("alarms", "83,gone"), "86,,,0,handshake\n45,1,402:gone:Unknown client ID\n");
    EXPECT_EQ(f.call("alarms", "81,gone,/a"), "86,,,0,handshake\n45,1,402:gone:Unknown client ID\n");
    // what a client reads from it
    auto doc = sr::decode("86,,,0,handshake\n45,1,402:gone:Unknown client ID\n").value();
    auto advice = sr::parse_reply(doc[0]).value();
    EXPECT_EQ(std::get<sr::advice_line>(advice).policy, sr::reconnect::handshake);
}

TEST(SmartrestBridge, TemplatePathTakesTheXidOfAFirst15Line)
{
    bridge_fixture f;
    EXPECT_EQ(f.bridge.register_templates("", "15,byline", "device"), "40,No template for this X-ID.\n");
    auto const registered = f.bridge.register_templates("", "15,byline\n11,102,$,$.severity,$.id\n", "device");
    EXPECT_TRUE(registered.starts_with("20,")) << registered;
    EXPECT_EQ(f.bridge.register_templates("byline", "", "device"), registered); // the same collection, by its header now
    // an error keeps the line number of the body, the 15 line counted
    EXPECT_EQ(f.bridge.register_templates("", "15,other\n11,102,,$.a,$.a\n11,102,,$.b,$.b\n", "device"),
              "41,3,Duplicate message identifiers are not allowed\n");
    EXPECT_EQ(f.bridge.register_templates("", "11,102,$,$.a\n", "device"),
              "40,1,No X-Id: neither the header nor a first line 15 names one\n");
    // BOM bytes after the 15 line are field bytes, as they are after any first line
    EXPECT_EQ(f.bridge.register_templates("other", "\n\xEF\xBB\xBF\n", "device"), "43,1,Invalid message identifier\n");
    EXPECT_EQ(f.bridge.register_templates("", "15,other\n\n\xEF\xBB\xBF\n", "device"), "43,2,Invalid message identifier\n");
}

TEST(SmartrestBridge, BadLines)
{
    bridge_fixture f;
    EXPECT_EQ(f.call("alarms", "99,x"), "43,1,Invalid message identifier\n");
    auto const bad_batch = f.call("alarms", "83,id,notanumber");
    EXPECT_EQ(bad_batch.substr(0, 5), "42,1,");
    auto const id = f.handshake();
    EXPECT_EQ(f.call("nosuch", "81," + id + ",/a"), "40,1,No template for this X-ID.\n");
    EXPECT_EQ(f.call("alarms", "81," + id + ",/a,nosuch"), "40,1,No template for this X-ID.\n");
    EXPECT_EQ(f.call("alarms", "81," + id + ",/a/**/b"), "45,1,405:/a/**/b:Invalid channel\n");
    // good and bad lines in one body are answered in line order
    EXPECT_EQ(f.call("alarms", "99\n81," + id + ",/ok\n82," + id + ",/meta/x/**/y"),
              "43,1,Invalid message identifier\n45,3,405:/meta/x/**/y:Invalid channel\n");
    // too few or too many fields: 45, as the Cumulocity documentation lists it
    EXPECT_EQ(f.call("alarms", "83"), "45,1,Wrong number of arguments\n");
    EXPECT_EQ(f.call("alarms", "81," + id), "45,1,Wrong number of arguments\n");
    EXPECT_EQ(f.call("alarms", "84," + id + ",extra"), "45,1,Wrong number of arguments\n");
    auto const unterminated = f.call("alarms", "81,\"abc");
    EXPECT_EQ(unterminated.substr(0, 5), "42,1,");
    // a body of more lines than a batch may hold is refused whole, before any line runs
    std::string many;
    for(int i = 0; i < 1001; ++i)
        many += "80\n";
    EXPECT_EQ(f.call("alarms", many), "42,1001,\"too many records at line 1001, field 1 (byte 3000)\"\n");
}

TEST(SmartrestBridge, ForgetsClosedSessions)
{
    bridge_fixture f;
    auto const id = f.handshake();
    f.call("alarms", "81," + id + ",/x,ops");
    ASSERT_TRUE(f.bridge.extra_xids(id));
    f.srv.close(id, f.now);
    f.drain();
    EXPECT_FALSE(f.bridge.extra_xids(id));
}

TEST(SmartrestBridge, ClosedExchangeIsForgotten)
{
    bridge_fixture f;
    auto const id = f.handshake();
    f.call("alarms", "81," + id + ",/alarms/208");
    f.call("alarms", "83," + id);
    auto const held = f.post("alarms", "83," + id);
    EXPECT_EQ(f.bridge.waiting(), 1u);
    f.bridge.close_exchange(held); // the device hung up
    f.srv.close_exchange(held, f.now);
    EXPECT_EQ(f.bridge.waiting(), 0u);
    f.publish("/alarms/208", alarm);
    EXPECT_FALSE(f.response(held));
    EXPECT_EQ(f.call("alarms", "83," + id), "86,,20000,0,retry\n102,1,7,Hot,MAJOR\n"); // kept for the next connect
}

} // namespace
