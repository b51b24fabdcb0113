// Tests of rtnotify/smartrest/template.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/smartrest/template.hpp>

#include <rtnotify/smartrest/decode.hpp>

#include <gtest/gtest.h>

namespace {

namespace sr = rtnotify::smartrest;

// Keeps the decoded bodies alive for the records' views.
sr::record line(std::string_view text)
{
    static std::vector<std::unique_ptr<std::pair<std::string, sr::document>>> keep;
    auto& p = *keep.emplace_back(std::make_unique<std::pair<std::string, sr::document>>(std::string(text), sr::document()));
    p.second = sr::decode(p.first).value();
    return p.second[0];
}

std::string req_error(std::string_view text)
{
    auto t = sr::parse_request_template(line(text));
    return t ? "ok" : t.error().message;
}

std::string resp_error(std::string_view text)
{
    auto t = sr::parse_response_template(line(text));
    return t ? "ok" : t.error().message;
}

TEST(Template, RequestTemplatesFromTheReference)
{
    // Reference vectors 45 and 47.
    auto t = sr::parse_request_template(line("10,100,GET,/identity/externalIds/c8y_Serial/%%,,application/json,%%,STRING,"));
    ASSERT_TRUE(t);
    EXPECT_EQ(t->msg_id, 100u);
    EXPECT_EQ(t->params, std::vector<sr::param_type>{sr::param_type::string_});
    EXPECT_TRUE(t->content_type.empty());
    EXPECT_TRUE(t->body.empty());
    t = sr::parse_request_template(line(
        "10,101,POST,/inventory/managedObjects,application/json,application/json,%%,,\"{\"\"name\"\":\"\"X\"\"}\""));
    ASSERT_TRUE(t);
    EXPECT_EQ(t->body, "{\"name\":\"X\"}");
    t = sr::parse_request_template(
        line("10,102,PUT,/x/%%,application/json,,%%,UNSIGNED NOW,\"{\"\"t\"\":\"\"%%\"\"}\""));
    ASSERT_TRUE(t);
    EXPECT_EQ(t->params, (std::vector<sr::param_type>{sr::param_type::unsigned_, sr::param_type::now}));
}

TEST(Template, RequestTemplateRefusalsCarryThe41Texts)
{
    EXPECT_EQ(req_error("10,100,GET,/x"), "Bad request template definition");
    EXPECT_EQ(req_error("10,abc,GET,/x,,,,,"), "Not a valid message identifier for template creation");
    EXPECT_EQ(req_error("10,42,GET,/x,,,,,"), "Not a valid message identifier for template creation");
    EXPECT_EQ(req_error("10,100,PATCH,/x,,,,,"), "Bad request template definition");
    EXPECT_EQ(req_error("10,100,GET,/x,application/json,,,,"), "No content type supported for GET templates.");
    EXPECT_EQ(req_error("10,100,DELETE,/x,,,,,body"), "No template string supported for DELETE templates.");
    EXPECT_EQ(req_error("10,100,POST,/x,,,,,body"), "No content type found for POST templates.");
    EXPECT_EQ(req_error("10,100,PUT,/x,application/json,,,,"), "No template string found for PUT templates.");
    EXPECT_EQ(req_error("10,100,GET,/x/%%,,,%%,FLOAT,"), "Bad value type: FLOAT");
    EXPECT_EQ(req_error("10,100,GET,/x,,,,STRING,"), "Values are only supported for templates with placeholder.");
    EXPECT_EQ(req_error("10,100,GET,/x/%%/%%,,,%%,STRING,"), "Bad pattern");
    auto t = sr::parse_request_template(line("10,100,GET,/x,application/json,,,,"));
    EXPECT_EQ(t.error().field, 5u);
    EXPECT_EQ(t.error().code, sr::error::bad_request_template);
}

TEST(Template, ResponseTemplates)
{
    auto t = sr::parse_response_template(line("11,102,$,$,$.id,$.text,$.type,$.severity,$.count"));
    ASSERT_TRUE(t);
    EXPECT_EQ(t->msg_id, 102u);
    EXPECT_EQ(t->values.size(), 5u);
    EXPECT_TRUE(t->has_condition);
    t = sr::parse_response_template(line("11,835,alarms,,$.id"));
    ASSERT_TRUE(t);
    EXPECT_FALSE(t->has_condition);
    EXPECT_EQ(t->base.segments().size(), 1u);
}

TEST(Template, ResponseTemplateRefusals)
{
    EXPECT_EQ(resp_error("11,100,$,$"), "Bad response template definition");
    EXPECT_EQ(resp_error("11,x,$,$,$.a"), "Not a valid message identifier for template creation");
    EXPECT_EQ(resp_error("11,100,$.a[,$,$.a"), "Invalid JsonPath");
    EXPECT_EQ(resp_error("11,100,$,$,$..a"), "Using JsonPath to refer to a list of objects is not allowed for SmartRest");
    EXPECT_EQ(resp_error("11,100,$,$.a[?(@.b)],$.a"), "Using Filters (?) in JsonPath is not allowed for SmartRest");
    EXPECT_EQ(sr::parse_response_template(line("11,100,$,$,$.a,$.b[x]")).error().field, 6u);
}

} // namespace
