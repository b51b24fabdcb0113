// Tests of rtnotify/socketio/engineio_payload.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/socketio/engineio_payload.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

namespace sio = rtnotify::socketio;

std::vector<std::string> texts_of(std::string_view body, sio::eio_version v)
{
    auto packets = sio::decode_engineio_payload(body, v).value();
    std::vector<std::string> out;
    for(auto const& p : packets)
        out.push_back(sio::encode_engineio_packet(p.type, p.data));
    return out;
}

TEST(EngineioPayload, Version4SeparatesPacketsWithRecordSeparators)
{
    EXPECT_EQ(texts_of("40", sio::eio_version::v4), (std::vector<std::string>{"40"}));
    EXPECT_EQ(texts_of("3\x1e" "42[\"kuzzle\",{\"a\":1}]\x1e" "1", sio::eio_version::v4),
              (std::vector<std::string>{"3", "42[\"kuzzle\",{\"a\":1}]", "1"}));
}

TEST(EngineioPayload, Version3PrefixesEachPacketWithItsLengthInUtf16Units)
{
    // "é" is one UTF-16 unit in two bytes, "😀" two units in four bytes: the prefix counts units
    EXPECT_EQ(texts_of("2:40", sio::eio_version::v3), (std::vector<std::string>{"40"}));
    auto const packets = texts_of("1:24:4\"é\"5:4\"😀\"", sio::eio_version::v3);
    EXPECT_EQ(packets, (std::vector<std::string>{"2", "4\"é\"", "4\"😀\""}));
}

TEST(EngineioPayload, EncodeThenDecodeGivesThePacketsBack)
{
    std::vector<std::string> const packets{"0{\"sid\":\"abc\"}", "40", "42[\"ü\",\"😀\"]", "2"};
    for(auto v : {sio::eio_version::v3, sio::eio_version::v4})
        EXPECT_EQ(texts_of(sio::encode_engineio_payload(packets, v), v), packets);
    EXPECT_EQ(sio::encode_engineio_payload(packets, sio::eio_version::v3),
              "14:0{\"sid\":\"abc\"}2:4012:42[\"ü\",\"😀\"]1:2");
}

TEST(EngineioPayload, MalformedPayloadsAreRefusedAtTheByteAtFault)
{
    auto const error = [](std::string_view body, sio::eio_version v) {
        return sio::decode_engineio_payload(body, v).error();
    };
    using sio::diagnostic;
    using sio::error;
    auto const v3 = sio::eio_version::v3, v4 = sio::eio_version::v4;
    EXPECT_EQ(error("", v4), (diagnostic{error::empty_packet, 0}));
    EXPECT_EQ(error("2\x1e\x1e" "3", v4), (diagnostic{error::empty_packet, 2}));
    EXPECT_EQ(error("2\x1e" "9", v4), (diagnostic{error::bad_packet_type, 2}));
    EXPECT_EQ(error("2\x1e" "bAQID", v4), (diagnostic{error::binary_unsupported, 2}));
    EXPECT_EQ(error("", v3), (diagnostic{error::bad_length_prefix, 0}));
    EXPECT_EQ(error("2", v3), (diagnostic{error::bad_length_prefix, 1}));
    EXPECT_EQ(error("x:2", v3), (diagnostic{error::bad_length_prefix, 0}));
    EXPECT_EQ(error("1:22:4", v3), (diagnostic{error::bad_length_prefix, 3}));  // runs past the end
    EXPECT_EQ(error("1:2:", v3), (diagnostic{error::bad_length_prefix, 3}));    // no digits
    EXPECT_EQ(error("0:", v3), (diagnostic{error::empty_packet, 2}));
    EXPECT_EQ(error("3:4\xff" "a", v3), (diagnostic{error::bad_utf8, 3}));
    EXPECT_EQ(error("2:4\xf0\x9f\x98\x80", v3), (diagnostic{error::bad_length_prefix, 0})); // ends inside a pair
    EXPECT_EQ(error("1234567890:4", v3), (diagnostic{error::bad_length_prefix, 0}));
    EXPECT_EQ(error(std::string("\0" "2\xff" "40", 5), v3), (diagnostic{error::binary_unsupported, 0}));
}

TEST(EngineioPayload, LimitsBoundBytesAndPackets)
{
    sio::decode_options o;
    o.max_payload_bytes = 9;
    o.max_packets_per_payload = 2;
    auto const v4 = sio::eio_version::v4;
    EXPECT_EQ(sio::decode_engineio_payload("4abcdefghi", v4, o).error(), (sio::diagnostic{sio::error::payload_too_large, 9}));
    EXPECT_EQ(sio::decode_engineio_payload("2\x1e" "2\x1e" "2", v4, o).error(),
              (sio::diagnostic{sio::error::too_many_packets, 4}));
    EXPECT_EQ(sio::decode_engineio_payload("1:21:21:2", sio::eio_version::v3, o).error(),
              (sio::diagnostic{sio::error::too_many_packets, 8}));
    EXPECT_EQ(sio::decode_engineio_payload("2\x1e" "2", v4, o)->size(), 2u);
}

} // namespace
