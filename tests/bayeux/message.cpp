// Tests of rtnotify/bayeux/message.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/bayeux/message.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

namespace {

namespace bx = rtnotify::bayeux;
namespace json = boost::json;

TEST(Message, EveryFieldConverts)
{
    auto const jv = json::parse(R"({
        "channel":"/meta/handshake","id":"7","clientId":"abc","version":"1.0","minimumVersion":"1.0",
        "supportedConnectionTypes":["long-polling","callback-polling"],"connectionType":"long-polling",
        "subscription":["/a","/b/*"],"successful":true,"error":"402:x:Unknown client",
        "advice":{"reconnect":"retry","interval":0,"timeout":30000,"maxInterval":10000,"multiple-clients":true,
                  "hosts":["h1"],"callback-polling":{"reconnect":"handshake"}},
        "data":{"k":[1,2]},"ext":{"com.acme.auth":{"token":"t"}},"timestamp":"2026-11-23T10:00:00.00",
        "authSuccessful":true,"unknownField":{"kept":1}})");
    auto m = json::try_value_to<bx::message>(jv);
    ASSERT_TRUE(m) << m.error().message();
    EXPECT_EQ(m->channel, "/meta/handshake");
    EXPECT_EQ(*m->id, "7");
    EXPECT_EQ(m->client_id, "abc");
    EXPECT_EQ(m->supported_connection_types->size(), 2u);
    EXPECT_EQ(m->connection_type, "long-polling");
    EXPECT_EQ(*m->subscription, (std::vector<std::string>{"/a", "/b/*"}));
    EXPECT_TRUE(m->subscription_is_array);
    EXPECT_EQ(m->successful, true);
    ASSERT_TRUE(m->advice);
    EXPECT_EQ(m->advice->policy(), bx::reconnect::retry);
    EXPECT_EQ(m->advice->timeout, 30000);
    EXPECT_EQ(m->advice->max_interval, 10000);
    EXPECT_EQ(m->advice->multiple_clients, true);
    EXPECT_EQ(m->advice->for_transport("callback-polling").policy(), bx::reconnect::handshake)
        << "per-transport advice wins";
    EXPECT_EQ(m->advice->for_transport("long-polling").policy(), bx::reconnect::retry);
    EXPECT_EQ(m->ext->at("com.acme.auth").at("token"), "t");
    EXPECT_EQ(m->timestamp, "2026-11-23T10:00:00.00");
    EXPECT_EQ(m->auth_successful, true);
    EXPECT_EQ(m->extra.at("unknownField").at("kept"), 1);
    // Round trip: the same JSON value comes back.
    EXPECT_EQ(json::value_from(*m), jv);
}

TEST(Message, SubscriptionFormAndNumericIdRoundTrip)
{
    for(auto text : {R"({"channel":"/meta/subscribe","subscription":"/a","id":5})",
                     R"({"channel":"/meta/subscribe","subscription":["/a"]})"})
    {
        auto const jv = json::parse(text);
        auto m = json::try_value_to<bx::message>(jv);
        ASSERT_TRUE(m);
        EXPECT_EQ(json::value_from(*m), jv) << text;
    }
}

TEST(Message, WrongTypesAreRefused)
{
    for(auto text : {R"({"channel":1})", R"({"channel":"/a","clientId":1})", R"({"channel":"/a","successful":"yes"})",
                     R"({"channel":"/a","subscription":[1]})", R"({"channel":"/a","advice":[]})",
                     R"({"channel":"/a","advice":{"timeout":"x"}})", R"({"channel":"/a","ext":1})",
                     R"({"channel":"/a","id":{}})", R"({"channel":"/a","supportedConnectionTypes":"long-polling"})"})
        EXPECT_EQ(json::try_value_to<bx::message>(json::parse(text)).error(), bx::error::wrong_type) << text;
    EXPECT_EQ(json::try_value_to<bx::message>(json::parse(R"({"data":1})")).error(), bx::error::missing_channel);
    EXPECT_EQ(json::try_value_to<bx::message>(json::parse("[]")).error(), bx::error::not_object);
}

} // namespace
