// The Koncorde oracle (tests/data/koncorde-oracle, answers recorded from koncorde@4.7.0): filters, documents, quirks.
// SPDX-License-Identifier: BSL-1.0
//
#ifndef RTNOTIFY_TESTS_ROOMS_ORACLE_HPP
#define RTNOTIFY_TESTS_ROOMS_ORACLE_HPP

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace rtnotify_test {

/// The JSON lines of an oracle file (fails the test if it cannot be read).
inline std::vector<boost::json::object> oracle_lines(std::string const& name)
{
    std::string const path = std::string(RTNOTIFY_TEST_DATA_DIR) + "/koncorde-oracle/" + name;
    std::ifstream in(path);
    EXPECT_TRUE(in) << "cannot read " << path;
    std::vector<boost::json::object> out;
    for(std::string line; std::getline(in, line);)
        if(!line.empty())
            out.push_back(boost::json::parse(line).as_object());
    return out;
}

/// A quirk: Koncorde's answer, the documented one, and why they differ.
struct quirk
{
    bool koncorde = false;
    bool reference = false;
    std::string reason;
};

/// The quirks by (filter i, document j).
inline std::map<std::pair<std::int64_t, std::int64_t>, quirk> oracle_quirks()
{
    std::map<std::pair<std::int64_t, std::int64_t>, quirk> out;
    for(auto const& q : oracle_lines("quirks.jsonl"))
        out[{q.at("i").as_int64(), q.at("j").as_int64()}] = {q.at("koncorde").to_number<int>() != 0,
                                                              q.at("reference").to_number<int>() != 0,
                                                              std::string(q.at("reason").as_string())};
    return out;
}

} // namespace rtnotify_test

#endif
