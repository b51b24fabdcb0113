// Tests of rtnotify/smartrest/response.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/smartrest/response.hpp>

#include <rtnotify/smartrest/decode.hpp>

#include <gtest/gtest.h>

namespace {

namespace sr = rtnotify::smartrest;

TEST(Response, GroupsRowsBy87Lines)
{
    // Reference vector 37, with advice and a batch mixed in.
    std::string const body = "86,,5000,0,retry\n88,4\n87,2,mytemplate1\n100,myvalue\n101,myvalue2\n"
                             "87,1,mytemplate3\n100,myvalue3\n200,1,x\n";
    auto doc = sr::decode(body).value();
    auto r = sr::parse_response(doc, "default").value();
    ASSERT_TRUE(r.advice);
    EXPECT_EQ(*r.advice, (sr::advice_line{5000, 0, sr::reconnect::retry}));
    ASSERT_TRUE(r.batch);
    EXPECT_EQ(r.batch->batch, 4u);
    ASSERT_EQ(r.groups.size(), 3u);
    EXPECT_EQ(r.groups[0].xid, "mytemplate1");
    ASSERT_EQ(r.groups[0].rows.size(), 2u);
    EXPECT_EQ(r.groups[0].rows[0].msg_id, 100u);
    EXPECT_EQ(r.groups[0].rows[1].msg_id, 101u);
    EXPECT_EQ(r.groups[1].xid, "mytemplate3");
    EXPECT_EQ(r.groups[1].rows.size(), 1u);
    EXPECT_EQ(r.groups[2].xid, "default") << "rows after the counted ones fall back to the request's X-Id";
    EXPECT_EQ(r.groups[2].rows[0].values, std::vector<std::string>{"x"});
}

TEST(Response, ShortGroupIsAnError)
{
    std::string const body = "100,1\n87,3,x\n100,1,a\n";
    auto doc = sr::decode(body).value();
    auto e = sr::parse_response(doc, "d").error();
    EXPECT_EQ(e.code, sr::error::short_group);
    EXPECT_EQ(e.line, 2u);
    EXPECT_EQ(e.offset, 6u);
}

TEST(Response, HandshakeReplyWithAdvice)
{
    auto doc = sr::decode("  Un1q31d3nt1f13r\n86,,,,retry").value();
    auto r = sr::parse_response(doc, "d").value();
    ASSERT_TRUE(r.client_id);
    EXPECT_EQ(r.client_id->client_id, "Un1q31d3nt1f13r");
    ASSERT_TRUE(r.advice);
    EXPECT_EQ(r.advice->policy, sr::reconnect::retry);
    EXPECT_TRUE(r.groups.empty());
}

TEST(Response, ErrorLinesAreCollected)
{
    auto doc = sr::decode("41,2,Bad pattern\n45,3,Wrong number of arguments").value();
    auto r = sr::parse_response(doc, "d").value();
    ASSERT_EQ(r.statuses.size(), 2u);
    EXPECT_EQ(r.statuses[0].code, 41u);
    EXPECT_EQ(r.statuses[1].line, 3u);
}

} // namespace
