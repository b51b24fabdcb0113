// Tests of rtnotify/rooms/detail/interval_index.hpp against a brute-force search; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/detail/interval_index.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <vector>

namespace {

namespace rd = rtnotify::rooms::detail;

constexpr double inf = std::numeric_limits<double>::infinity();

bool contains(rd::guard const& g, double x)
{
    return (g.low < x || (g.low_inclusive && g.low == x)) && (x < g.high || (g.high_inclusive && g.high == x));
}

std::vector<std::uint32_t> stab(rd::interval_index& index, double x)
{
    std::vector<std::uint32_t> out;
    index.stab(x, [&](std::uint32_t slot, bool, rtnotify::rooms::expr const*) { out.push_back(slot); });
    std::sort(out.begin(), out.end());
    return out;
}

TEST(IntervalIndex, FindsWhatABruteForceSearchFinds)
{
    std::mt19937 rng(7);
    auto const value = [&] { return static_cast<double>(std::uniform_int_distribution<int>(-20, 20)(rng)); };
    rd::interval_index index;
    std::map<std::uint32_t, rd::guard> live;
    for(std::uint32_t slot = 0; slot < 400; ++slot)
    {
        rd::guard g;
        g.k = rd::guard::kind::range;
        auto const shape = rng() % 4; // bounded, open upwards, open downwards, a point
        g.low = shape == 2 ? -inf : value();
        g.high = shape == 1 ? inf : shape == 3 ? g.low : std::max(g.low, value());
        g.low_inclusive = shape == 3 || rng() % 2;
        g.high_inclusive = shape == 3 || rng() % 2;
        index.add(g, slot);
        live[slot] = g;
        if(rng() % 5 == 0) // remove one now and then, the index is rebuilt in between
        {
            auto it = std::next(live.begin(), static_cast<std::ptrdiff_t>(rng() % live.size()));
            index.remove(it->first);
            live.erase(it);
        }
        if(slot % 50 != 49)
            continue;
        for(double x = -22; x <= 22; x += 0.5)
        {
            std::vector<std::uint32_t> expected;
            for(auto const& [s, lg] : live)
                if(contains(lg, x))
                    expected.push_back(s);
            ASSERT_EQ(stab(index, x), expected) << "x = " << x << " after " << slot + 1 << " intervals";
        }
    }
}

TEST(IntervalIndex, ExcludedEndsAreExcluded)
{
    rd::interval_index index;
    rd::guard g;
    g.low = 1;
    g.high = 2;
    g.low_inclusive = false;
    g.high_inclusive = true;
    index.add(g, 9);
    EXPECT_TRUE(stab(index, 1).empty());
    EXPECT_EQ(stab(index, 2), std::vector<std::uint32_t>{9});
    EXPECT_EQ(stab(index, 1.5), std::vector<std::uint32_t>{9});
    index.remove(9);
    EXPECT_TRUE(index.empty());
}

} // namespace
