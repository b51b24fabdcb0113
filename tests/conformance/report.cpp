// Tests of report.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include "report.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace {

namespace rc = rtnotify_conformance;
namespace json = boost::json;

struct ConformanceReport : ::testing::Test
{
    std::vector<rc::fixture> fixtures;
    std::vector<rc::reported> all;

    ConformanceReport()
    {
        for(auto const* id : {"bayeux/connect/a", "bayeux/connect/b", "bayeux/handshake/c", "smartrest/d", "bayeux/handshake/e"})
        {
            auto f = rc::parse_fixture(id, json::parse(R"({"description":"about <x> & \"y\"","spec":"§2","requirement":"MUST do it","binds":"server",
                                                          "level":"MUST","steps":[{"sleep_ms":0}]})"));
            fixtures.push_back(std::move(*f));
        }
        fixtures[4].lvl = rc::level::should;
        auto result = [](char const* id, rc::verdict v, std::string failure) {
            rc::case_result r;
            r.id = id;
            r.outcome = v;
            r.failure = std::move(failure);
            r.seconds = 0.25;
            r.expected_by_profile = v == rc::verdict::skipped ? "skipped" : "pass";
            return r;
        };
        all = {{&fixtures[0], result("bayeux/connect/a", rc::verdict::pass, "")},
               {&fixtures[1], result("bayeux/connect/b", rc::verdict::fail, "step 2: status <500>")},
               {&fixtures[2], result("bayeux/handshake/c", rc::verdict::pass, "")},
               {&fixtures[3], result("smartrest/d", rc::verdict::skipped, "not offered: smartrest")},
               {&fixtures[4], result("bayeux/handshake/e", rc::verdict::non_strict, "step 1: \"x\"\n")}};
    }
};

TEST_F(ConformanceReport, Tally)
{
    rc::tally const t(all);
    EXPECT_EQ(t.line(), "2 passed, 1 failed, 1 skipped");
    EXPECT_EQ(t.non_strict, 1u);
    EXPECT_EQ(t.as_recorded, 3u);
}

TEST_F(ConformanceReport, JunitHasASuitePerGroupAndNamedCases)
{
    std::ostringstream os;
    rc::write_junit(os, all, 0.75); // the cases overlapped: the run took less than their sum
    auto const xml = os.str();
    EXPECT_TRUE(xml.starts_with(R"(<?xml version="1.0" encoding="UTF-8"?>)"));
    EXPECT_NE(xml.find(R"(<testsuites name="rtnotify-conformance" tests="5" failures="1" skipped="1" errors="0" time="0.750">)"),
              std::string::npos) << xml;
    EXPECT_NE(xml.find(R"(<testsuite name="bayeux/connect" tests="2" failures="1" skipped="0" errors="0" time="0.500">)"),
              std::string::npos) << xml;
    EXPECT_NE(xml.find(R"(<testcase name="a" classname="bayeux/connect" time="0.250"/>)"), std::string::npos) << xml;
    EXPECT_NE(xml.find(R"(<failure message="step 2: status &lt;500&gt;" type="MUST">MUST: MUST do it (§2)&#10;step 2: status &lt;500&gt;</failure>)"),
              std::string::npos) << xml;
    EXPECT_NE(xml.find(R"(<skipped message="not offered: smartrest"/>)"), std::string::npos) << xml;
    EXPECT_NE(xml.find("<system-out>non-strict: SHOULD: MUST do it"), std::string::npos) << xml;
    // one suite per group, no empty ones
    std::size_t suites = 0;
    for(auto at = xml.find("<testsuite "); at != std::string::npos; at = xml.find("<testsuite ", at + 1))
        ++suites;
    EXPECT_EQ(suites, 3u);
}

TEST_F(ConformanceReport, Tap13)
{
    std::ostringstream os;
    rc::write_tap(os, all, "");
    auto const tap = os.str();
    EXPECT_TRUE(tap.starts_with("TAP version 13\n1..5\nok 1 - bayeux/connect/a\nnot ok 2 - bayeux/connect/b\n  ---\n")) << tap;
    EXPECT_NE(tap.find("  failure: \"step 2: status <500>\"\n  ...\n"), std::string::npos) << tap;
    EXPECT_NE(tap.find("ok 4 - smartrest/d # SKIP not offered: smartrest\n"), std::string::npos) << tap;
    EXPECT_NE(tap.find("not ok 5 - bayeux/handshake/e # TODO non-strict (SHOULD)\n"), std::string::npos) << tap;
    EXPECT_NE(tap.find(R"(failure: "step 1: \"x\"\n")"), std::string::npos) << tap;
}

TEST_F(ConformanceReport, TapMarksAFailureTheProfileRecordsAsTodo)
{
    all[1].r.expected_by_profile = "fail";
    all[1].r.profile_note = "a known bug";
    std::ostringstream os;
    rc::write_tap(os, all, "faye");
    EXPECT_NE(os.str().find("not ok 2 - bayeux/connect/b # TODO recorded for faye: a known bug\n"), std::string::npos)
        << os.str();
    os.str("");
    rc::write_tap(os, all, ""); // without the profile it is a plain failure
    EXPECT_NE(os.str().find("not ok 2 - bayeux/connect/b\n"), std::string::npos) << os.str();
}

TEST_F(ConformanceReport, ProgressLinesCountAndAlign)
{
    EXPECT_EQ(rc::progress_line(all[1], 7, 168), "[  7/168] fail          bayeux/connect/b (0.2 s)");
    EXPECT_EQ(rc::progress_line(all[4], 168, 168), "[168/168] non-strict    bayeux/handshake/e (0.2 s)");
}

TEST_F(ConformanceReport, JsonIndex)
{
    auto const j = rc::json_report(all, "faye", "http://127.0.0.1:1/bayeux", "faye");
    EXPECT_EQ(j.at("summary").at("failed"), 1);
    EXPECT_EQ(j.at("summary").at("as_recorded"), 3);
    auto const& b = j.at("cases").at("bayeux/connect/b");
    EXPECT_EQ(b.at("behavior"), "fail");
    EXPECT_EQ(b.at("level"), "MUST");
    EXPECT_EQ(b.at("duration_ms"), 250);
    EXPECT_EQ(b.at("profile").at("as_recorded"), false);
}

TEST_F(ConformanceReport, ConsoleShowsRequirementAndFailure)
{
    std::ostringstream os;
    rc::write_console(os, all, "faye", false);
    auto const text = os.str();
    EXPECT_NE(text.find("bayeux/connect\n  [pass] a: about <x> & \"y\"\n  [FAIL] b: about <x> & \"y\"  (profile faye records pass)\n"
                        "      -> MUST: MUST do it (§2)\n         step 2: status <500>\n"),
              std::string::npos)
        << text;
}

} // namespace
