// rtnotify-match, run as a program on the Koncorde oracle: refused filters
// are listed, and every document's matches equal Koncorde's except the pairs
// of its listed bugs, where they equal the documented answer.
// SPDX-License-Identifier: BSL-1.0
#include "../rooms/oracle.hpp"
#include "program.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace {

namespace json = boost::json;

std::string run(std::string const& args, int& status)
{
    auto r = rtnotify_test::run_program(std::string(RTNOTIFY_MATCH_TOOL) + " " + args + " 2>/dev/null");
    status = r.status;
    return std::move(r.out);
}

TEST(MatchTool, KoncordeOracle)
{
    std::string const dir = std::string(RTNOTIFY_TEST_DATA_DIR) + "/koncorde-oracle/";
    int status = 0;
    auto const out = run(dir + "filters.jsonl " + dir + "documents.jsonl", status);
    EXPECT_EQ(status, 0);

    std::set<std::int64_t> valid;
    for(auto const& f : rtnotify_test::oracle_lines("filters.jsonl"))
        if(f.at("valid").as_bool())
            valid.insert(f.at("i").as_int64());
    std::map<std::int64_t, std::set<std::int64_t>> koncorde;
    for(auto const& d : rtnotify_test::oracle_lines("documents.jsonl"))
        for(auto const& m : d.at("matches").as_array())
            koncorde[d.at("j").as_int64()].insert(m.as_int64());
    auto const quirks = rtnotify_test::oracle_quirks();

    std::istringstream lines(out);
    std::size_t refused = 0, documents = 0, disagreements = 0;
    for(std::string line; std::getline(lines, line);)
    {
        auto const o = json::parse(line).as_object();
        if(o.contains("error"))
        {
            ++refused;
            EXPECT_FALSE(o.at("error").as_string().empty());
            continue;
        }
        ++documents;
        auto const j = o.at("j").as_int64();
        std::set<std::int64_t> got;
        std::int64_t previous = -1;
        for(auto const& m : o.at("matches").as_array())
        {
            EXPECT_GT(m.as_int64(), previous) << "ascending";
            previous = m.as_int64();
            if(valid.contains(m.as_int64())) // filters Koncorde refused are not in its answers
                got.insert(m.as_int64());
        }
        for(auto const i : valid)
        {
            bool want = koncorde[j].contains(i);
            if(auto q = quirks.find({i, j}); q != quirks.end())
            {
                if(q->second.reason.starts_with("geo-boundary-tolerance"))
                    continue;
                want = q->second.reference;
            }
            disagreements += got.contains(i) != want;
        }
    }
    EXPECT_EQ(disagreements, 0u);
    EXPECT_EQ(documents, koncorde.size());
    EXPECT_GT(refused, 30u);

    auto const bench = run("--bench " + dir + "filters.jsonl " + dir + "documents.jsonl", status);
    EXPECT_EQ(status, 0);
    auto const b = json::parse(bench).as_object();
    EXPECT_GT(b.at("docsPerSec").as_double(), 0);
    EXPECT_GT(b.at("rooms").as_int64(), 500);

    run("only-one-argument", status);
    EXPECT_EQ(status, 2);
}

TEST(MatchTool, ADirectoryIsNoFile)
{
    auto const r = rtnotify_test::run_program(std::string(RTNOTIFY_MATCH_TOOL) + " / / 2>&1");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.out.find("/: is a directory, not a file"), std::string::npos) << r.out;
}

} // namespace

