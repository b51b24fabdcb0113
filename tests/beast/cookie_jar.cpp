// Tests of the client's cookie jar (rtnotify/beast/cookie_jar.hpp).
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/cookie_jar.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using rtnotify::beast::cookie_jar;

TEST(BeastCookieJar, KeepsNamesAndValuesAndSendsThemBack)
{
    cookie_jar jar;
    EXPECT_EQ(jar.header(), "");
    jar.take("BAYEUX_BROWSER=abc123; Path=/; HttpOnly");
    jar.take(" lb = node-2 ;Secure");
    EXPECT_EQ(jar.value("BAYEUX_BROWSER"), "abc123");
    EXPECT_EQ(jar.value("lb"), "node-2");
    EXPECT_EQ(jar.header(), "BAYEUX_BROWSER=abc123; lb=node-2");
    jar.take("BAYEUX_BROWSER=def; Path=/");
    EXPECT_EQ(jar.value("BAYEUX_BROWSER"), "def") << "a cookie set again is replaced";
}

TEST(BeastCookieJar, MaxAgeZeroRemovesACookie)
{
    cookie_jar jar;
    jar.take("a=1");
    jar.take("b=2");
    jar.take("a=; Max-Age=0");
    jar.take("b=2; max-age=-1");
    EXPECT_EQ(jar.header(), "");
    jar.take("c=3; Max-Age=10");
    EXPECT_EQ(jar.header(), "c=3");
}

TEST(BeastCookieJar, IgnoresWhatIsNoCookieAndWhatPassesItsBounds)
{
    cookie_jar jar;
    for(auto const* bad : {"", "novalue", "=nameless", ";a=1"})
        jar.take(bad);
    EXPECT_EQ(jar.header(), "");
    jar.take("big=" + std::string(cookie_jar::max_cookie_bytes, 'x'));
    EXPECT_EQ(jar.value("big"), "") << "name and value over max_cookie_bytes";
    jar.take("fits=" + std::string(cookie_jar::max_cookie_bytes - 4, 'x'));
    EXPECT_EQ(jar.value("fits").size(), cookie_jar::max_cookie_bytes - 4);
    for(std::size_t i = 0; i < 2 * cookie_jar::max_cookies; ++i)
        jar.take("c" + std::to_string(i) + "=v");
    EXPECT_EQ(jar.value("c" + std::to_string(cookie_jar::max_cookies - 2)), "v");
    EXPECT_EQ(jar.value("c" + std::to_string(cookie_jar::max_cookies - 1)), "") << "past max_cookies";
    jar.take("fits=again");
    EXPECT_EQ(jar.value("fits"), "again") << "a known cookie may still change when the jar is full";
}

} // namespace
