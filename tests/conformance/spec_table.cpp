// Tests of spec_table.hpp: the table of spec anchors is read strictly, and every citation must resolve in it.
// SPDX-License-Identifier: BSL-1.0
#include "spec_table.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

namespace rc = rtnotify_conformance;
namespace json = boost::json;

std::string table_error_of(std::string const& text)
{
    auto t = rc::read_spec_table(json::parse(text));
    return std::holds_alternative<std::string>(t) ? std::get<std::string>(t) : "";
}

TEST(ConformanceSpecTable, ReadsTitlesAndAddresses)
{
    auto t = rc::read_spec_table(json::parse(R"({"anchors":{"bayeux/handshake":{"title":"Handshake","url":"https://x.example/#hs"}}})"));
    ASSERT_TRUE(std::holds_alternative<rc::spec_table>(t));
    auto const& table = std::get<rc::spec_table>(t);
    ASSERT_EQ(table.size(), 1u);
    EXPECT_EQ(table.at("bayeux/handshake").url, "https://x.example/#hs");
}

TEST(ConformanceSpecTable, RefusesWhatIsNotATable)
{
    EXPECT_EQ(table_error_of("[]"), "anchors: missing, or not an object");
    EXPECT_EQ(table_error_of(R"({"anchors":{"a":{"title":"t"}}})"), R"(anchors.a: must be an object with the strings "title" and "url")");
    EXPECT_EQ(table_error_of(R"({"anchors":{"a":{"title":"t","url":"../notes.md"}}})"), "anchors.a.url: must be an https:// address");
}

TEST(ConformanceSpecTable, CitationsResolveOrNameTheFixture)
{
    rc::spec_table const table{{"bayeux/connect", {"Connect", "https://x.example/#c"}}};
    std::vector<rc::fixture> all(2);
    all[0].id = "a";
    all[0].spec = "bayeux/connect";
    all[1].id = "b";
    all[1].spec = "bayeux/connect";
    EXPECT_FALSE(rc::resolve_citations(all, table));
    EXPECT_EQ(all[1].spec_title, "Connect");
    EXPECT_EQ(all[1].spec_url, "https://x.example/#c");
    all[1].spec = "bayeux.md §2";
    EXPECT_EQ(rc::resolve_citations(all, table), R"(fixture b: spec: "bayeux.md §2" is not in the table of spec anchors)");
}

} // namespace
