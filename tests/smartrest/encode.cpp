// Tests of rtnotify/smartrest/encode.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/smartrest/encode.hpp>

#include <rtnotify/smartrest/decode.hpp>

#include "records.hpp"

#include <gtest/gtest.h>

#include <random>

namespace {

namespace sr = rtnotify::smartrest;
using rtnotify_test::rows;

std::string encode_rows(rows const& in)
{
    std::string out;
    for(auto const& r : in)
    {
        std::vector<std::string_view> v(r.begin(), r.end());
        sr::encode_record(out, v);
    }
    return out;
}

TEST(Encode, QuotesExactlyWhenNeeded)
{
    EXPECT_EQ(encode_rows({{"100", "Hello world!"}}), "100,Hello world!\n");
    EXPECT_EQ(encode_rows({{"101", " lead"}}), "101,\" lead\"\n");
    EXPECT_EQ(encode_rows({{"102", "trail\t"}}), "102,\"trail\t\"\n");
    EXPECT_EQ(encode_rows({{"103", "line\nbreak"}}), "103,\"line\nbreak\"\n");
    EXPECT_EQ(encode_rows({{"104", "I have \"quotes\"!"}}), "104,\"I have \"\"quotes\"\"!\"\n");
    EXPECT_EQ(encode_rows({{"105", "I also have 'quotes'!"}}), "105,I also have 'quotes'!\n");
    EXPECT_EQ(encode_rows({{"106", "a,b"}, {"107", "cr\r"}}), "106,\"a,b\"\n107,\"cr\r\"\n");
    EXPECT_EQ(encode_rows({{"108", "in\tside"}}), "108,\"in\tside\"\n");
}

TEST(Encode, ListValuesStaySeparateFields)
{
    // Reference vector 49: quoting is per field, never per joined string.
    EXPECT_EQ(encode_rows({{"503", "c8y_RelayArray", "CLOSED", "OPEN"}}), "503,c8y_RelayArray,CLOSED,OPEN\n");
    std::string out;
    sr::encode_record(out, {"86", "", "5000", "retry"});
    EXPECT_EQ(out, "86,,5000,retry\n");
}

TEST(Encode, LoneEmptyFieldAndBomSurviveDecoding)
{
    EXPECT_EQ(encode_rows({{""}}), "\"\"\n");
    EXPECT_EQ(encode_rows({{"\xEF\xBB\xBF" "80"}}), "\"\xEF\xBB\xBF" "80\"\n");
}

TEST(Encode, RoundTripsRandomRecords)
{
    std::mt19937 rng(12345);
    std::string const alphabet = std::string("ab ,\"\r\n\t'\xEF\xBB\xBF\xC3\xA9", 15) + std::string(1, '\0');
    for(int iter = 0; iter < 3000; ++iter)
    {
        rows in(1 + rng() % 4);
        for(auto& r : in)
        {
            r.resize(1 + rng() % 4);
            for(auto& f : r)
                for(auto n = rng() % 6; n--;)
                    f.push_back(alphabet[rng() % alphabet.size()]);
        }
        auto const body = encode_rows(in);
        auto r = sr::decode(body);
        ASSERT_TRUE(r) << ::testing::PrintToString(body) << ": " << r.error().to_string();
        ASSERT_EQ(rtnotify_test::to_rows(*r), in) << ::testing::PrintToString(body);
    }
}

} // namespace
