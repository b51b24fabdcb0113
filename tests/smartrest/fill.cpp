// Tests of rtnotify/smartrest/fill.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/smartrest/fill.hpp>

#include <rtnotify/smartrest/decode.hpp>

#include <gtest/gtest.h>

namespace {

namespace sr = rtnotify::smartrest;

struct fixture
{
    std::string tbody, lbody;
    sr::document tdoc, ldoc;

    boost::system::result<sr::filled_request, sr::template_error> fill(std::string t, std::string l)
    {
        tbody = std::move(t);
        lbody = std::move(l);
        tdoc = sr::decode(tbody).value();
        ldoc = sr::decode(lbody).value();
        auto tpl = sr::parse_request_template(tdoc[0]).value();
        return sr::fill_request(tpl, ldoc[0], "2026-11-23T10:00:00.000Z");
    }
};

TEST(Fill, SubstitutesUriThenBody)
{
    fixture f;
    auto r = f.fill("10,102,PUT,/devicecontrol/operations/%%,application/json,application/json,%%,UNSIGNED STRING NOW,"
                    "\"{\"\"status\"\":\"\"%%\"\",\"\"time\"\":\"\"%%\"\"}\"",
                    "102,42,\"SUCC\"\"ESS\\\"");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->method, "PUT");
    EXPECT_EQ(r->uri, "/devicecontrol/operations/42");
    EXPECT_EQ(r->body, "{\"status\":\"SUCC\\\"ESS\\\\\",\"time\":\"2026-11-23T10:00:00.000Z\"}");
    EXPECT_EQ(r->content_type, "application/json");
}

TEST(Fill, PercentEncodesUriValues)
{
    fixture f;
    auto r = f.fill("10,100,GET,/identity/externalIds/c8y_Serial/%%,,application/json,%%,STRING,", "100,a b/c");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->uri, "/identity/externalIds/c8y_Serial/a%20b%2Fc");
}

TEST(Fill, TypedChecksGive45Texts)
{
    fixture f;
    std::string const tpl = "10,100,GET,/x/%%/%%/%%/%%,,,%%,UNSIGNED INTEGER NUMBER DATE,";
    EXPECT_TRUE(f.fill(tpl, "100,1,-2,3.5e2,2026-11-23"));
    EXPECT_TRUE(f.fill(tpl, "100,1,+2,-0.5,2026-11-23T10:00:00+01:00"));
    EXPECT_EQ(f.fill(tpl, "100,-1,2,3,2026-11-23").error().message, "Value is not a UNSIGNED: -1");
    EXPECT_EQ(f.fill(tpl, "100,1,2.0,3,2026-11-23").error().message, "Value is not a INTEGER: 2.0");
    EXPECT_EQ(f.fill(tpl, "100,1,2,abc,2026-11-23").error().message, "Value is not a NUMBER: abc");
    EXPECT_EQ(f.fill(tpl, "100,1,2,nan,2026-11-23").error().message, "Value is not a NUMBER: nan");
    auto e = f.fill(tpl, "100,1,2,3,23.11.2026").error();
    EXPECT_EQ(e.message, "Value is not a DATE: 23.11.2026");
    EXPECT_EQ(e.field, 5u);
    EXPECT_EQ(e.code, sr::error::bad_argument);
    EXPECT_EQ(f.fill(tpl, "100,1,2,3").error().message, "Wrong number of arguments");
    EXPECT_EQ(f.fill("10,100,GET,/x/%%,,,%%,STRING,", "100,").error().message, "Value is not a STRING: ");
    EXPECT_EQ(f.fill("10,100,GET,/x,,,,,", "100,extra").error().message, "No arguments supported");
}

} // namespace
