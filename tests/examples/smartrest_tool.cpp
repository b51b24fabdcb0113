// rtnotify-smartrest, run as a program: the reference vectors through
// `decode`, error output, `encode` and `render`.
// SPDX-License-Identifier: BSL-1.0
#include "../smartrest/vectors.hpp"
#include "program.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// Runs the tool with `args`, `input` on stdin; captures stdout.
rtnotify_test::program_result run(std::string const& args, std::string_view input)
{
    static int n = 0;
    auto const dir = fs::temp_directory_path() / ("rtnotify-smartrest-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    auto const in = dir / ("in" + std::to_string(n++));
    std::ofstream(in, std::ios::binary) << input;
    return rtnotify_test::run_program(std::string(RTNOTIFY_SMARTREST_TOOL) + " " + args + " < " + in.string() + " 2>/dev/null");
}

TEST(SmartrestTool, DecodesEveryReferenceVector)
{
    for(auto const& c : rtnotify_test::reference_vectors())
    {
        auto r = run("decode", c.input);
        ASSERT_EQ(r.status, 0) << c.name << ": " << r.out;
        auto const v = json::parse(r.out);
        rtnotify_test::rows got;
        for(auto const& rec : v.as_array())
        {
            auto& row = got.emplace_back();
            for(auto const& f : rec.as_array())
                row.emplace_back(f.as_string().c_str(), f.as_string().size());
        }
        EXPECT_EQ(got, c.expected) << c.name;
    }
}

TEST(SmartrestTool, ReportsErrorsWithPosition)
{
    auto r = run("decode", "1\nab\"c,d");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(json::parse(r.out),
              json::parse(R"({"error":{"message":"quote inside an unquoted field","offset":4,"line":2,"field":1}})"));
    r = run("decode --lenient", "1\nab\"c,d");
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(json::parse(r.out), json::parse(R"([["1"],["ab\"c","d"]])"));
}

TEST(SmartrestTool, EncodesAndRoundTrips)
{
    auto r = run("encode", R"([["503","c8y_RelayArray","CLOSED","OPEN"],["104","I have \"quotes\"!"],[""]])");
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "503,c8y_RelayArray,CLOSED,OPEN\n104,\"I have \"\"quotes\"\"!\"\n\"\"\n");
    auto back = run("decode", r.out);
    EXPECT_EQ(json::parse(back.out),
              json::parse(R"([["503","c8y_RelayArray","CLOSED","OPEN"],["104","I have \"quotes\"!"],[""]])"));
    EXPECT_EQ(run("encode", R"([["a",1]])").status, 1);
    EXPECT_EQ(run("encode", "{").status, 1);
}

TEST(SmartrestTool, RendersWithGroups)
{
    auto const dir = fs::temp_directory_path();
    auto const a = dir / "rtnotify-tool-a.tpl";
    auto const b = dir / "rtnotify-tool-b.tpl";
    std::ofstream(a) << "11,102,$,$,$.id,$.text\n";
    std::ofstream(b) << "11,200,$,$.type,$.type\n";
    auto const n = R"({"realtimeAction":"CREATE","data":{"id":"7","text":"x, y","type":"t"}})";
    auto r = run("render --templates " + a.string() + " --xid alarms", n);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "102,1,7,\"x, y\"\n");
    r = run("render --templates " + a.string() + " --xid alarms --templates " + b.string() + " --xid other", n);
    EXPECT_EQ(r.out, "87,1,alarms\n102,1,7,\"x, y\"\n87,1,other\n200,1,t\n");
    std::ofstream(b) << "11,200,$,$..type,$.type\n";
    r = run("render --templates " + b.string() + " --xid other", n);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.out.find("Using JsonPath to refer to a list"), std::string::npos) << r.out;
    EXPECT_EQ(run("render --templates", n).status, 2);
}

TEST(SmartrestTool, RefusesFieldsThatAreNotUtf8)
{
    // JSON output must be UTF-8: the field is reported with its place, not copied or changed
    auto const r = run("decode", "80,ok\n81,\"a\"\"b\",x\xC3\n");
    EXPECT_EQ(r.status, 1);
    auto const e = json::parse(r.out).at("error");
    EXPECT_EQ(e.at("line"), 2);
    EXPECT_EQ(e.at("offset"), 6);
    EXPECT_EQ(e.at("field"), 2);
    EXPECT_EQ(e.at("field_byte"), 1);
    EXPECT_EQ(run("decode", "80,h\xC3\xA9\n").out, "[[\"80\",\"h\xC3\xA9\"]]\n");
}

TEST(SmartrestTool, ATemplatesPathThatIsNoFileIsAnError)
{
    auto const dir = fs::temp_directory_path().string();
    auto r = run("render --templates " + dir + " --xid x", "{}");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(json::parse(r.out).at("error").at("message").as_string(), dir + ": is a directory, not a file");
    r = run("render --templates " + dir + "/no-such-templates --xid x", "{}");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(json::parse(r.out).at("error").at("message").as_string(), dir + "/no-such-templates: no such file");
}

} // namespace

