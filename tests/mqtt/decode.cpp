// Tests of rtnotify/mqtt/decode.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/mqtt/decode.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace {

namespace mqtt = rtnotify::mqtt;
using namespace std::string_literals;

TEST(MqttDecode, TheConnectOfMosquittoSubCarriesEveryFieldItSet)
{
    // mosquitto_sub -i seed-sub -c -k 5 --will-topic clients/seed-sub --will-payload gone -u user -P secret
    auto const bytes = "\x10\x3a\x00\x04MQTT\x04\xc4\x00\x05\x00\x08seed-sub\x00\x10" "clients/seed-sub"
                       "\x00\x04gone\x00\x04user\x00\x06secret"s;
    auto const p = mqtt::decode(bytes);
    ASSERT_TRUE(p.has_value()) << p.error().to_string();
    auto const& c = std::get<mqtt::connect>(*p);
    EXPECT_EQ(c.protocol_level, 4);
    EXPECT_FALSE(c.clean_session);
    EXPECT_EQ(c.keep_alive, 5);
    EXPECT_EQ(c.client_id, "seed-sub");
    ASSERT_TRUE(c.will);
    EXPECT_EQ(*c.will, (mqtt::will{"clients/seed-sub", "gone", 0, false}));
    EXPECT_EQ(c.user_name, "user");
    EXPECT_EQ(c.password, "secret");
}

TEST(MqttDecode, APublishOfQos1HasItsPacketIdentifierAndTheRestIsPayload)
{
    auto const p = mqtt::decode("\x33\x0a\x00\x03" "a/b" "\x12\x34" "x\0y"s);
    ASSERT_TRUE(p.has_value()) << p.error().to_string();
    EXPECT_EQ(std::get<mqtt::publish>(*p), (mqtt::publish{"a/b", "x\0y"s, 1, true, false, 0x1234}));
}

TEST(MqttDecode, AnMqtt31ConnectIsLevel3UnderTheNameMQIsdp)
{
    auto const p = mqtt::decode("\x10\x0f\x00\x06MQIsdp\x03\x02\x00\x3c\x00\x01x"s);
    ASSERT_TRUE(p.has_value()) << p.error().to_string();
    EXPECT_EQ(std::get<mqtt::connect>(*p).protocol_level, 3);
}

TEST(MqttDecode, TheWillQosAndRetainComeFromTheConnectFlags)
{
    // flags 0x36: will retain, will QoS 2, will, clean session
    auto const p = mqtt::decode("\x10\x14\x00\x04MQTT\x04\x36\x00\x00\x00\x00\x00\x01t\x00\x03" "bye"s);
    ASSERT_TRUE(p.has_value()) << p.error().to_string();
    EXPECT_EQ(std::get<mqtt::connect>(*p).will, (mqtt::will{"t", "bye", 2, true}));
}

// A packet that breaks one rule, and what the decoder says of it.
struct malformed
{
    char const* name;
    std::string bytes;
    mqtt::error code;
    std::size_t offset;
    mqtt::decode_options opts = {};
};

class MqttDecodeRefuses : public testing::TestWithParam<malformed>
{
};

TEST_P(MqttDecodeRefuses, WithTheErrorAndTheByteOfTheFieldAtFault)
{
    auto const& m = GetParam();
    auto const p = mqtt::decode(m.bytes, m.opts);
    ASSERT_TRUE(p.has_error()) << m.name;
    EXPECT_EQ(p.error().code, m.code) << p.error().to_string();
    EXPECT_EQ(p.error().offset, m.offset) << p.error().to_string();
}

mqtt::decode_options small(std::size_t packet, std::size_t topic, std::size_t topics)
{
    return {packet, topic, topics};
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Rules, MqttDecodeRefuses, testing::Values(
    malformed{"type0", "\x00\x00"s, mqtt::error::reserved_packet_type, 0},
    malformed{"type15", "\xf0\x00"s, mqtt::error::reserved_packet_type, 0},
    malformed{"subscribe_flags0", "\x80\x05\x00\x01\x00\x01\x61"s, mqtt::error::bad_flags, 0},
    malformed{"pingreq_flags", "\xc1\x00"s, mqtt::error::bad_flags, 0},
    malformed{"pubrel_flags0", "\x60\x02\x00\x01"s, mqtt::error::bad_flags, 0},
    malformed{"dup_on_qos0", "\x38\x04\x00\x01" "a" "x"s, mqtt::error::bad_flags, 0},
    malformed{"publish_qos3", "\x36\x06\x00\x01" "a" "\x00\x01" "x"s, mqtt::error::bad_qos, 0},
    malformed{"length_5_bytes", "\x30\xff\xff\xff\xff\x01"s, mqtt::error::bad_remaining_length, 4},
    malformed{"over_max", "\x30\x0b\x00\x01" "a" "12345678"s, mqtt::error::packet_too_large, 1, small(10, 1024, 32)},
    malformed{"string_past_end", "\x30\x03\x00\x05" "a"s, mqtt::error::truncated, 2},
    malformed{"id_past_end", "\x32\x04\x00\x01" "a" "\x01"s, mqtt::error::truncated, 5},
    malformed{"pingreq_body", "\xc0\x01\x00"s, mqtt::error::trailing_bytes, 2},
    malformed{"puback_long", "\x40\x03\x00\x01\x00"s, mqtt::error::trailing_bytes, 4},
    malformed{"two_packets", "\xc0\x00\xc0\x00"s, mqtt::error::trailing_bytes, 2},
    malformed{"overlong_utf8", "\x30\x04\x00\x02\xc0\x80"s, mqtt::error::bad_utf8, 2},
    malformed{"nul_in_topic", "\x30\x03\x00\x01\x00"s, mqtt::error::bad_utf8, 2},
    malformed{"surrogate", "\x30\x05\x00\x03\xed\xa0\x80"s, mqtt::error::bad_utf8, 2},
    malformed{"above_10ffff", "\x30\x06\x00\x04\xf4\x90\x80\x80"s, mqtt::error::bad_utf8, 2},
    malformed{"cut_sequence", "\x30\x04\x00\x02" "a\xe2"s, mqtt::error::bad_utf8, 2},
    malformed{"wildcard_in_name", "\x30\x05\x00\x03" "a/+"s, mqtt::error::bad_topic_name, 2},
    malformed{"empty_name", "\x30\x02\x00\x00"s, mqtt::error::bad_topic_name, 2},
    malformed{"long_name", "\x30\x06\x00\x04" "abcd"s, mqtt::error::topic_too_long, 2, small(1024, 3, 32)},
    malformed{"protocol_name", "\x10\x0c\x00\x04MQTX\x04\x02\x00\x00\x00\x00"s, mqtt::error::bad_protocol_name, 2},
    malformed{"level5", "\x10\x0c\x00\x04MQTT\x05\x02\x00\x00\x00\x00"s, mqtt::error::unsupported_protocol_level, 8},
    malformed{"mqisdp_level4", "\x10\x0e\x00\x06MQIsdp\x04\x02\x00\x00\x00\x00"s, mqtt::error::unsupported_protocol_level, 10},
    malformed{"reserved_flag", "\x10\x0c\x00\x04MQTT\x04\x03\x00\x00\x00\x00"s, mqtt::error::bad_connect_flags, 9},
    malformed{"password_alone", "\x10\x0c\x00\x04MQTT\x04\x42\x00\x00\x00\x00"s, mqtt::error::bad_connect_flags, 9},
    malformed{"will_qos_no_will", "\x10\x0c\x00\x04MQTT\x04\x0a\x00\x00\x00\x00"s, mqtt::error::bad_connect_flags, 9},
    malformed{"will_retain_no_will", "\x10\x0c\x00\x04MQTT\x04\x22\x00\x00\x00\x00"s, mqtt::error::bad_connect_flags, 9},
    malformed{"will_qos3", "\x10\x0c\x00\x04MQTT\x04\x1e\x00\x00\x00\x00"s, mqtt::error::bad_connect_flags, 9},
    malformed{"will_topic_wildcard", "\x10\x11\x00\x04MQTT\x04\x06\x00\x00\x00\x00\x00\x01#\x00\x00"s, mqtt::error::bad_topic_name, 14},
    malformed{"user_past_end", "\x10\x0e\x00\x04MQTT\x04\x82\x00\x00\x00\x00\x00\x05"s, mqtt::error::truncated, 14},
    malformed{"puback_id0", "\x40\x02\x00\x00"s, mqtt::error::bad_packet_id, 2},
    malformed{"publish_id0", "\x32\x05\x00\x01" "a" "\x00\x00"s, mqtt::error::bad_packet_id, 5},
    malformed{"subscribe_empty", "\x82\x02\x00\x01"s, mqtt::error::no_topic_filter, 4},
    malformed{"unsubscribe_empty", "\xa2\x02\x00\x01"s, mqtt::error::no_topic_filter, 4},
    malformed{"hash_not_last", "\x82\x0a\x00\x01\x00\x05" "a/#/b" "\x00"s, mqtt::error::bad_topic_filter, 4},
    malformed{"plus_in_level", "\x82\x08\x00\x01\x00\x03" "a+b" "\x00"s, mqtt::error::bad_topic_filter, 4},
    malformed{"unsub_bad_filter", "\xa2\x06\x00\x01\x00\x02" "a#"s, mqtt::error::bad_topic_filter, 4},
    malformed{"sub_qos3", "\x82\x06\x00\x01\x00\x01" "a" "\x03"s, mqtt::error::bad_qos, 7},
    malformed{"sub_reserved_bits", "\x82\x06\x00\x01\x00\x01" "a" "\x04"s, mqtt::error::bad_qos, 7},
    malformed{"sub_no_qos", "\x82\x05\x00\x01\x00\x01" "a"s, mqtt::error::truncated, 7},
    malformed{"third_filter", "\x82\x0e\x00\x01\x00\x01" "a" "\x00\x00\x01" "b" "\x00\x00\x01" "c" "\x00"s,
              mqtt::error::too_many_topics, 12, small(1024, 1024, 2)},
    malformed{"connack_flags", "\x20\x02\x02\x00"s, mqtt::error::bad_connack, 2},
    malformed{"connack_code6", "\x20\x02\x00\x06"s, mqtt::error::bad_connack, 3},
    malformed{"suback_code3", "\x90\x04\x00\x01\x00\x03"s, mqtt::error::bad_suback_code, 5},
    malformed{"prefix", "\x30"s, mqtt::error::need_more, 1},
    malformed{"body_prefix", "\x30\x05\x00\x01"s, mqtt::error::need_more, 4}),
    [](auto const& test) { return std::string(test.param.name); });
// clang-format on

TEST(MqttDecode, ADiagnosticSaysWhatInWhichPacketAndWhere)
{
    auto const p = mqtt::decode("\x82\x0a\x00\x01\x00\x05" "a/#/b" "\x00"s);
    ASSERT_TRUE(p.has_error());
    EXPECT_EQ(p.error().to_string(), "bad topic filter in SUBSCRIBE at byte 4");
    EXPECT_EQ(mqtt::decode("\x00\x00"s).error().to_string(), "reserved packet type at byte 0");
    EXPECT_TRUE(p.error().code == rtnotify::condition::protocol_error);
    EXPECT_TRUE(mqtt::decode("\x30"s).error().code == rtnotify::condition::need_more);
}

TEST(MqttDecode, TheLargestPacketTheOptionsAllowIsAccepted)
{
    std::string bytes = "\x30\x0a\x00\x01" "a" "1234567"s;
    EXPECT_TRUE(mqtt::decode(bytes, small(10, 1024, 32)).has_value());
    EXPECT_EQ(mqtt::decode(bytes, small(9, 1024, 32)).error().code, mqtt::error::packet_too_large);
}

} // namespace
