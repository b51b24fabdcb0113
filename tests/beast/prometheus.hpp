// A strict reader of Prometheus' text exposition format, for the tests of the server's metrics.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_TESTS_BEAST_PROMETHEUS_HPP
#define RTNOTIFY_TESTS_BEAST_PROMETHEUS_HPP

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace rtnotify_test {

/** The samples of `text` by name and labels (`name{k="v"}` as written), after
    checking every line against the format (version 0.0.4): a family's
    `# HELP` and `# TYPE` (counter, gauge or histogram) before its samples,
    counters named `*_total`, a histogram's samples named `_bucket` (with an
    `le` label), `_sum` and `_count`, values numbers, the text ending with a
    line break.
*/
inline std::map<std::string, double> parse_prometheus(std::string const& text)
{
    static std::regex const help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*))");
    static std::regex const type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram))");
    static std::regex const sample(
        R"re(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})? ([0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?))re");
    static std::regex const histogram_part(R"((.*)_(bucket|sum|count))");
    std::map<std::string, double> out;
    std::set<std::string> helped;
    std::map<std::string, std::string> typed;
    EXPECT_TRUE(text.empty() || text.back() == '\n');
    std::istringstream in(text);
    std::string line;
    std::smatch m, part;
    while(std::getline(in, line))
    {
        if(std::regex_match(line, m, help))
            EXPECT_TRUE(helped.insert(m[1]).second) << "a second HELP for " << m[1];
        else if(std::regex_match(line, m, type))
        {
            EXPECT_TRUE(helped.contains(m[1])) << "TYPE before HELP: " << line;
            EXPECT_TRUE(typed.emplace(m[1], m[2]).second) << "a second TYPE for " << m[1];
            if(m[2] == "counter")
            {
                EXPECT_TRUE(std::string(m[1]).ends_with("_total")) << line;
            }
        }
        else if(std::regex_match(line, m, sample))
        {
            std::string const name = m[1];
            if(std::regex_match(name, part, histogram_part) && typed.contains(part[1]) && typed[part[1]] == "histogram")
            {
                EXPECT_EQ(part[2] == "bucket", std::string(m[2]).starts_with("{le=\"")) << "le on buckets only: " << line;
            }
            else
            {
                EXPECT_TRUE(typed.contains(name) && typed[name] != "histogram") << "a sample before its TYPE: " << line;
            }
            EXPECT_TRUE(out.emplace(name + std::string(m[2]), std::stod(m[3])).second) << "twice: " << line;
        }
        else
            ADD_FAILURE() << "not the exposition format: '" << line << "'";
    }
    return out;
}

} // namespace rtnotify_test

#endif
