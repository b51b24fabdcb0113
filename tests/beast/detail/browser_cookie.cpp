// Tests of the BAYEUX_BROWSER cookie's reading and making (rtnotify/beast/detail/browser_cookie.hpp).
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/detail/browser_cookie.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace rd = rtnotify::beast::detail;

TEST(BeastBrowserCookie, FoundAmongOtherCookies)
{
    EXPECT_EQ(rd::browser_id_in("BAYEUX_BROWSER=abc-1_Z"), "abc-1_Z");
    EXPECT_EQ(rd::browser_id_in("a=1; BAYEUX_BROWSER=xyz ; b=2"), "xyz");
    EXPECT_EQ(rd::browser_id_in("a=1;BAYEUX_BROWSER=xyz"), "xyz");
    EXPECT_EQ(rd::browser_id_in("XBAYEUX_BROWSER=no; BAYEUX_BROWSERX=no"), "");
    EXPECT_EQ(rd::browser_id_in(""), "");
}

TEST(BeastBrowserCookie, OnlyIdsTheServerCouldHaveGivenAreTaken)
{
    auto const longest = std::string(rtnotify::session::server::max_browser_id_bytes, 'a');
    EXPECT_EQ(rd::browser_id_in("BAYEUX_BROWSER=" + longest), longest);
    EXPECT_EQ(rd::browser_id_in("BAYEUX_BROWSER=" + longest + "a"), "") << "longer than a session keeps";
    for(auto const* bad : {"BAYEUX_BROWSER=", "BAYEUX_BROWSER=a b", "BAYEUX_BROWSER=\"q\"", "BAYEUX_BROWSER=\xc3\xa9"})
        EXPECT_EQ(rd::browser_id_in(bad), "") << bad;
}

TEST(BeastBrowserCookie, NewIdsAreDistinctAndPlausible)
{
    auto const a = rd::new_browser_id();
    auto const b = rd::new_browser_id();
    EXPECT_NE(a, b);
    EXPECT_TRUE(rd::plausible_browser_id(a));
    EXPECT_EQ(rd::browser_cookie_for(a), "BAYEUX_BROWSER=" + a + "; Path=/; HttpOnly");
    EXPECT_EQ(rd::browser_id_in(rd::browser_cookie_for(a)), a) << "what the server gives, it reads back";
}

} // namespace
