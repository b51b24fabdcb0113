// Tests of rtnotify/smartrest/registry.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/smartrest/registry.hpp>

#include <rtnotify/smartrest/decode.hpp>

#include <gtest/gtest.h>

namespace {

namespace sr = rtnotify::smartrest;

std::string handle(sr::registry& reg, std::string_view xid, std::string const& body, std::string_view owner = {})
{
    auto doc = sr::decode(body).value();
    std::string out;
    for(auto const& s : reg.handle(xid, doc, owner))
        sr::encode(out, sr::reply(s));
    return out;
}

TEST(Registry, RegistrationFlow)
{
    sr::registry reg;
    EXPECT_EQ(handle(reg, "dev1", ""), "40,No template for this X-ID.\n");
    EXPECT_EQ(handle(reg, "dev1", "10,100,GET,/x/%%,,,%%,STRING,\n11,200,$,$.id,$.id,$.name\n"), "20,1001\n");
    EXPECT_EQ(handle(reg, "dev1", ""), "20,1001\n");
    EXPECT_EQ(handle(reg, "dev1", "11,201,$,,$.id\n"),
              "41,Cannot create templates for already existing template object\n");
    auto const* c = reg.find("dev1");
    ASSERT_TRUE(c);
    EXPECT_EQ(reg.find("1001"), c) << "the numeric id works as X-Id";
    EXPECT_EQ(c->requests.size(), 1u);
    EXPECT_EQ(c->responses.size(), 1u);
    EXPECT_TRUE(c->find_request(100));
    EXPECT_FALSE(c->find_request(101));
}

TEST(Registry, RefusedLinesRegisterNothing)
{
    sr::registry reg;
    EXPECT_EQ(handle(reg, "x", "11,200,$,,$.a\n11,200,$,,$.b\n83,abc\n11,201,$,,$..a\n"),
              "41,2,Duplicate message identifiers are not allowed\n"
              "41,3,Not a valid message identifier for template creation\n"
              "41,4,Using JsonPath to refer to a list of objects is not allowed for SmartRest\n");
    EXPECT_EQ(reg.find("x"), nullptr);
    EXPECT_EQ(reg.size(), 0u);
}

TEST(Registry, NotARegistrationIsNotHandled)
{
    sr::registry reg;
    EXPECT_TRUE(reg.handle("x", sr::decode("100,abc").value()).empty());
}

TEST(Registry, Limits)
{
    sr::registry_options opts;
    opts.max_collections = 1;
    opts.max_templates = 2;
    sr::registry reg(opts);
    EXPECT_EQ(handle(reg, "a", "11,200,$,,$.a\n11,201,$,,$.a\n11,202,$,,$.a\n"), "41,Too many templates\n");
    EXPECT_EQ(handle(reg, "a", "11,200,$,,$.a\n"), "20,1001\n");
    EXPECT_EQ(handle(reg, "b", "11,200,$,,$.a\n"), "41,Too many template collections\n");
}

TEST(Registry, BytesAndOwnersAreBounded)
{
    sr::registry_options opts;
    opts.max_collection_bytes = 40;
    opts.max_total_bytes = 60;
    opts.max_collections_per_owner = 2;
    sr::registry reg(opts);
    EXPECT_EQ(handle(reg, "big", "11,200,$,," + std::string(40, 'a') + "\n"), "41,Template collection too large\n");
    EXPECT_EQ(handle(reg, "a", "11,200,$,,$.a\n", "10.0.0.1"), "20,1001\n"); // 9 bytes of fields, 1 of X-Id
    EXPECT_EQ(handle(reg, "b", "11,200,$,,$.a\n", "10.0.0.1"), "20,1002\n");
    EXPECT_EQ(handle(reg, "c", "11,200,$,,$.a\n", "10.0.0.1"), "41,Too many template collections from this client\n");
    EXPECT_EQ(handle(reg, "c", "11,200,$,,$.a\n", "10.0.0.2"), "20,1003\n"); // another client
    EXPECT_EQ(reg.bytes(), 30u);
    EXPECT_EQ(handle(reg, "d", "11,200,$,,$.abcdefghijklmnopqrstuv\n", "10.0.0.3"), "41,Template storage full\n"); // 31 more
    EXPECT_EQ(reg.size(), 3u);
}

} // namespace

