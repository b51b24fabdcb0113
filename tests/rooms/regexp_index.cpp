// Tests of rtnotify/rooms/detail/regexp_index.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/detail/regexp_index.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

namespace detail = rtnotify::rooms::detail;

std::shared_ptr<re2::RE2 const> regex(std::string const& pattern)
{
    re2::RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_shared<re2::RE2 const>(pattern, options);
    EXPECT_TRUE(re->ok()) << pattern;
    return re;
}

std::vector<std::uint32_t> search(detail::regexp_index& ix, std::string const& text)
{
    std::vector<std::uint32_t> hit;
    ix.search(text, [&](std::uint32_t s, bool, rtnotify::rooms::expr const*) { hit.push_back(s); });
    std::sort(hit.begin(), hit.end());
    return hit;
}

using slots = std::vector<std::uint32_t>;

// Patterns fill sets of chunk_size; a search finds the patterns of every
// chunk, and removals that empty a chunk leave the others searchable.
TEST(RoomsRegexpIndex, ChunksAddAndRemove)
{
    detail::regexp_index ix;
    std::vector<std::shared_ptr<re2::RE2 const>> res;
    std::uint32_t const n = 2 * detail::regexp_index::chunk_size + 10;
    for(std::uint32_t i = 0; i < n; ++i)
    {
        res.push_back(regex("<" + std::to_string(i) + ">"));
        ix.add(res.back(), i, false, nullptr);
    }
    EXPECT_EQ(ix.compiled_chunks(), 3u);
    std::uint32_t const second = detail::regexp_index::chunk_size + 5; // one pattern of each chunk, and one absent
    std::string const text =
        "<5> <" + std::to_string(second) + "> <" + std::to_string(n - 1) + "> <" + std::to_string(n) + ">";
    EXPECT_EQ(search(ix, text), (slots{5, second, n - 1}));

    for(std::uint32_t i = 0; i < detail::regexp_index::chunk_size; ++i) // empties the first chunk
        ix.remove(*res[i], i);
    EXPECT_EQ(ix.compiled_chunks(), 2u);
    EXPECT_EQ(search(ix, text), (slots{second, n - 1}));
    for(std::uint32_t i = detail::regexp_index::chunk_size; i < n; ++i)
        ix.remove(*res[i], i);
    EXPECT_TRUE(ix.empty());
    EXPECT_TRUE(search(ix, text).empty());
}

// Equal patterns share a set entry; the same text under other flags is another pattern.
// A pattern removed from every filter leaves its set only when half its chunk is unused.
TEST(RoomsRegexpIndex, SharedPatternsAndFlags)
{
    detail::regexp_index ix;
    auto const a = regex("ab+c");
    auto const a_again = regex("ab+c");
    auto const folded = regex("(?i)ab+c");
    re2::RE2::Options latin1;
    latin1.set_encoding(re2::RE2::Options::EncodingLatin1);
    auto const other_flags = std::make_shared<re2::RE2 const>("ab+c", latin1);
    ix.add(a, 1, true, nullptr);
    ix.add(a_again, 2, false, nullptr);
    ix.add(folded, 3, false, nullptr);
    ix.add(other_flags, 4, false, nullptr);
    EXPECT_EQ(ix.compiled_chunks(), 2u); // one set per parse flags
    EXPECT_EQ(search(ix, "xxabbbc"), (slots{1, 2, 3, 4}));
    EXPECT_EQ(search(ix, "ABC"), (slots{3}));
    ix.remove(*a, 1);
    EXPECT_EQ(search(ix, "abc"), (slots{2, 3, 4}));
    ix.remove(*a_again, 2); // unused now, but still in its set: its hits are ignored
    EXPECT_EQ(search(ix, "abc"), (slots{3, 4}));
    ix.add(a, 5, false, nullptr); // in use again
    EXPECT_EQ(search(ix, "abc"), (slots{3, 4, 5}));
    ix.remove(*a, 5);
    ix.remove(*other_flags, 4);
    ix.remove(*folded, 3);
    EXPECT_TRUE(ix.empty());
}

// On random patterns and texts the sets find exactly what RE2 finds pattern by pattern.
TEST(RoomsRegexpIndex, AgreesWithOneByOneSearch)
{
    std::mt19937 rng(7);
    auto pick = [&](std::string_view from) { return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)]; };
    std::vector<std::string> const pieces = {"a", "b", "c", ".", "[ab]", "a*", "b+", "c?", "^", "$", "(a|bc)", "\\d", "x{2}"};
    detail::regexp_index ix;
    std::vector<std::shared_ptr<re2::RE2 const>> res;
    for(std::uint32_t i = 0; i < 700; ++i)
    {
        std::string p = i % 5 == 0 ? "(?i)" : "";
        auto const len = std::uniform_int_distribution<int>(1, 5)(rng);
        for(int k = 0; k < len; ++k)
            p += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(rng)];
        res.push_back(regex(p));
        ix.add(res.back(), i, false, nullptr);
    }
    for(int t = 0; t < 300; ++t)
    {
        std::string text;
        auto const len = std::uniform_int_distribution<int>(0, 12)(rng);
        for(int k = 0; k < len; ++k)
            text += pick("abcABx1\n");
        slots want;
        for(std::uint32_t i = 0; i < res.size(); ++i)
            if(re2::RE2::PartialMatch(text, *res[i]))
                want.push_back(i);
        ASSERT_EQ(search(ix, text), want) << text;
    }
}

} // namespace
