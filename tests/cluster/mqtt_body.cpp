// Tests of the MQTT messages the cluster bus carries (rtnotify/cluster/mqtt_body.hpp).
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/cluster/mqtt_body.hpp>

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace {

namespace cl = rtnotify::cluster;
using namespace std::string_literals;

cl::frame_error body_error_of(std::string_view body)
{
    auto const r = cl::read_mqtt_body(body);
    EXPECT_TRUE(std::holds_alternative<cl::frame_error>(r)) << body;
    return std::holds_alternative<cl::frame_error>(r) ? std::get<cl::frame_error>(r) : cl::frame_error{};
}

TEST(ClusterMqttBody, EncodesAndReadsBack)
{
    auto const payload = "line\nbreak, a NUL \0 and 0xff \xff"s;
    auto const body = cl::mqtt_body({"sensors/one two", payload, 1, true});
    EXPECT_EQ(body, "1 1 15\nsensors/one two" + payload);
    auto const r = cl::read_mqtt_body(body);
    ASSERT_TRUE(std::holds_alternative<cl::mqtt_message>(r)) << std::get<cl::frame_error>(r).message();
    auto const& m = std::get<cl::mqtt_message>(r);
    EXPECT_EQ(m.topic, "sensors/one two");
    EXPECT_EQ(m.payload, payload);
    EXPECT_EQ(m.qos, 1);
    EXPECT_TRUE(m.retain);
}

TEST(ClusterMqttBody, TakesAnEmptyPayloadAndATopicWithALineFeed)
{
    auto const body = cl::mqtt_body({"a\nb", "", 2, false}); // the message's views refer to it
    auto const r = cl::read_mqtt_body(body);
    ASSERT_TRUE(std::holds_alternative<cl::mqtt_message>(r));
    EXPECT_EQ(std::get<cl::mqtt_message>(r).topic, "a\nb");
    EXPECT_EQ(std::get<cl::mqtt_message>(r).payload, "");
    EXPECT_EQ(std::get<cl::mqtt_message>(r).qos, 2);
}

TEST(ClusterMqttBody, SaysWhatIsWrongAndWhere)
{
    auto e = body_error_of("3 0 1\nt");
    EXPECT_STREQ(e.what, "QoS is not 0, 1 or 2");
    EXPECT_EQ(e.offset, 0u);
    EXPECT_STREQ(body_error_of("1").what, "QoS is not 0, 1 or 2"); // too short for its header
    e = body_error_of("1,0 1\nt");
    EXPECT_STREQ(e.what, "no space after the QoS");
    EXPECT_EQ(e.offset, 1u);
    e = body_error_of("1 2 1\nt");
    EXPECT_STREQ(e.what, "retain flag is not 0 or 1");
    EXPECT_EQ(e.offset, 2u);
    e = body_error_of("1 01 1\nt");
    EXPECT_STREQ(e.what, "no space after the retain flag");
    EXPECT_EQ(e.offset, 3u);
    e = body_error_of("1 0 1");
    EXPECT_STREQ(e.what, "no line feed after the topic length");
    EXPECT_EQ(e.offset, 5u);
    e = body_error_of("1 0 5\nabc");
    EXPECT_STREQ(e.what, "topic length past the end of the body");
    EXPECT_EQ(e.message(), "topic length past the end of the body at byte 9");
    e = body_error_of("1 0 65536\n" + std::string(65536, 't'));
    EXPECT_STREQ(e.what, "topic length not from 1 to 65535");
    EXPECT_STREQ(body_error_of("1 0 0\npayload").what, "topic length not from 1 to 65535");
}

TEST(ClusterMqttBody, RefusesTopicLengthsThatAreNotPlainDecimals)
{
    for(char const* bad : {"0 0 \nt", "0 0 01\nt", "0 0 -1\nt", "0 0 +1\nt", "0 0 1x\nt", "0 0 1 \nt",
                           "0 0 99999999999999999999999\nt"})
    {
        auto const e = body_error_of(bad);
        EXPECT_STREQ(e.what, "invalid topic length") << bad;
    }
    EXPECT_EQ(body_error_of("0 0 12x\nt").offset, 6u);
}

} // namespace
