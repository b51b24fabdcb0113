// Tests of rtnotify/socketio/engineio_packet.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/socketio/engineio_packet.hpp>

#include <gtest/gtest.h>

namespace {

namespace sio = rtnotify::socketio;

TEST(EngineioPacket, ATypeDigitThenData)
{
    auto p = sio::decode_engineio_packet("42[\"kuzzle\",{}]");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->type, sio::engineio_type::message);
    EXPECT_EQ(p->data, "2[\"kuzzle\",{}]");
    p = sio::decode_engineio_packet("2probe");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->type, sio::engineio_type::ping);
    EXPECT_EQ(p->data, "probe");
    p = sio::decode_engineio_packet("6");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->type, sio::engineio_type::noop);
    EXPECT_EQ(p->data, "");
}

TEST(EngineioPacket, EmptyUnknownAndBinaryPacketsAreRefusedAtTheirOffset)
{
    EXPECT_EQ(sio::decode_engineio_packet("", 7).error(), (sio::diagnostic{sio::error::empty_packet, 7}));
    EXPECT_EQ(sio::decode_engineio_packet("7x", 3).error(), (sio::diagnostic{sio::error::bad_packet_type, 3}));
    EXPECT_EQ(sio::decode_engineio_packet("{}").error(), (sio::diagnostic{sio::error::bad_packet_type, 0}));
    EXPECT_EQ(sio::decode_engineio_packet("bAQID").error(), (sio::diagnostic{sio::error::binary_unsupported, 0}));
    EXPECT_EQ(sio::decode_engineio_packet("bAQID").error().code, rtnotify::condition::unsupported);
}

TEST(EngineioPacket, EncodingIsTheTypeDigitAndTheData)
{
    EXPECT_EQ(sio::encode_engineio_packet(sio::engineio_type::pong, "probe"), "3probe");
    EXPECT_EQ(sio::encode_engineio_packet(sio::engineio_type::close), "1");
    for(auto text : {"0{\"sid\":\"x\"}", "1", "2", "3probe", "4hello", "5", "6"})
    {
        auto p = sio::decode_engineio_packet(text);
        ASSERT_TRUE(p) << text;
        EXPECT_EQ(sio::encode_engineio_packet(p->type, p->data), text);
    }
}

} // namespace
