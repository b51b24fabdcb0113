// Tests of rtnotify/rooms/detail/interval_index.hpp, against a brute-force search.
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

rd::guard range_guard(double low, double high, bool low_inclusive = true, bool high_inclusive = true)
{
    rd::guard g;
    g.k = rd::guard::kind::range;
    g.low = low;
    g.high = high;
    g.low_inclusive = low_inclusive;
    g.high_inclusive = high_inclusive;
    return g;
}

/// The slots of the intervals of `ix` that contain `x`, ascending.
std::vector<std::uint32_t> stab(rd::interval_index& ix, double x)
{
    std::vector<std::uint32_t> hit;
    ix.stab(x, [&](std::uint32_t s, bool, rtnotify::rooms::expr const*) { hit.push_back(s); });
    std::sort(hit.begin(), hit.end());
    return hit;
}

TEST(IntervalIndex, StabsBoundedIntervals)
{
    rd::interval_index ix;
    for(std::uint32_t i = 0; i < 1000; ++i)
        ix.add(range_guard(i, i + 5.0), i);
    ix.add(range_guard(-1e300, 1e300), 5000);
    EXPECT_EQ(stab(ix, 500.5), (std::vector<std::uint32_t>{496, 497, 498, 499, 500, 5000}));
    ix.add(range_guard(500.5, 501, false), 6000); // (500.5, 501]: does not contain 500.5
    EXPECT_EQ(stab(ix, 500.5).size(), 6u);
    ix.remove(5000);
    EXPECT_TRUE(stab(ix, -3).empty());
}

// Intervals open at one end are kept apart from the bounded ones: their ends still count exactly.
TEST(IntervalIndex, OpenEndsCountExactly)
{
    rd::interval_index ix;
    ix.add(range_guard(10, inf), 1);               // >= 10
    ix.add(range_guard(10, inf, false), 2);        // > 10
    ix.add(range_guard(-inf, 10), 3);              // <= 10
    ix.add(range_guard(-inf, 10, true, false), 4); // < 10
    ix.add(range_guard(5, 15), 5);                 // [5, 15]
    ix.add(range_guard(-inf, inf), 6);             // every number
    for(std::uint32_t i = 0; i < 100; ++i) // more of each kind, none containing 10
    {
        double const d = i;
        ix.add(range_guard(20 + d, inf), 100 + i);
        ix.add(range_guard(-inf, -d), 200 + i);
        ix.add(range_guard(d - 200, d - 190), 300 + i);
    }
    using slots = std::vector<std::uint32_t>;
    EXPECT_EQ(stab(ix, 10), (slots{1, 3, 5, 6}));
    EXPECT_EQ(stab(ix, 10.5), (slots{1, 2, 5, 6}));
    EXPECT_EQ(stab(ix, 9.5), (slots{3, 4, 5, 6}));
    EXPECT_EQ(stab(ix, 20), (slots{1, 2, 6, 100}));
    ix.remove(1);
    ix.remove(3);
    EXPECT_EQ(stab(ix, 10), (slots{5, 6}));
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

} // namespace
