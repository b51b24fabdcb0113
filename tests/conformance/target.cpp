// Tests of target.hpp: target URLs, credentials and header lines as the command line gives them.
// SPDX-License-Identifier: BSL-1.0
#include "target.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

namespace rc = rtnotify_conformance;

rc::target target_of(std::string const& url, rc::target_options const& o = {})
{
    auto t = rc::make_target(url, o);
    EXPECT_TRUE(std::holds_alternative<rc::target>(t)) << std::get<std::string>(t);
    return std::get<rc::target>(std::move(t));
}

std::string target_refusal(std::string const& url, rc::target_options const& o = {})
{
    auto t = rc::make_target(url, o);
    EXPECT_TRUE(std::holds_alternative<std::string>(t)) << url;
    return std::holds_alternative<std::string>(t) ? std::get<std::string>(t) : "";
}

TEST(ConformanceTarget, SchemesDecideTlsAndTheDefaultPort)
{
    auto const plain = target_of("http://example.com/bayeux");
    EXPECT_FALSE(plain.tls);
    EXPECT_EQ(plain.port, "80");
    EXPECT_EQ(plain.path, "/bayeux");
    EXPECT_EQ(plain.tls_context, nullptr);
    auto const secure = target_of("https://example.com");
    EXPECT_TRUE(secure.tls);
    EXPECT_EQ(secure.port, "443");
    EXPECT_EQ(secure.path, "/");
    EXPECT_NE(secure.tls_context, nullptr);
    EXPECT_TRUE(target_of("wss://example.com:8443/cometd").tls);
    EXPECT_FALSE(target_of("ws://example.com/cometd").tls);
}

TEST(ConformanceTarget, Ipv6HostsLoseTheirBracketsButKeepThemInTheAuthority)
{
    auto const t = target_of("http://[::1]:8080/bayeux");
    EXPECT_EQ(t.host, "::1");
    EXPECT_EQ(t.authority(), "[::1]:8080");
    EXPECT_EQ(t.url(), "http://[::1]:8080/bayeux");
}

TEST(ConformanceTarget, UserinfoBecomesBasicAuthenticationAndLeavesTheUrl)
{
    auto const t = target_of("https://al%20ice:p%3Ass@example.com/bayeux"); // "al ice" : "p:ss", percent-decoded
    ASSERT_EQ(t.headers.size(), 1u);
    EXPECT_EQ(t.headers[0].first, "Authorization");
    EXPECT_EQ(t.headers[0].second, "Basic YWwgaWNlOnA6c3M=");
    EXPECT_EQ(t.url(), "https://example.com:443/bayeux");
}

TEST(ConformanceTarget, UserOptionWinsOverTheUrlAndHeadersFollow)
{
    rc::target_options o;
    o.user = "bob:secret";
    o.headers = {{"X-Tenant", "t1"}};
    auto const t = target_of("http://x:y@example.com/", o);
    ASSERT_EQ(t.headers.size(), 2u);
    EXPECT_EQ(t.headers[0].second, "Basic Ym9iOnNlY3JldA==");
    EXPECT_EQ(t.headers[1], (rc::header{"X-Tenant", "t1"}));
}

TEST(ConformanceTarget, RefusalsSayWhatIsWrong)
{
    EXPECT_NE(target_refusal("ftp://example.com/").find("scheme"), std::string::npos);
    EXPECT_NE(target_refusal("http://example.com:99999/").find("port"), std::string::npos);
    EXPECT_NE(target_refusal("http://example.com/b?x=1").find("query"), std::string::npos);
    EXPECT_NE(target_refusal("not a url").find("not a URL"), std::string::npos);
    rc::target_options user;
    user.user = "no-colon";
    EXPECT_NE(target_refusal("http://example.com/", user).find("NAME:PASSWORD"), std::string::npos);
    rc::target_options insecure;
    insecure.insecure = true;
    EXPECT_NE(target_refusal("http://example.com/", insecure).find("https://"), std::string::npos);
    rc::target_options cacert;
    cacert.cacert = "/nonexistent/ca.pem";
    EXPECT_NE(target_refusal("https://example.com/", cacert).find("/nonexistent/ca.pem"), std::string::npos);
}

TEST(ConformanceTarget, InsecureTurnsVerificationOff)
{
    rc::target_options o;
    o.insecure = true;
    EXPECT_FALSE(target_of("https://example.com/", o).verify);
    EXPECT_TRUE(target_of("https://example.com/").verify);
}

TEST(ConformanceTarget, HeaderLinesAreTrimmedAndChecked)
{
    EXPECT_EQ(rc::parse_header_line("X-Api-Key:  abc "), (rc::header{"X-Api-Key", "abc"}));
    EXPECT_EQ(rc::parse_header_line("Cookie: a=b; c=d"), (rc::header{"Cookie", "a=b; c=d"}));
    EXPECT_FALSE(rc::parse_header_line("no colon"));
    EXPECT_FALSE(rc::parse_header_line(": empty name"));
    EXPECT_FALSE(rc::parse_header_line("Bad Name: x"));
    EXPECT_FALSE(rc::parse_header_line("X: a\r\nInjected: b"));
}

} // namespace
