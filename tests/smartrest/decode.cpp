// Tests of rtnotify/smartrest/decode.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/smartrest/decode.hpp>

#include "records.hpp"
#include "vectors.hpp"

#include <gtest/gtest.h>

namespace {

namespace sr = rtnotify::smartrest;
using rtnotify_test::rows;
using rtnotify_test::to_rows;

rows decode_rows(std::string_view body, bool lenient = false)
{
    sr::decode_options opts;
    opts.lenient = lenient;
    auto r = sr::decode(body, opts);
    EXPECT_TRUE(r) << (r ? "" : r.error().to_string());
    return r ? to_rows(*r) : rows{};
}

sr::diagnostic decode_error(std::string_view body, sr::decode_options opts = {})
{
    auto r = sr::decode(body, opts);
    EXPECT_FALSE(r);
    return r ? sr::diagnostic{} : r.error();
}

class ReferenceVectors : public ::testing::TestWithParam<rtnotify_test::vector_case>
{
};

TEST_P(ReferenceVectors, DecodeAsSpecified)
{
    auto const& c = GetParam();
    EXPECT_EQ(decode_rows(c.input), c.expected);
    EXPECT_EQ(decode_rows(c.input, true), c.expected) << "lenient mode must agree on valid input";
}

INSTANTIATE_TEST_SUITE_P(SmartRest, ReferenceVectors, ::testing::ValuesIn(rtnotify_test::reference_vectors()),
                         [](auto const& param_info) { return std::string(param_info.param.name); });

TEST(Decode, ViewsPointIntoInputUnlessUnescaped)
{
    std::string const body = "a,\"b\",\"c\"\"d\"";
    auto r = sr::decode(body);
    ASSERT_TRUE(r);
    auto rec = (*r)[0];
    auto inside = [&](std::string_view v) { return v.data() >= body.data() && v.data() < body.data() + body.size(); };
    EXPECT_TRUE(inside(rec[0]));
    EXPECT_TRUE(inside(rec[1]));
    EXPECT_FALSE(inside(rec[2])); // needed its own storage
    EXPECT_EQ(rec[2], "c\"d");
}

TEST(Decode, RecordsKnowOffsetAndLine)
{
    auto r = sr::decode("\n1,\"x\ny\"\n\n2\r\n3");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 3u);
    EXPECT_EQ((*r)[0].offset, 1u);
    EXPECT_EQ((*r)[0].line, 2u);
    EXPECT_EQ((*r)[1].offset, 10u);
    EXPECT_EQ((*r)[1].line, 5u);
    EXPECT_EQ((*r)[2].offset, 13u);
    EXPECT_EQ((*r)[2].line, 6u);
}

TEST(Decode, UnterminatedQuotePointsAtOpeningQuote)
{
    auto d = decode_error("x,\"unterminated");
    EXPECT_EQ(d.code, sr::error::unterminated_quote);
    EXPECT_EQ(d.code, rtnotify::condition::parse_error);
    EXPECT_EQ(d.offset, 2u);
    EXPECT_EQ(d.line, 1u);
    EXPECT_EQ(d.field, 2u);

    d = decode_error("1\n2,3,\"a\nb");
    EXPECT_EQ(d.code, sr::error::unterminated_quote);
    EXPECT_EQ(d.offset, 6u);
    EXPECT_EQ(d.line, 2u);
    EXPECT_EQ(d.field, 3u);
    EXPECT_EQ(d.to_string(), "unterminated quoted field at line 2, field 3 (byte 6)");
}

TEST(Decode, StrictRejectsBareQuote)
{
    auto d = decode_error("ab\"c,d");
    EXPECT_EQ(d.code, sr::error::quote_in_unquoted_field);
    EXPECT_EQ(d.offset, 2u);
    EXPECT_EQ(d.field, 1u);
    EXPECT_EQ(decode_rows("ab\"c,d", true), (rows{{"ab\"c", "d"}}));
}

TEST(Decode, StrictRejectsTextAfterClosingQuote)
{
    auto d = decode_error("1\nok,\"abc\"xyz,def");
    EXPECT_EQ(d.code, sr::error::text_after_closing_quote);
    EXPECT_EQ(d.offset, 10u);
    EXPECT_EQ(d.line, 2u);
    EXPECT_EQ(d.field, 2u);
    EXPECT_EQ(decode_rows("\"abc\"xyz,def", true), (rows{{"abcxyz", "def"}}));
    EXPECT_EQ(decode_rows("\"a\" x \" ,b", true), (rows{{"a x \"", "b"}}));
}

TEST(Decode, FieldLimit)
{
    sr::decode_options opts;
    opts.max_fields = 3;
    EXPECT_TRUE(sr::decode("a,b,c\nd,e,f", opts));
    auto d = decode_error("a,b,c\nd,e,f,g", opts);
    EXPECT_EQ(d.code, sr::error::too_many_fields);
    EXPECT_EQ(d.code, rtnotify::condition::limit_exceeded);
    EXPECT_EQ(d.line, 2u);
    EXPECT_EQ(d.field, 4u);
    EXPECT_EQ(d.offset, 12u);
}

TEST(Decode, RecordSizeLimit)
{
    sr::decode_options opts;
    opts.max_record_size = 8;
    EXPECT_TRUE(sr::decode("12345678\n1", opts));
    auto d = decode_error("1\n123456789\n", opts);
    EXPECT_EQ(d.code, sr::error::record_too_large);
    EXPECT_EQ(d.offset, 2u);
    EXPECT_EQ(d.line, 2u);
}

TEST(Decode, RecordCountLimit)
{
    sr::decode_options opts;
    opts.max_records = 3;
    EXPECT_TRUE(sr::decode("1\n2\n\n3\n", opts)); // blank lines make no record
    auto d = decode_error("1\n2\n3\n4\n5\n", opts);
    EXPECT_EQ(d.code, sr::error::too_many_records);
    EXPECT_EQ(d.code, rtnotify::condition::limit_exceeded);
    EXPECT_EQ(d.line, 4u);
    EXPECT_EQ(d.offset, 6u);
    EXPECT_EQ(sr::decode_options{}.max_records, 1000u);
    std::string many;
    for(int i = 0; i < 1001; ++i)
        many += "80\n";
    EXPECT_EQ(decode_error(many, {}).code, sr::error::too_many_records);
}

TEST(Decode, ALeadingBomIsSkippedUnlessTheOptionsSayTheBodyIsCutFromAnother)
{
    std::string_view const body = "\xEF\xBB\xBF" "80\n";
    EXPECT_EQ(sr::decode(body).value()[0][0], "80");
    sr::decode_options opts;
    opts.skip_bom = false;
    EXPECT_EQ(sr::decode(body, opts).value()[0][0], "\xEF\xBB\xBF" "80");
}

TEST(Decode, ValueThrowsSystemErrorWithPosition)
{
    auto r = sr::decode("\"open");
    try
    {
        (void)r.value();
        FAIL() << "value() must throw";
    }
    catch(boost::system::system_error const& e)
    {
        EXPECT_EQ(e.code(), sr::error::unterminated_quote);
        EXPECT_NE(std::string(e.what()).find("line 1, field 1 (byte 0)"), std::string::npos) << e.what();
    }
}

} // namespace
