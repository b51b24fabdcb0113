// Tests of rtnotify/mqtt/topic.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/mqtt/topic.hpp>

#include <gtest/gtest.h>

namespace {

namespace mqtt = rtnotify::mqtt;

TEST(MqttTopic, ANameHasAByteAndNoWildcard)
{
    for(auto name : {"a", "/", "a/b", "sport/tennis/player1", "$SYS/x", "a//b", " "})
        EXPECT_FALSE(mqtt::validate_topic_name(name)) << name;
    for(auto name : {"", "+", "#", "a/+", "a/#", "a+", "sport/#/x"})
        EXPECT_EQ(mqtt::validate_topic_name(name), mqtt::error::bad_topic_name) << name;
}

TEST(MqttTopic, AFiltersWildcardsAreWholeLevelsAndHashComesLast)
{
    for(auto f : {"#", "+", "+/+", "/+", "a/#", "a/+/b", "+/tennis/#", "a//#", "$SYS/#"})
        EXPECT_FALSE(mqtt::validate_topic_filter(f)) << f;
    for(auto f : {"", "a#", "a/#/b", "#/a", "a+", "+a", "a/b+/c", "##", "++"})
        EXPECT_EQ(mqtt::validate_topic_filter(f), mqtt::error::bad_topic_filter) << f;
}

struct match_case
{
    char const* filter;
    char const* name;
    bool matches;
};

TEST(MqttTopic, FiltersMatchAsSection472Says)
{
    // The examples of MQTT 3.1.1 sections 4.7.1.2, 4.7.1.3 and 4.7.2, and the edges around them.
    match_case const cases[] = {
        {"sport/tennis/player1/#", "sport/tennis/player1", true},
        {"sport/tennis/player1/#", "sport/tennis/player1/ranking", true},
        {"sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true},
        {"sport/tennis/player1/#", "sport/tennis/player2", false},
        {"sport/#", "sport", true},
        {"sport/#", "sports", false},
        {"sport/tennis/+", "sport/tennis/player1", true},
        {"sport/tennis/+", "sport/tennis/player1/ranking", false},
        {"sport/+", "sport", false},
        {"sport/+", "sport/", true},
        {"+/+", "/finance", true},
        {"/+", "/finance", true},
        {"+", "/finance", false},
        {"+", "finance", true},
        {"#", "a/b/c", true},
        {"#", "/", true},
        {"a/b", "a/b", true},
        {"a/b", "a/b/", false},
        {"a/b", "a", false},
        {"a//b", "a//b", true},
        {"a/+/b", "a//b", true},
        {"#", "$SYS/broker", false},
        {"+/monitor/Clients", "$SYS/monitor/Clients", false},
        {"$SYS/#", "$SYS/broker", true},
        {"$SYS/monitor/+", "$SYS/monitor/Clients", true},
    };
    for(auto const& c : cases)
        EXPECT_EQ(mqtt::topic_matches(c.filter, c.name), c.matches) << c.filter << " ~ " << c.name;
}

} // namespace
