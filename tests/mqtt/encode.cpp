// Tests of rtnotify/mqtt/encode.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/mqtt/encode.hpp>

#include "captures.hpp"

#include <rtnotify/mqtt/decode.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace mqtt = rtnotify::mqtt;
using namespace std::string_literals;

std::string bytes_of(mqtt::packet const& p)
{
    std::string out;
    auto const ec = mqtt::encode(p, out);
    EXPECT_FALSE(ec) << ec.message();
    return out;
}

TEST(MqttEncode, EveryPacketTypeDecodesBackToItself)
{
    std::vector<mqtt::packet> const packets = {
        mqtt::connect{4, true, 60, "c1", std::nullopt, std::nullopt, std::nullopt},
        mqtt::connect{4, false, 5, "", mqtt::will{"w/t", "bye\0"s, 1, true}, "user", "p\0ss"s},
        mqtt::connect{3, true, 0, "old", std::nullopt, "u", std::nullopt},
        mqtt::connack{true, mqtt::connect_code::accepted},
        mqtt::connack{false, mqtt::connect_code::not_authorized},
        mqtt::publish{"a/b", "payload", 0, false, false, 0},
        mqtt::publish{"a/b", std::string(300, 'x'), 1, true, true, 65535},
        mqtt::publish{"caf\xc3\xa9", "", 2, false, false, 7},
        mqtt::packet_id_only{mqtt::packet_type::puback, 1},
        mqtt::packet_id_only{mqtt::packet_type::pubrec, 2},
        mqtt::packet_id_only{mqtt::packet_type::pubrel, 3},
        mqtt::packet_id_only{mqtt::packet_type::pubcomp, 4},
        mqtt::packet_id_only{mqtt::packet_type::unsuback, 5},
        mqtt::subscribe{9, {{"a/+", 0}, {"b/#", 1}, {"c", 2}}},
        mqtt::suback{9, {0, 1, mqtt::suback_failure}},
        mqtt::unsubscribe{10, {"a/+", "b/#"}},
        mqtt::header_only{mqtt::packet_type::pingreq},
        mqtt::header_only{mqtt::packet_type::pingresp},
        mqtt::header_only{mqtt::packet_type::disconnect},
    };
    for(auto const& p : packets)
    {
        auto const bytes = bytes_of(p);
        auto const back = mqtt::decode(bytes);
        ASSERT_TRUE(back.has_value()) << mqtt::to_string(mqtt::type_of(p)) << ": " << back.error().to_string();
        EXPECT_EQ(*back, p) << mqtt::to_string(mqtt::type_of(p));
    }
}

// What mosquitto and MQTT.js wrote, decoded and encoded again, is the same bytes.
TEST(MqttEncode, RealClientsPacketsEncodeToTheirOwnBytes)
{
    for(auto name : {"mosquitto_sub.to_broker", "mosquitto_sub.from_broker", "mqttjs.to_broker",
                     "mqttjs.from_broker", "mosquitto_pub_qos2.to_broker", "mosquitto_pub_mqttv31.to_broker"})
    {
        auto const bytes = rtnotify_test::mqtt_capture(name);
        auto const s = rtnotify_test::read_mqtt({bytes});
        ASSERT_FALSE(s.diag.code) << name;
        std::string again;
        for(auto const& p : s.packets)
            ASSERT_FALSE(mqtt::encode(p, again));
        EXPECT_EQ(again, bytes) << name;
    }
}

TEST(MqttEncode, APublishFromItsPartsIsThePublishValuesBytes)
{
    for(auto const& p : {mqtt::publish{"a/b", "x", 0, false, false, 0}, mqtt::publish{"t", std::string(200, 'y'), 1, true, true, 513}})
    {
        std::string parts;
        ASSERT_FALSE(mqtt::encode_publish(p.topic, p.payload, p.qos, p.retain, p.dup, p.packet_id, parts));
        EXPECT_EQ(parts, bytes_of(p));
    }
    std::string out;
    EXPECT_EQ(mqtt::encode_publish("t", "", 1, false, false, 0, out), mqtt::error::bad_packet_id);
    EXPECT_TRUE(out.empty());
}

TEST(MqttEncode, TheRemainingLengthTakesOneToFourBytes)
{
    // payload sizes giving Remaining Lengths 127, 128, 16383, 16384, 2097152 (topic "t" and its length: 3 bytes)
    std::pair<std::size_t, std::size_t> const cases[] = {
        {127, 1}, {128, 2}, {16383, 2}, {16384, 3}, {2097151, 3}, {2097152, 4}};
    for(auto [length, size] : cases)
    {
        auto const bytes = bytes_of(mqtt::publish{"t", std::string(length - 3, 'p'), 0, false, false, 0});
        EXPECT_EQ(bytes.size(), 1 + size + length) << length;
        auto const back = mqtt::decode(bytes, {std::size_t(4) << 20, 1024, 32});
        ASSERT_TRUE(back.has_value()) << length << ": " << back.error().to_string();
    }
}

TEST(MqttEncode, ValuesNoReceiverAcceptsAreRefusedAndNothingIsWritten)
{
    std::string out = "kept";
    EXPECT_EQ(mqtt::encode(mqtt::publish{std::string(65536, 't'), "", 0, false, false, 0}, out),
              mqtt::error::field_too_long);
    EXPECT_EQ(mqtt::encode(mqtt::publish{"t", "", 1, false, false, 0}, out), mqtt::error::bad_packet_id);
    EXPECT_EQ(mqtt::encode(mqtt::publish{"t", "", 3, false, false, 1}, out), mqtt::error::bad_qos);
    EXPECT_EQ(mqtt::encode(mqtt::subscribe{1, {{"a", 3}}}, out), mqtt::error::bad_qos);
    EXPECT_EQ(mqtt::encode(mqtt::packet_id_only{mqtt::packet_type::puback, 0}, out), mqtt::error::bad_packet_id);
    EXPECT_EQ(mqtt::encode(mqtt::publish{"t", std::string(mqtt::max_remaining_length, 'x'), 0, false, false, 0}, out),
              mqtt::error::field_too_long);
    EXPECT_EQ(out, "kept");
}

} // namespace
