// Tests of rtnotify/mqtt/reader.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/mqtt/reader.hpp>

#include "captures.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

namespace mqtt = rtnotify::mqtt;
using namespace std::string_literals;
using rtnotify_test::mqtt_capture;
using rtnotify_test::read_mqtt;

std::vector<mqtt::packet_type> types_of(std::vector<mqtt::packet> const& packets)
{
    std::vector<mqtt::packet_type> t;
    for(auto const& p : packets)
        t.push_back(mqtt::type_of(p));
    return t;
}

using enum mqtt::packet_type;

TEST(MqttReader, MosquittoSubsSessionDecodesPacketByPacket)
{
    auto const up = read_mqtt({mqtt_capture("mosquitto_sub.to_broker")});
    ASSERT_FALSE(up.diag.code) << up.diag.to_string();
    EXPECT_EQ(types_of(up.packets),
              (std::vector{connect, subscribe, puback, puback, puback, disconnect}));
    auto const& sub = std::get<mqtt::subscribe>(up.packets[1]);
    EXPECT_EQ(sub.topics, (std::vector<mqtt::subscription>{{"sensors/+/temp", 1}, {"kuzzle/#", 1}}));

    auto const down = read_mqtt({mqtt_capture("mosquitto_sub.from_broker")});
    ASSERT_FALSE(down.diag.code) << down.diag.to_string();
    EXPECT_EQ(types_of(down.packets), (std::vector{connack, suback, publish, publish, publish, publish}));
    EXPECT_EQ(std::get<mqtt::suback>(down.packets[1]).codes, (std::vector<std::uint8_t>{1, 1}));
    auto const& retained = std::get<mqtt::publish>(down.packets[3]);
    EXPECT_EQ(retained.topic, "sensors/b/temp");
    EXPECT_EQ(retained.payload, "caf\xc3\xa9");
    EXPECT_EQ(retained.qos, 1);
    EXPECT_EQ(std::get<mqtt::publish>(down.packets[5]).payload, ""); // mosquitto_pub -n
}

TEST(MqttReader, MqttJsSessionDecodesPacketByPacket)
{
    auto const up = read_mqtt({mqtt_capture("mqttjs.to_broker")});
    ASSERT_FALSE(up.diag.code) << up.diag.to_string();
    EXPECT_EQ(types_of(up.packets), (std::vector{connect, subscribe, publish, unsubscribe, pingreq, disconnect}));
    auto const& req = std::get<mqtt::publish>(up.packets[2]);
    EXPECT_EQ(req.topic, "Kuzzle/request");
    EXPECT_EQ(req.qos, 1);
    EXPECT_NE(req.packet_id, 0);
    EXPECT_EQ(std::get<mqtt::unsubscribe>(up.packets[3]).filters, std::vector<std::string>{"room/#"});

    auto const down = read_mqtt({mqtt_capture("mqttjs.from_broker")});
    ASSERT_FALSE(down.diag.code) << down.diag.to_string();
    EXPECT_EQ(types_of(down.packets), (std::vector{connack, suback, puback, unsuback, pingresp}));
}

TEST(MqttReader, QoS2AndMqtt31SessionsOfMosquittoPubDecode)
{
    auto const qos2 = read_mqtt({mqtt_capture("mosquitto_pub_qos2.to_broker")});
    ASSERT_FALSE(qos2.diag.code) << qos2.diag.to_string();
    EXPECT_EQ(types_of(qos2.packets), (std::vector{connect, publish, pubrel, disconnect}));
    auto const acks = read_mqtt({mqtt_capture("mosquitto_pub_qos2.from_broker")});
    EXPECT_EQ(types_of(acks.packets), (std::vector{connack, pubrec, pubcomp}));
    auto const v31 = read_mqtt({mqtt_capture("mosquitto_pub_mqttv31.to_broker")});
    ASSERT_FALSE(v31.diag.code) << v31.diag.to_string();
    EXPECT_EQ(std::get<mqtt::connect>(v31.packets[0]).protocol_level, 3);
}

// Every capture, cut in two at every byte and fed byte by byte, gives the same packets.
TEST(MqttReader, EverySplitOfEveryCaptureGivesTheSamePackets)
{
    for(auto name : {"mosquitto_sub.to_broker", "mosquitto_sub.from_broker", "mqttjs.to_broker",
                     "mqttjs.from_broker", "mosquitto_pub_qos2.to_broker", "mosquitto_pub_mqttv31.to_broker"})
    {
        auto const bytes = mqtt_capture(name);
        std::string_view const all = bytes;
        auto const whole = read_mqtt({all});
        for(std::size_t cut = 0; cut <= bytes.size(); ++cut)
            ASSERT_EQ(read_mqtt({all.substr(0, cut), all.substr(cut)}), whole) << name << " cut at " << cut;
        std::vector<std::string_view> bytewise;
        for(std::size_t i = 0; i < bytes.size(); ++i)
            bytewise.push_back(all.substr(i, 1));
        EXPECT_EQ(read_mqtt(bytewise), whole) << name;
    }
}

TEST(MqttReader, AnErrorIsPlacedInTheStreamWhateverTheSplit)
{
    // PINGREQ, then a PUBLISH whose topic holds a wildcard (topic at byte 4)
    std::string const bytes = "\xc0\x00\x30\x05\x00\x03" "a/#"s;
    std::string_view const all = bytes;
    for(std::size_t cut = 0; cut <= bytes.size(); ++cut)
    {
        auto const s = read_mqtt({all.substr(0, cut), all.substr(cut)});
        ASSERT_EQ(s.packets.size(), 1u) << cut;
        EXPECT_EQ(s.diag.code, mqtt::error::bad_topic_name) << cut;
        EXPECT_EQ(s.diag.offset, 4u) << cut;
        EXPECT_EQ(s.diag.type, 3) << cut;
    }
}

TEST(MqttReader, AnOversizedPacketIsRefusedFromItsFixedHeaderAlone)
{
    mqtt::reader r;
    r.feed("\x30\xff\xff\x7f"s); // a PUBLISH of 2 MiB announced; not one byte of it sent
    auto const p = r.next();
    ASSERT_TRUE(p.has_error());
    EXPECT_EQ(p.error(), mqtt::error::packet_too_large);
    EXPECT_EQ(r.diag().offset, 1u);
}

TEST(MqttReader, ErrorsAreSticky)
{
    mqtt::reader r;
    r.feed("\x00\x00\xc0\x00"s);
    EXPECT_EQ(r.next().error(), mqtt::error::reserved_packet_type);
    EXPECT_EQ(r.next().error(), mqtt::error::reserved_packet_type);
}

TEST(MqttReader, OnlyTheUndecodedBytesStayBuffered)
{
    mqtt::reader r;
    r.feed("\xc0\x00\xd0\x00\x30\x05\x00"s);
    EXPECT_TRUE(r.next().has_value());
    EXPECT_TRUE(r.next().has_value());
    EXPECT_EQ(r.next().error(), mqtt::error::need_more);
    EXPECT_EQ(r.buffered(), 3u);
    r.feed("\x01" "a" "xy"s);
    auto const p = r.next();
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(std::get<mqtt::publish>(*p).payload, "xy");
    EXPECT_EQ(r.buffered(), 0u);
}

} // namespace
