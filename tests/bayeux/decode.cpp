// Tests of rtnotify/bayeux/decode.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/bayeux/decode.hpp>
#include <rtnotify/bayeux/encode.hpp>

#include <gtest/gtest.h>

namespace {

namespace bx = rtnotify::bayeux;

TEST(Decode, SpecExamples)
{
    // The handshake request and reply, a connect, a publish, and a bare object (MAY).
    auto r = bx::decode(R"([{"channel":"/meta/handshake","version":"1.0","minimumVersion":"1.0beta",
        "supportedConnectionTypes":["long-polling","callback-polling","iframe"]}])");
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(r->at(0).version, "1.0");
    r = bx::decode(R"([{"channel":"/meta/handshake","version":"1.0","minimumVersion":"1.0beta",
        "supportedConnectionTypes":["long-polling","callback-polling"],"clientId":"Un1q31d3nt1f13r",
        "successful":true,"authSuccessful":true,"advice":{"reconnect":"retry"}}])");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->at(0).client_id, "Un1q31d3nt1f13r");
    r = bx::decode(R"([{"channel":"/meta/connect","clientId":"Un1q31d3nt1f13r","connectionType":"long-polling"},
        {"channel":"/some/channel","clientId":"Un1q31d3nt1f13r","data":"some application string or JSON encoded object","id":"some unique message id"}])");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->size(), 2u);
    EXPECT_EQ(*r->at(1).data, "some application string or JSON encoded object");
    r = bx::decode(R"({"channel":"/meta/disconnect","clientId":"Un1q31d3nt1f13r"})");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->size(), 1u);
    EXPECT_TRUE(bx::decode("[]").value().empty());
}

struct bad_case
{
    char const* name;
    std::string body;
    rtnotify::error_code code;
    std::optional<std::size_t> index;
    std::string field;
};

class InvalidBodies : public ::testing::TestWithParam<bad_case>
{
};

TEST_P(InvalidBodies, PreciseError)
{
    auto const& c = GetParam();
    bx::decode_options opts;
    opts.max_body_size = 4096;
    opts.max_messages = 3;
    opts.max_depth = 8;
    opts.max_string_length = 64;
    auto r = bx::decode(c.body, opts);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().to_string();
    EXPECT_EQ(r.error().index, c.index) << c.name;
    EXPECT_EQ(r.error().path, c.field) << c.name;
}

std::string nested(int depth)
{
    return "[{\"channel\":\"/a\",\"data\":" + std::string(depth, '[') + std::string(depth, ']') + "}]";
}

INSTANTIATE_TEST_SUITE_P(
    Bayeux, InvalidBodies,
    ::testing::Values(
        bad_case{"malformed", "[{\"channel\":", bx::error::not_json, {}, ""},
        bad_case{"garbage", "hello", bx::error::not_json, {}, ""},
        bad_case{"empty_body", "", bx::error::not_json, {}, ""},
        bad_case{"primitive", "42", bx::error::not_object, {}, ""},
        bad_case{"string", "\"x\"", bx::error::not_object, {}, ""},
        bad_case{"array_of_primitive", "[{\"channel\":\"/a\"},1]", bx::error::not_object, 1, ""},
        bad_case{"missing_channel", "[{\"data\":{}}]", bx::error::missing_channel, 0, "channel"},
        bad_case{"channel_not_string", "[{\"channel\":[]}]", bx::error::wrong_type, 0, "channel"},
        bad_case{"client_id_number", "[{\"channel\":\"/a\"},{\"channel\":\"/b\",\"clientId\":1}]",
                 bx::error::wrong_type, 1, "clientId"},
        bad_case{"advice_timeout_string", "[{\"channel\":\"/a\",\"advice\":{\"timeout\":\"5\"}}]",
                 bx::error::wrong_type, 0, "advice.timeout"},
        bad_case{"deep_nesting", nested(20), bx::error::too_deep, {}, ""},
        bad_case{"huge_string", "[{\"channel\":\"/a\",\"data\":\"" + std::string(100, 'x') + "\"}]",
                 bx::error::string_too_long, {}, ""},
        bad_case{"huge_key", "[{\"channel\":\"/a\",\"" + std::string(100, 'k') + "\":1}]", bx::error::string_too_long,
                 {}, ""},
        bad_case{"too_many_messages", "[{\"channel\":\"/a\"},{\"channel\":\"/a\"},{\"channel\":\"/a\"},{\"channel\":\"/a\"}]",
                 bx::error::too_many_messages, {}, ""},
        bad_case{"body_too_large", "[" + std::string(5000, ' ') + "]", bx::error::body_too_large, {}, ""}),
    [](auto const& param_info) { return std::string(param_info.param.name); });

TEST(Decode, ErrorTextNamesIndexAndField)
{
    auto r = bx::decode(R"([{"channel":"/a"},{"channel":"/b","clientId":3}])");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().to_string(), "message 1, field clientId: field has the wrong type");
    r = bx::decode("[{");
    EXPECT_EQ(r.error().offset, 2u);
    EXPECT_EQ(r.error().json_code, boost::json::error::incomplete);
    EXPECT_EQ(r.error().to_string(), "byte 2: body is not JSON (incomplete JSON)");
    EXPECT_EQ(r.error().code, rtnotify::condition::parse_error);
}

TEST(Decode, ZeroWithHugeExponentIsZero)
{
    // Boost.JSON 1.81 parses 0e400 as NaN; the decoder gives back the zero the text means.
    auto const r = bx::decode(R"([{"channel":"/a","data":{"z":0e400},"advice":{"timeout":0e9999}}])");
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)[0].data->at("z"), 0.0);
    ASSERT_TRUE((*r)[0].advice && (*r)[0].advice->timeout);
    EXPECT_EQ(*(*r)[0].advice->timeout, 0);
    EXPECT_EQ(bx::encode(*r), R"([{"channel":"/a","advice":{"timeout":0},"data":{"z":0E0}}])");
}

} // namespace
