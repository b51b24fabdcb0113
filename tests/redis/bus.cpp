// Tests of the cluster bus (rtnotify/redis/bus.hpp): two nodes on a real redis-server, and Redis going away.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/redis/bus.hpp>

#include "redis/io_loop.hpp"
#include "redis/redis_server.hpp"

#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <algorithm>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace {

namespace rd = rtnotify::redis;
namespace cl = rtnotify::cluster;

using rtnotify_tests::run_until;

/// A node: its bus, and what the bus told it.
struct node
{
    node(boost::asio::io_context& ioc, rd::address const& where, std::string id, std::size_t max_pending_bytes = 16u << 20,
         std::size_t max_frame_bytes = 1u << 20)
        : bus(ioc.get_executor(), options(where, std::move(id), max_pending_bytes, max_frame_bytes), handlers())
    {
    }

    rd::bus_options options(rd::address const& where, std::string id, std::size_t max_pending_bytes,
                            std::size_t max_frame_bytes)
    {
        rd::bus_options o;
        o.where = where;
        o.node_id = std::move(id);
        o.channel = "test";
        o.max_pending_bytes = max_pending_bytes;
        o.max_frame_bytes = max_frame_bytes;
        o.first_retry = std::chrono::milliseconds(20);
        o.max_retry = std::chrono::milliseconds(100);
        return o;
    }

    rd::bus::handlers handlers()
    {
        rd::bus::handlers h;
        h.on_frame = [this](cl::frame const& f) { frames.push_back(std::string(f.node) + ":" + std::string(f.body)); };
        h.on_missed = [this](std::string_view from, std::uint64_t n) { missed[std::string(from)] += n; };
        h.log = [this](std::string_view line) { log.emplace_back(line); };
        return h;
    }

    std::vector<std::string> frames;
    std::map<std::string, std::uint64_t> missed;
    std::vector<std::string> log;
    rd::bus bus;
};

class RedisBus : public rtnotify_tests::with_redis
{
};

TEST_F(RedisBus, EveryFrameReachesTheOtherNodesOnceInOrder)
{
    node a(ioc, redis.address(), "A"), b(ioc, redis.address(), "B"), c(ioc, redis.address(), "C");
    a.bus.start();
    b.bus.start();
    c.bus.start();
    ASSERT_TRUE(run_until(ioc, [&] { return a.bus.counters().up && b.bus.counters().up && c.bus.counters().up; }));
    std::vector<std::string> expected;
    for(int i = 0; i < 500; ++i)
    {
        b.bus.publish(cl::frame_kind::bayeux, std::to_string(i));
        expected.push_back("B:" + std::to_string(i));
    }
    ASSERT_TRUE(run_until(ioc, [&] { return a.frames.size() >= 500 && c.frames.size() >= 500; }));
    run_until(ioc, [&] { return b.bus.counters().published == 500; });
    EXPECT_EQ(a.frames, expected);
    EXPECT_EQ(c.frames, expected);
    EXPECT_TRUE(b.frames.empty()); // its own frames are not handed back
    EXPECT_EQ(b.bus.counters().published, 500u);
    EXPECT_EQ(b.bus.counters().not_forwarded, 0u);
    EXPECT_EQ(a.bus.counters().received, 500u);
    EXPECT_EQ(a.bus.counters().missed, 0u);
    EXPECT_TRUE(a.missed.empty());
}

TEST_F(RedisBus, ARedisRestartIsCountedOnBothSides)
{
    node a(ioc, redis.address(), "A"), b(ioc, redis.address(), "B");
    a.bus.start();
    b.bus.start();
    ASSERT_TRUE(run_until(ioc, [&] { return a.bus.counters().up && b.bus.counters().up; }));
    b.bus.publish(cl::frame_kind::bayeux, "before");
    ASSERT_TRUE(run_until(ioc, [&] { return a.frames.size() == 1; }));

    redis.stop();
    ASSERT_TRUE(run_until(ioc, [&] { return !a.bus.counters().up && !b.bus.counters().up; }));
    b.bus.publish(cl::frame_kind::bayeux, "during 1");
    b.bus.publish(cl::frame_kind::bayeux, "during 2");
    EXPECT_EQ(b.bus.counters().not_forwarded, 2u);

    ASSERT_TRUE(redis.start());
    ASSERT_TRUE(run_until(ioc, [&] { return a.bus.counters().up && b.bus.counters().up; }));
    b.bus.publish(cl::frame_kind::bayeux, "after");
    ASSERT_TRUE(run_until(ioc, [&] { return a.frames.size() == 2; }));
    EXPECT_EQ(a.frames, (std::vector<std::string>{"B:before", "B:after"}));
    EXPECT_EQ(a.missed["B"], 2u); // the receiver knows what it never got, and from whom
    EXPECT_EQ(a.bus.counters().missed, 2u);
    EXPECT_GE(a.bus.counters().reconnects, 2u);
    auto said = [](node const& n, std::string_view what) {
        for(auto const& l : n.log)
            if(l.find(what) != std::string::npos)
                return true;
        return false;
    };
    EXPECT_TRUE(said(b, "2 publishes were not forwarded to other nodes meanwhile"));
    EXPECT_TRUE(said(a, "again in"));
}

TEST_F(RedisBus, RefusesWhatIsNotAFrameAndCountsIt)
{
    node a(ioc, redis.address(), "A");
    a.bus.start();
    ASSERT_TRUE(run_until(ioc, [&] { return a.bus.counters().up; }));
    rd::connection raw(ioc.get_executor());
    raw.open(redis.address(), [](std::string const&) {}, [](std::string const&) {});
    raw.command({"PUBLISH", "test", "hello"}, {});
    ASSERT_TRUE(run_until(ioc, [&] { return a.bus.counters().refused == 1; }));
    EXPECT_EQ(a.log.back().substr(0, 44), "redis: refused a text on test: no line feed ");
    raw.command({"PUBLISH", "test", "bayeux A i 1\nmine"}, {}); // A's id, not A's incarnation: another process
    raw.command({"PUBLISH", "test", "bayeux X i 1\nok"}, {});
    raw.command({"PUBLISH", "test", "bayeux X i 1\nagain"}, {});
    raw.command({"PUBLISH", "test", "bayeux X j 1\nrestarted"}, {}); // X restarted: numbers from 1 again
    raw.command({"PUBLISH", "test", "bayeux X j 2\nnext"}, {});
    ASSERT_TRUE(run_until(ioc, [&] { return a.frames.size() == 3; }));
    EXPECT_EQ(a.frames, (std::vector<std::string>{"X:ok", "X:restarted", "X:next"}));
    EXPECT_EQ(a.bus.counters().repeated, 1u);
    EXPECT_EQ(a.bus.counters().refused, 2u);
    EXPECT_EQ(a.bus.counters().restarts, 1u);
    EXPECT_EQ(a.bus.counters().missed, 0u);
    auto said = [&](std::string_view what) {
        return std::any_of(a.log.begin(), a.log.end(), [&](auto const& l) { return l.find(what) != std::string::npos; });
    };
    EXPECT_TRUE(said("redis: another process publishes as node A (incarnation i, this one "));
    EXPECT_TRUE(said("redis: node X started again (incarnation j): its frames count from number 1"));
}

TEST_F(RedisBus, APublishBeyondThePendingBudgetIsNotForwarded)
{
    node a(ioc, redis.address(), "A"), b(ioc, redis.address(), "B", 30);
    a.bus.start();
    b.bus.start();
    ASSERT_TRUE(run_until(ioc, [&] { return a.bus.counters().up && b.bus.counters().up; }));
    b.bus.publish(cl::frame_kind::bayeux, "small");                 // 25 bytes with its header
    b.bus.publish(cl::frame_kind::bayeux, "would pass the budget"); // not forwarded
    ASSERT_TRUE(run_until(ioc, [&] { return b.bus.counters().published == 1; }));
    b.bus.publish(cl::frame_kind::bayeux, "fits again");
    ASSERT_TRUE(run_until(ioc, [&] { return a.frames.size() == 2; }));
    EXPECT_EQ(b.bus.counters().not_forwarded, 1u);
    EXPECT_EQ(a.frames, (std::vector<std::string>{"B:small", "B:fits again"}));
    EXPECT_EQ(a.missed["B"], 1u);
}

TEST_F(RedisBus, AFrameLongerThanTheOtherNodesTakeIsNotForwarded)
{
    node a(ioc, redis.address(), "A"), b(ioc, redis.address(), "B", 16u << 20, 40);
    a.bus.start();
    b.bus.start();
    ASSERT_TRUE(run_until(ioc, [&] { return a.bus.counters().up && b.bus.counters().up; }));
    b.bus.publish(cl::frame_kind::bayeux, std::string(30, 'x')); // 50 bytes with its header
    b.bus.publish(cl::frame_kind::bayeux, "fits");               // 24
    ASSERT_TRUE(run_until(ioc, [&] { return a.frames.size() == 1; }));
    EXPECT_EQ(a.frames, (std::vector<std::string>{"B:fits"}));
    EXPECT_EQ(b.bus.counters().not_forwarded, 1u);
    EXPECT_EQ(b.log.back(), "redis: a frame of 50 bytes was not forwarded: longer than max_frame_bytes (40), which the other "
                            "nodes refuse");
}

TEST_F(RedisBus, RetriesUntilRedisComesAndStopsWhenAsked)
{
    redis.stop();
    node a(ioc, redis.address(), "A");
    a.bus.start();
    run_until(ioc, [&] { return a.bus.counters().reconnects >= 4; });
    EXPECT_FALSE(a.bus.counters().up);
    ASSERT_TRUE(redis.start());
    ASSERT_TRUE(run_until(ioc, [&] { return a.bus.counters().up; }));
    a.bus.stop();
    EXPECT_FALSE(a.bus.counters().up);
    ioc.restart();
    ioc.run_for(std::chrono::seconds(2));
    EXPECT_TRUE(ioc.stopped()); // it ran out of work: no timer, no socket left
}

} // namespace
