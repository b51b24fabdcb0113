// Tests of rtnotify/socketio/packet.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/socketio/packet.hpp>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <string>

namespace {

namespace sio = rtnotify::socketio;
namespace json = boost::json;

TEST(SocketioPacket, TheFieldsOfEachPartOfThePacket)
{
    auto p = sio::decode_packet("2[\"kuzzle\",{\"controller\":\"server\"}]").value();
    EXPECT_EQ(p.type, sio::packet_type::event);
    EXPECT_EQ(p.nsp, "/");
    EXPECT_FALSE(p.id);
    EXPECT_EQ(p.data, json::parse(R"(["kuzzle",{"controller":"server"}])"));

    p = sio::decode_packet("2/admin,13[\"x\"]").value();
    EXPECT_EQ(p.nsp, "/admin");
    EXPECT_EQ(p.id, 13u);
    EXPECT_EQ(p.data, json::parse(R"(["x"])"));

    p = sio::decode_packet("0").value();
    EXPECT_EQ(p.type, sio::packet_type::connect);
    EXPECT_TRUE(p.data.is_null());
    p = sio::decode_packet("0{\"token\":\"t\"}").value();
    EXPECT_EQ(p.data, json::parse(R"({"token":"t"})"));
    p = sio::decode_packet("0/chat").value(); // a namespace without a comma ends the packet
    EXPECT_EQ(p.nsp, "/chat");
    p = sio::decode_packet("31[]").value();
    EXPECT_EQ(p.type, sio::packet_type::ack);
    EXPECT_EQ(p.id, 1u);
    p = sio::decode_packet("4\"Invalid namespace\"").value();
    EXPECT_EQ(p.type, sio::packet_type::connect_error);
    EXPECT_EQ(p.data, "Invalid namespace");
    EXPECT_EQ(sio::decode_packet("1").value().type, sio::packet_type::disconnect);
}

TEST(SocketioPacket, EachMalformedPacketHasItsErrorAndByte)
{
    struct refusal
    {
        std::string text;
        sio::error code;
        std::size_t offset;
    };
    refusal const cases[] = {
        {"", sio::error::empty_packet, 0},
        {"7[]", sio::error::bad_packet_type, 0},
        {"x", sio::error::bad_packet_type, 0},
        {"51-[\"a\",{\"_placeholder\":true,\"num\":0}]", sio::error::binary_unsupported, 0},
        {"6", sio::error::binary_unsupported, 0},
        {"2[\"a\"", sio::error::bad_json, 1},
        {"3[880000000E000000115528783]", sio::error::bad_json, 1}, // infinity, which no JSON text says
        {"2/x,[\"a\"}", sio::error::bad_json, 4},
        {"21234567890123456[\"a\"]", sio::error::bad_ack_id, 1},
        {"2{}", sio::error::bad_data, 1},
        {"2[]", sio::error::bad_data, 1},
        {"2[1]", sio::error::bad_data, 1},
        {"2", sio::error::bad_data, 1},
        {"3{}", sio::error::bad_data, 1},
        {"0[]", sio::error::bad_data, 1},
        {"1{}", sio::error::bad_data, 1},
        {"4\r4444", sio::error::bad_data, 1}, // would encode as "44444": ack id 4444, no data
        {"2" + std::string(40, '[') + std::string(40, ']'), sio::error::json_too_deep, 1},
        {"0/" + std::string(300, 'n') + ",", sio::error::namespace_too_long, 1},
    };
    for(auto const& c : cases)
    {
        auto const r = sio::decode_packet(c.text);
        ASSERT_FALSE(r) << c.text;
        EXPECT_EQ(r.error(), (sio::diagnostic{c.code, c.offset})) << c.text;
    }
    EXPECT_EQ(sio::decode_packet("2[\"a\"").error().to_string(), "data is not JSON at byte 1");
}

TEST(SocketioPacket, EncodingRoundTrips)
{
    for(std::string text : {"0", "0{\"sid\":\"abc\"}", "1", "2[\"a\",1,{\"b\":null}]", "2/admin,7[\"x\"]", "312[true]",
                            "4{\"message\":\"Invalid namespace\"}", "4/a,\"Invalid namespace\""})
        EXPECT_EQ(sio::encode_packet(sio::decode_packet(text).value()), text);
}

TEST(SocketioPacket, AnEventIsBuiltAroundItsJsonTextAndItsNameIsEscaped)
{
    auto const text = sio::encode_event("a\"b-1", R"({"requestId":"r"})");
    EXPECT_EQ(text, R"(2["a\"b-1",{"requestId":"r"}])");
    auto const p = sio::decode_packet(text).value();
    EXPECT_EQ(p.data, json::parse(R"(["a\"b-1",{"requestId":"r"}])"));
}

} // namespace
