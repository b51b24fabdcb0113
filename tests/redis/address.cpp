// Tests of reading Redis URLs (rtnotify/redis/address.hpp).
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/redis/address.hpp>

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace {

using rtnotify::redis::address;
using rtnotify::redis::parse_address;

address ok(std::string_view url)
{
    auto r = parse_address(url);
    EXPECT_TRUE(std::holds_alternative<address>(r)) << url << ": " << (r.index() ? std::get<1>(r) : "");
    return r.index() ? address{} : std::get<address>(r);
}

std::string refused(std::string_view url)
{
    auto r = parse_address(url);
    EXPECT_TRUE(std::holds_alternative<std::string>(r)) << url;
    return r.index() ? std::get<std::string>(r) : "";
}

TEST(RedisAddress, ReadsHostPortAndDatabase)
{
    auto a = ok("redis://127.0.0.1");
    EXPECT_EQ(a.host, "127.0.0.1");
    EXPECT_EQ(a.port, 6379);
    EXPECT_EQ(a.database, 0u);
    EXPECT_FALSE(a.password);
    a = ok("redis://cache.example:6380/3");
    EXPECT_EQ(a.host, "cache.example");
    EXPECT_EQ(a.port, 6380);
    EXPECT_EQ(a.database, 3u);
    a = ok("redis://[::1]:7000");
    EXPECT_EQ(a.host, "::1");
    EXPECT_EQ(a.port, 7000);
    EXPECT_EQ(a.display(), "redis://[::1]:7000");
}

TEST(RedisAddress, ReadsThePasswordAndTheAclUserDecoded)
{
    auto a = ok("redis://:s%40cret@h");
    EXPECT_EQ(a.user, "");
    EXPECT_EQ(a.password, "s@cret");
    a = ok("redis://app:p:w%40d!@h:1/2");
    EXPECT_EQ(a.user, "app");
    EXPECT_EQ(a.password, "p:w@d!");
    EXPECT_EQ(a.display(), "redis://app@h:1/2"); // never the password
}

TEST(RedisAddress, ReadsUnixSockets)
{
    auto const a = ok("unix:/run/redis/redis.sock");
    EXPECT_EQ(a.unix_path, "/run/redis/redis.sock");
    EXPECT_EQ(a.host, "");
    EXPECT_EQ(a.display(), "unix:/run/redis/redis.sock");
}

TEST(RedisAddress, SaysWhatIsWrong)
{
    EXPECT_EQ(refused("http://h"), "not a redis:// or unix: URL");
    EXPECT_EQ(refused("unix:relative.sock"), "unix: needs the absolute path of a socket (unix:/run/redis/redis.sock)");
    EXPECT_EQ(refused("unix:/run/"), "unix: needs the absolute path of a socket (unix:/run/redis/redis.sock)");
    EXPECT_EQ(refused("unix:/a\nb"), "a control character in the path");
    EXPECT_EQ(refused("redis://user@h"), "a user without a password (redis://user:password@host)");
    EXPECT_EQ(refused("redis://:%4@h"), "a malformed %XX escape in the user or password");
    EXPECT_EQ(refused("redis://"), "no host");
    EXPECT_EQ(refused("redis://:pw@:1"), "no host");
    EXPECT_EQ(refused("redis://h:"), "an empty port");
    EXPECT_EQ(refused("redis://h:0"), "the port is not a number from 1 to 65535");
    EXPECT_EQ(refused("redis://h:65536"), "the port is not a number from 1 to 65535");
    EXPECT_EQ(refused("redis://h:12ab"), "the port is not a number from 1 to 65535");
    EXPECT_EQ(refused("redis://h/x"), "the database after / is not a number");
    EXPECT_EQ(refused("redis://h/"), "the database after / is not a number");
    EXPECT_EQ(refused("redis://[::1"), "an IPv6 address without its closing ]");
    EXPECT_EQ(refused("redis://[::1]x"), "something other than :port after ]");
    EXPECT_EQ(refused("redis://[::1]:"), "an empty port");
    EXPECT_EQ(refused("redis://u:p@d@h"), "a host that is not a name or an IP address");
    EXPECT_EQ(refused("redis://u:p w@h"), "a character in the user or password that must be %XX-escaped");
    EXPECT_EQ(refused("redis://u%0a:p@h"), "a control character in the user");
    EXPECT_EQ(refused("redis://h%20x"), "a host that is not a name or an IP address");
    EXPECT_EQ(refused(std::string("redis://h\0", 10)), "a host that is not a name or an IP address");
}

} // namespace
