// Tests of rtnotify/bayeux/encode.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/bayeux/encode.hpp>

#include <rtnotify/bayeux/decode.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <cmath>

namespace {

namespace bx = rtnotify::bayeux;
namespace json = boost::json;

TEST(Encode, SameJsonAsValueFrom)
{
    auto const body = R"([{"channel":"/meta/connect","successful":true,"advice":{"reconnect":"retry","interval":0,
        "timeout":30000,"x":{"y":1}},"id":"3","clientId":"abc"},
        {"channel":"/chat/a","data":{"text":"h\u00e9llo \"q\"\n","n":[1,2.5,null,true]},"id":42,"ext":{"e":{}}},
        {"channel":"/meta/subscribe","subscription":"/a/**","successful":false,"error":"403::denied"}])";
    auto const batch = bx::decode(body).value();
    auto const text = bx::encode(batch);
    json::array expected;
    for(auto const& m : batch)
        expected.push_back(json::value_from(m));
    EXPECT_EQ(json::parse(text), json::value(expected));
    EXPECT_EQ(json::parse(text), json::parse(body)) << "decode then encode keeps every field";
    EXPECT_EQ(bx::decode(text).value(), batch) << "decode(encode(x)) == x";
}

TEST(Encode, EmptyBatchAndEmptyAdvice)
{
    EXPECT_EQ(bx::encode(std::vector<bx::message>{}), "[]");
    bx::message m;
    m.channel = "/a";
    m.advice.emplace();
    EXPECT_EQ(bx::encode(std::vector<bx::message>{m}), R"([{"channel":"/a","advice":{}}])");
}

TEST(Encode, NonFiniteNumbersStayValidJson)
{
    // 2e9999 overflows to infinity when parsed; Boost.JSON alone would write `Infinity`
    auto const batch = bx::decode(R"([{"channel":"/a","data":{"big":2e9999,"list":[-2e9999,1.5]},
                                       "ext":{"x":2e9999},"advice":{"w":[2e9999]},"other":-2e9999}])").value();
    auto const text = bx::encode(batch);
    EXPECT_EQ(text, R"([{"channel":"/a","advice":{"w":[1e999]},"data":{"big":1e999,"list":[-1e999,1.5E0]},)"
                    R"("ext":{"x":1e999},"other":-1e999}])");
    EXPECT_EQ(bx::decode(text).value(), batch);

    bx::message m;
    m.channel = "/n";
    m.data = json::array{std::nan(""), 1};
    EXPECT_EQ(bx::encode(std::vector<bx::message>{m}), R"([{"channel":"/n","data":[null,1]}])");
}

TEST(Encode, WritesTheSameBytesAsBoostJsonsSerializer)
{
    // an ext of scalars is written directly: strings with and without escapes, every control byte,
    // UTF-8 and a stray byte, the integer limits; data (nested, with doubles) goes through the serializer
    std::string controls;
    for(char c = 0; c < 0x20; ++c)
        controls.push_back(c);
    json::object const scalars = {
        {"plain", "abc"},
        {"back\\slash", "C:\\dir\\"},
        {"quote \"and\\ back", "say \"hi\"\\"},
        {"controls", controls},
        {"utf8", "h\xc3\xa9llo \xe2\x82\xac \xff\x7f/"},
        {"ints", 0}, {"min", INT64_MIN}, {"max", INT64_MAX}, {"umax", UINT64_MAX}, {"neg", -1},
        {"t", true}, {"f", false}, {"n", nullptr}, {"", ""},
    };
    json::value const data = {
        {"doubles", json::array{0.0, -0.0, 1.5, 1e300, 5e-324, 0.1}},
        {"empty", json::array{json::object{}, json::array{}, ""}},
        {"nested", json::array{json::array{json::object{{"k", nullptr}, {"s", controls}}}}},
    };
    bx::message m;
    m.channel = "/a";
    m.id = json::value("i\"d");
    m.client_id = "c\\1";
    m.data = data;
    m.ext = scalars;
    EXPECT_EQ(bx::encode(m), R"({"channel":"/a","id":"i\"d","clientId":"c\\1","data":)" + json::serialize(data) +
                                 R"(,"ext":)" + json::serialize(scalars) + "}");
    m.ext = json::object{};
    EXPECT_EQ(bx::encode(m), R"({"channel":"/a","id":"i\"d","clientId":"c\\1","data":)" + json::serialize(data) +
                                 R"(,"ext":{}})");
}

} // namespace
