// Tests of reading list-valued HTTP header values (rtnotify/detail/header_lists.hpp).
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/detail/header_lists.hpp>

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace {

using rtnotify::detail::next_item;
using rtnotify::detail::trim_ows;

TEST(HeaderLists, TrimsSpacesAndTabsOnly)
{
    EXPECT_EQ(trim_ows(" \t a b \t"), "a b");
    EXPECT_EQ(trim_ows("\r\na\n"), "\r\na\n");
    EXPECT_EQ(trim_ows("  "), "");
}

TEST(HeaderLists, TakesItemsOneByOne)
{
    std::string_view list = "a=1;  b=2 ;;c";
    std::vector<std::string_view> items;
    while(!list.empty())
        items.push_back(next_item(list, ';'));
    EXPECT_EQ(items, (std::vector<std::string_view>{"a=1", "b=2", "", "c"}));
    std::string_view one = " text/plain ";
    EXPECT_EQ(next_item(one, ';'), "text/plain");
    EXPECT_TRUE(one.empty());
}

} // namespace
