// Tests of rtnotify/beast/endpoint.hpp: URLs, credentials, TLS settings and header lines; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/endpoint.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace rb = rtnotify::beast;

rb::endpoint endpoint_of(std::string const& url, rb::endpoint_options const& o = {})
{
    auto t = rb::parse_endpoint(url, o);
    EXPECT_TRUE(std::holds_alternative<rb::endpoint>(t)) << std::get<std::string>(t);
    return std::get<rb::endpoint>(std::move(t));
}

std::string endpoint_refusal(std::string const& url, rb::endpoint_options const& o = {})
{
    auto t = rb::parse_endpoint(url, o);
    EXPECT_TRUE(std::holds_alternative<std::string>(t)) << url;
    return std::holds_alternative<std::string>(t) ? std::get<std::string>(t) : "";
}

TEST(BeastEndpoint, SchemesDecideTlsAndTheDefaultPort)
{
    auto const plain = endpoint_of("http://example.com/bayeux");
    EXPECT_FALSE(plain.tls);
    EXPECT_EQ(plain.port, "80");
    EXPECT_EQ(plain.path, "/bayeux");
    EXPECT_EQ(plain.tls_context, nullptr);
    auto const secure = endpoint_of("https://example.com");
    EXPECT_TRUE(secure.tls);
    EXPECT_EQ(secure.port, "443");
    EXPECT_EQ(secure.path, "/");
    EXPECT_NE(secure.tls_context, nullptr);
    EXPECT_TRUE(endpoint_of("wss://example.com:8443/cometd").tls);
    EXPECT_FALSE(endpoint_of("ws://example.com/cometd").tls);
}

TEST(BeastEndpoint, Ipv6HostsLoseTheirBracketsButKeepThemInTheAuthority)
{
    auto const t = endpoint_of("http://[::1]:8080/bayeux");
    EXPECT_EQ(t.host, "::1");
    EXPECT_EQ(t.authority(), "[::1]:8080");
    EXPECT_EQ(t.url(), "http://[::1]:8080/bayeux");
}

TEST(BeastEndpoint, UserinfoBecomesBasicAuthenticationAndLeavesTheUrl)
{
    auto const t = endpoint_of("https://al%20ice:p%3Ass@example.com/bayeux"); // "al ice" : "p:ss", percent-decoded
    ASSERT_EQ(t.headers.size(), 1u);
    EXPECT_EQ(t.headers[0].first, "Authorization");
    EXPECT_EQ(t.headers[0].second, "Basic YWwgaWNlOnA6c3M=");
    EXPECT_EQ(t.url(), "https://example.com:443/bayeux");
}

TEST(BeastEndpoint, UserOptionWinsOverTheUrlAndHeadersFollow)
{
    rb::endpoint_options o;
    o.user = "bob:secret";
    o.headers = {{"X-Tenant", "t1"}};
    auto const t = endpoint_of("http://x:y@example.com/", o);
    ASSERT_EQ(t.headers.size(), 2u);
    EXPECT_EQ(t.headers[0].second, "Basic Ym9iOnNlY3JldA==");
    EXPECT_EQ(t.headers[1], (rb::header{"X-Tenant", "t1"}));
}

TEST(BeastEndpoint, RefusalsSayWhatIsWrong)
{
    EXPECT_NE(endpoint_refusal("ftp://example.com/").find("scheme"), std::string::npos);
    EXPECT_NE(endpoint_refusal("http://example.com:99999/").find("port"), std::string::npos);
    EXPECT_NE(endpoint_refusal("http://example.com/b?x=1").find("query"), std::string::npos);
    EXPECT_NE(endpoint_refusal("not a url").find("not a URL"), std::string::npos);
    rb::endpoint_options user;
    user.user = "no-colon";
    EXPECT_NE(endpoint_refusal("http://example.com/", user).find("NAME:PASSWORD"), std::string::npos);
    rb::endpoint_options insecure;
    insecure.insecure = true;
    EXPECT_NE(endpoint_refusal("http://example.com/", insecure).find("https://"), std::string::npos);
    rb::endpoint_options cacert;
    cacert.cacert = "/nonexistent/ca.pem";
    EXPECT_NE(endpoint_refusal("https://example.com/", cacert).find("/nonexistent/ca.pem"), std::string::npos);
}

TEST(BeastEndpoint, HostsPortsAndPathsAsRfc3986WritesThem)
{
    auto const e = endpoint_of("HTTP://127.0.0.1:8080/bayeux/x");
    EXPECT_EQ(e.host, "127.0.0.1");
    EXPECT_EQ(e.port, "8080");
    EXPECT_EQ(e.path, "/bayeux/x");
    EXPECT_TRUE(e.headers.empty());
    EXPECT_EQ(endpoint_of("ws://[::1]:9/x/y").host, "::1");
    EXPECT_EQ(endpoint_of("http://example.org").path, "/");
    EXPECT_EQ(endpoint_of("http://example.org:81").port, "81");
    EXPECT_EQ(endpoint_of("http://user@example.org/").headers[0].second, "Basic dXNlcjo="); // "user:"
    EXPECT_NE(endpoint_refusal("http://:80/").find("no host"), std::string::npos);
    EXPECT_NE(endpoint_refusal("http://h:8x/").find("'8x'"), std::string::npos);
    EXPECT_NE(endpoint_refusal("http://h:0/").find("port"), std::string::npos);
    EXPECT_NE(endpoint_refusal("http://[::1/").find("']'"), std::string::npos);
    EXPECT_NE(endpoint_refusal("http://[::1]x/").find("after the IPv6"), std::string::npos);
    EXPECT_NE(endpoint_refusal("http://[zz]/").find("IPv6"), std::string::npos);
    EXPECT_NE(endpoint_refusal("http://ex ample.org/").find("host holds ' '"), std::string::npos);
    EXPECT_NE(endpoint_refusal("http://example.org/a b").find("path"), std::string::npos);
    EXPECT_NE(endpoint_refusal("http://example.org/a\r\n").find("path"), std::string::npos);
    EXPECT_NE(endpoint_refusal("http://a%2:b@example.org/").find("%-escape"), std::string::npos);
    EXPECT_NE(endpoint_refusal("http://example.org#top").find("fragment"), std::string::npos);
}

TEST(BeastEndpoint, InsecureTurnsVerificationOff)
{
    rb::endpoint_options o;
    o.insecure = true;
    EXPECT_FALSE(endpoint_of("https://example.com/", o).verify);
    EXPECT_TRUE(endpoint_of("https://example.com/").verify);
}

TEST(BeastEndpoint, HeaderLinesAreTrimmedAndChecked)
{
    EXPECT_EQ(rb::parse_header_line("X-Api-Key:  abc "), (rb::header{"X-Api-Key", "abc"}));
    EXPECT_EQ(rb::parse_header_line("Cookie: a=b; c=d"), (rb::header{"Cookie", "a=b; c=d"}));
    EXPECT_FALSE(rb::parse_header_line("no colon"));
    EXPECT_FALSE(rb::parse_header_line(": empty name"));
    EXPECT_FALSE(rb::parse_header_line("Bad Name: x"));
    EXPECT_FALSE(rb::parse_header_line("X: a\r\nInjected: b"));
}

} // namespace
