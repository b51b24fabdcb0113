// Tests of substitute.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include "substitute.hpp"

#include <gtest/gtest.h>

namespace {

namespace rc = rtnotify_conformance;

TEST(ConformanceSubstitute, VariablesAndPlaceholders)
{
    rc::variables const vars{{"bayeux", "/cometd"}, {"A", "abc"}};
    EXPECT_EQ(rc::substitute("${bayeux}/connect", vars), "/cometd/connect");
    EXPECT_EQ(rc::substitute(R"({"clientId":"${A}","x":"${A}${A}"})", vars), R"({"clientId":"abc","x":"abcabc"})");
    EXPECT_EQ(rc::substitute("${*} ${re:[0-9]+} ${...} $ {A} ${", vars), "${*} ${re:[0-9]+} ${...} $ {A} ${"); // not variables
    std::string missing;
    EXPECT_FALSE(rc::substitute("/x/${nope}/y", vars, &missing));
    EXPECT_EQ(missing, "nope");
}

TEST(ConformanceSubstitute, Captures)
{
    auto const reply = boost::json::parse(R"([{"clientId":"c1","advice":{"timeout":2000},"ok":true}])");
    EXPECT_EQ(rc::capture("/0/clientId", "", &reply), "c1");
    EXPECT_EQ(rc::capture("/0/advice/timeout", "", &reply), "2000");
    EXPECT_EQ(rc::capture("/0/ok", "", &reply), "true");
    EXPECT_FALSE(rc::capture("/1/clientId", "", &reply));
    EXPECT_FALSE(rc::capture("/0/clientId", "", nullptr)); // the reply was not JSON
    std::string_view const body = "  86,,2000,0,retry\r\n102,1,7,\"a,b\"\n";
    EXPECT_EQ(rc::capture("line:1", body, nullptr), "86,,2000,0,retry");
    EXPECT_EQ(rc::capture("line:1:3", body, nullptr), "2000");
    EXPECT_EQ(rc::capture("line:1:5", body, nullptr), "retry");
    EXPECT_FALSE(rc::capture("line:1:6", body, nullptr));
    EXPECT_EQ(rc::capture("line:2:3", body, nullptr), "7");
    EXPECT_FALSE(rc::capture("line:3", body, nullptr));
    EXPECT_FALSE(rc::capture("line:0", body, nullptr));
    EXPECT_FALSE(rc::capture("line:x", body, nullptr));
    EXPECT_FALSE(rc::capture("column:1", body, nullptr));
}

TEST(ConformanceSubstitute, TimingBounds)
{
    rc::variables const vars{{"timeout", "2000"}};
    EXPECT_EQ(rc::milliseconds("1500", vars), 1500.0);
    EXPECT_EQ(rc::milliseconds("0.8*${timeout}", vars), 1600.0);
    EXPECT_EQ(rc::milliseconds("2*3", vars), 6.0);
    EXPECT_FALSE(rc::milliseconds("0.8*${hold}", vars));
    EXPECT_FALSE(rc::milliseconds("fast", vars));
    EXPECT_FALSE(rc::milliseconds("1*2*3", vars));
}

} // namespace
