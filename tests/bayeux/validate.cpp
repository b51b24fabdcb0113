// Tests of rtnotify/bayeux/validate.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/bayeux/validate.hpp>

#include <rtnotify/bayeux/decode.hpp>

#include <gtest/gtest.h>

namespace {

namespace bx = rtnotify::bayeux;

bx::message msg(std::string_view json)
{
    return bx::decode(json).value().at(0);
}

std::string req_error(std::string_view json, bool non_strict = false)
{
    auto e = bx::validate_request(msg(json), non_strict);
    return e ? e->to_string() : "ok";
}

TEST(Validate, Requests)
{
    EXPECT_EQ(req_error(R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]})"), "ok");
    EXPECT_EQ(req_error(R"({"channel":"/meta/handshake","supportedConnectionTypes":["long-polling"]})"),
              "402:version:Missing required parameter");
    EXPECT_EQ(req_error(R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":[]})"),
              "402:supportedConnectionTypes:Missing required parameter");
    EXPECT_EQ(req_error(R"({"channel":"/meta/connect","clientId":"c"})"),
              "402:connectionType:Missing required parameter");
    EXPECT_EQ(req_error(R"({"channel":"/meta/connect","connectionType":"long-polling"})"),
              "402:clientId:Missing required parameter");
    EXPECT_EQ(req_error(R"({"channel":"/meta/disconnect","clientId":"c"})"), "ok");
    EXPECT_EQ(req_error(R"({"channel":"/meta/subscribe","clientId":"c","subscription":["/a","/b/**"]})"), "ok");
    EXPECT_EQ(req_error(R"({"channel":"/meta/subscribe","clientId":"c"})"),
              "402:subscription:Missing required parameter");
    EXPECT_EQ(req_error(R"({"channel":"/meta/unsubscribe","clientId":"c","subscription":["/a","/b/**/c"]})"),
              "405:/b/**/c:Invalid channel");
    EXPECT_EQ(req_error(R"({"channel":"/meta/subscribe","clientId":"c","subscription":"/a b"})"),
              "405:/a b:Invalid channel");
    EXPECT_EQ(req_error(R"({"channel":"/meta/subscribe","clientId":"c","subscription":"/a b"})", true), "ok")
        << "CometD's wider grammar when asked for";
    EXPECT_EQ(req_error(R"({"channel":"/meta/foo","clientId":"c"})"), "403:/meta/foo:Forbidden channel");
    EXPECT_EQ(req_error(R"({"channel":"/chat/a","data":{}})"), "ok");
    EXPECT_EQ(req_error(R"({"channel":"/chat/a"})"), "402:data:Missing required parameter");
    EXPECT_EQ(req_error(R"({"channel":"/chat/*","data":1})"), "405:/chat/*:Invalid channel");
    EXPECT_EQ(req_error(R"({"channel":"chat","data":1})"), "405:chat:Invalid channel");
}

TEST(Validate, Replies)
{
    EXPECT_EQ(bx::validate_reply(msg(R"({"channel":"/meta/handshake","successful":true,"version":"1.0",
        "supportedConnectionTypes":["long-polling"],"clientId":"c"})")), std::nullopt);
    EXPECT_EQ(bx::validate_reply(msg(R"({"channel":"/meta/handshake","successful":true,"version":"1.0",
        "supportedConnectionTypes":["long-polling"]})")), "clientId");
    EXPECT_EQ(bx::validate_reply(msg(R"({"channel":"/meta/handshake","successful":false})")), "error");
    EXPECT_EQ(bx::validate_reply(msg(R"({"channel":"/meta/connect"})")), "successful");
    EXPECT_EQ(bx::validate_reply(msg(R"({"channel":"/meta/subscribe","successful":true})")), "subscription");
    EXPECT_EQ(bx::validate_reply(msg(R"({"channel":"/chat/a","data":1})")), std::nullopt) << "a delivery";
    EXPECT_EQ(bx::validate_reply(msg(R"({"channel":"/chat/a"})")), "data");
    EXPECT_EQ(bx::validate_reply(msg(R"({"channel":"/chat/a","successful":true})")), std::nullopt) << "publish ack";
}

TEST(Validate, KindOf)
{
    EXPECT_EQ(bx::kind_of("/meta/connect"), bx::message_kind::connect);
    EXPECT_EQ(bx::kind_of("/meta/x"), bx::message_kind::unknown_meta);
    EXPECT_EQ(bx::kind_of("/service/echo"), bx::message_kind::publish);
    EXPECT_EQ(bx::kind_of("/metadata"), bx::message_kind::publish);
}

} // namespace
