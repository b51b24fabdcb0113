// Tests of rtnotify/smartrest/render.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/smartrest/render.hpp>

#include <rtnotify/smartrest/decode.hpp>

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

namespace {

namespace sr = rtnotify::smartrest;
namespace json = boost::json;

sr::registry make_registry()
{
    sr::registry reg;
    auto add = [&](std::string_view xid, std::string const& body) {
        auto doc = sr::decode(body).value();
        EXPECT_EQ(reg.handle(xid, doc).at(0).code, 20u) << body;
    };
    add("alarms", "11,102,$,$,$.id,$.text,$.type,$.severity,$.count\n");
    add("ops", "11,811,$,$.c8y_Restart,$.id,$.deviceId\n"
               "11,814,$.c8y_SoftwareList,$.name,$.name,$.version\n"
               "11,815,$,$.c8y_SoftwareList,$.id\n");
    add("kinds", "11,900,$,,$.s,$.n,$.f,$.b,$.z,$.o,$.a,$.missing,$.big\n");
    return reg;
}

TEST(Render, ValueRendering)
{
    auto v = json::parse(R"({"s":"a,b","n":42,"f":-1.5,"b":true,"z":null,"o":{"k":[1,"x"]},"a":[1,2],"big":1e100})");
    sr::registry reg = make_registry();
    std::vector<sr::data_row> rendered;
    sr::render_rows(*reg.find("kinds"), v, 1, rendered);
    ASSERT_EQ(rendered.size(), 1u);
    EXPECT_EQ(rendered[0].values,
              (std::vector<std::string>{"a,b", "42", "-1.5", "true", "", "{\"k\":[1,\"x\"]}", "[1,2]", "", "1e+100"}));
    std::string out;
    sr::encode(out, sr::reply(rendered[0]));
    EXPECT_EQ(out, "900,1,\"a,b\",42,-1.5,true,,\"{\"\"k\"\":[1,\"\"x\"\"]}\",\"[1,2]\",,1e+100\n");
}

TEST(Render, AlarmEnvelopeRendersData)
{
    auto n = json::parse(R"({"realtimeAction":"CREATE","data":{"id":"7","text":"High, temp","type":"t","severity":"MINOR","count":1}})");
    sr::registry reg = make_registry();
    std::array<sr::collection const*, 1> one{reg.find("alarms")};
    std::string out;
    sr::render_notification(out, one, n);
    EXPECT_EQ(out, "102,1,7,\"High, temp\",t,MINOR,1\n") << "one X-Id: no 87 line";
}

TEST(Render, ArrayBaseConditionsOrderAndGroups)
{
    auto n = json::parse(R"({"realtimeAction":"UPDATE","data":{"id":"5","deviceId":"9","c8y_Restart":{},
        "c8y_SoftwareList":[{"name":"a","version":"1"},{"version":"2"},{"name":"c"}]}})");
    sr::registry reg = make_registry();
    std::array<sr::collection const*, 2> both{reg.find("alarms"), reg.find("ops")};
    std::string out;
    sr::render_notification(out, both, n, 3);
    // alarms renders nothing: `$.id` exists, so its condition `$` holds and the row has empty fields.
    EXPECT_EQ(out,
              "87,1,alarms\n102,3,5,,,,\n"
              "87,4,ops\n811,3,5,9\n814,3,a,1\n814,3,c,\n815,3,5\n");
}

TEST(Render, NoEnvelopeRendersWholeValueAndMissingBaseGivesNoRows)
{
    sr::registry reg = make_registry();
    std::vector<sr::data_row> rendered;
    sr::render_rows(*reg.find("ops"), json::parse(R"({"id":"1"})"), 1, rendered);
    EXPECT_TRUE(rendered.empty());
    sr::render_rows(*reg.find("ops"), json::parse(R"({"id":"1","c8y_Restart":true})"), 1, rendered);
    ASSERT_EQ(rendered.size(), 1u);
    EXPECT_EQ(rendered[0].values, (std::vector<std::string>{"1", ""}));
}

} // namespace
