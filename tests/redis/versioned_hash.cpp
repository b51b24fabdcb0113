// Tests of rtnotify/redis/versioned_hash.hpp on a real redis-server: the newest version wins in Redis, whatever the order.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/redis/versioned_hash.hpp>

#include "redis/io_loop.hpp"
#include "redis/redis_server.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace {

namespace rd = rtnotify::redis;
using rtnotify_tests::run_until;

class RedisVersionedHash : public rtnotify_tests::with_redis
{
protected:
    rd::bus_options options(std::string id)
    {
        rd::bus_options o;
        o.where = redis.address();
        o.node_id = std::move(id);
        o.channel = "test";
        return o;
    }

    /// Every field of `h` and its value, as Redis holds them now.
    std::map<std::string, std::string> read(rd::versioned_hash& h)
    {
        std::map<std::string, std::string> all;
        bool done = false, ok = false;
        EXPECT_TRUE(h.read_all([&](std::string_view f, std::string_view v) { all.emplace(f, v); },
                               [&](bool good) { done = true, ok = good; }));
        EXPECT_TRUE(run_until(ioc, [&] { return done; }));
        EXPECT_TRUE(ok);
        return all;
    }
};

TEST_F(RedisVersionedHash, TheNewestVersionWinsWhateverTheOrderOfTheWrites)
{
    rd::bus a(ioc.get_executor(), options("A"), {}), b(ioc.get_executor(), options("B"), {});
    a.start();
    b.start();
    ASSERT_TRUE(run_until(ioc, [&] { return a.counters().up && b.counters().up; }));
    rd::versioned_hash ha(a, "test:docs"), hb(b, "test:docs");

    EXPECT_TRUE(ha.put("d", 2, "a", "a2"));
    EXPECT_TRUE(hb.put("d", 1, "z", "z1")); // older, though its writer sorts last
    EXPECT_TRUE(ha.put("e", 3, "a", "a3"));
    EXPECT_TRUE(hb.put("e", 3, "b", "b3")); // a tie: the writer that sorts last
    EXPECT_TRUE(hb.put("f", 3, "b", "b3"));
    EXPECT_TRUE(ha.put("f", 3, "a", "a3"));
    EXPECT_TRUE(ha.put("g", 1, "a", "g1"));
    EXPECT_TRUE(hb.put("g", 1, "z", "", true)); // a removal never wins a tie
    EXPECT_TRUE(ha.put("h", 1, "a", "h1"));
    EXPECT_TRUE(hb.put("h", 2, "b", "", true));   // a newer removal does
    EXPECT_TRUE(ha.put("i", 5, "a", "", true));   // removing what is not there changes nothing
    EXPECT_TRUE(ha.put("line\nfeed", 1, "a", "x\ny")); // fields and values are bytes
    read(hb); // answered after b's writes, on b's connection
    auto const all = read(ha);
    EXPECT_EQ(all, (std::map<std::string, std::string>{
                       {"d", "a2"}, {"e", "b3"}, {"f", "b3"}, {"g", "g1"}, {"line\nfeed", "x\ny"}}));
    EXPECT_EQ(ha.not_stored() + hb.not_stored(), 0u);
    a.stop();
    b.stop();
}

TEST_F(RedisVersionedHash, WritesRedisDoesNotTakeAreCounted)
{
    rd::bus a(ioc.get_executor(), options("A"), {});
    rd::versioned_hash h(a, "test:docs", 2);
    EXPECT_FALSE(h.put("d", 1, "a", "v")) << "not connected";
    EXPECT_FALSE(h.read_all([](std::string_view, std::string_view) {}, [](bool) {}));
    a.start();
    ASSERT_TRUE(run_until(ioc, [&] { return a.counters().up; }));
    EXPECT_TRUE(h.put("d", 1, "a", "v"));
    EXPECT_TRUE(h.put("d", 2, "a", "v"));
    EXPECT_FALSE(h.put("d", 3, "a", "v")) << "two writes unanswered: the bound";
    EXPECT_EQ(h.not_stored(), 2u);
    EXPECT_EQ(read(h), (std::map<std::string, std::string>{{"d", "v"}}));
    EXPECT_TRUE(h.put("d", 3, "a", "w")) << "answered: room again";
    EXPECT_EQ(read(h).at("d"), "w");
    a.stop();
}

} // namespace
