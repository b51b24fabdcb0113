// Tests for rtnotify/detail/json_numbers.hpp: zeros with huge exponents come back as zeros.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/detail/json_numbers.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <cmath>

namespace {

namespace json = boost::json;

TEST(JsonNumbers, NaNAnywhereInTheTreeBecomesZero)
{
    json::value v = {{"a", std::nan("")}, {"b", json::array{1, -std::nan(""), "x"}}, {"c", {{"d", std::nan("")}}}};
    rtnotify::detail::restore_overflowed_zeros(v);
    EXPECT_EQ(v.at("a"), 0.0);
    EXPECT_FALSE(std::signbit(v.at("a").get_double()));
    EXPECT_EQ(v.at("b").at(1), 0.0);
    EXPECT_FALSE(std::signbit(v.at("b").at(1).get_double()));
    EXPECT_EQ(v.at("b").at(0), 1);
    EXPECT_EQ(v.at("b").at(2), "x");
    EXPECT_EQ(v.at("c").at("d"), 0.0);
}

TEST(JsonNumbers, ParsedZeroWithHugeExponentIsZeroAfterRepair)
{
    // Whatever this Boost.JSON makes of it, the text means zero.
    auto v = json::parse(R"({"z":0e400,"m":-0.0e9999,"i":2e9999,"n":1.5})");
    rtnotify::detail::restore_overflowed_zeros(v);
    EXPECT_EQ(v.at("z"), 0.0);
    EXPECT_EQ(v.at("m"), 0.0);
    EXPECT_TRUE(std::isinf(v.at("i").get_double()));
    EXPECT_EQ(v.at("n"), 1.5);
}

} // namespace
