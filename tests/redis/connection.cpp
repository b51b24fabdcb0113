// Tests of one hiredis connection on Asio (rtnotify/redis/connection.hpp), against a real redis-server.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/redis/connection.hpp>

#include "redis/io_loop.hpp"
#include "redis/redis_server.hpp"

#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace {

using rtnotify::redis::connection;

using rtnotify_tests::run_until;
using rtnotify_tests::spin;

class RedisConnection : public rtnotify_tests::with_redis
{
};

TEST_F(RedisConnection, AnswersCommandsInOrder)
{
    connection c(ioc.get_executor());
    std::optional<std::string> opened;
    ASSERT_TRUE(c.open(redis.address(), [&](std::string const& why) { opened = why; }, [](std::string const&) {}));
    std::vector<std::string> replies;
    auto take = [&](redisReply const* r) {
        ASSERT_NE(r, nullptr);
        replies.push_back(r->type == REDIS_REPLY_INTEGER ? std::to_string(r->integer) : std::string(r->str, r->len));
    };
    std::string const binary("a\0b\r\n", 5);
    ASSERT_TRUE(c.command({"SET", "k", binary}, take));
    ASSERT_TRUE(c.command({"GET", "k"}, take));
    ASSERT_TRUE(c.command({"INCR", "n"}, take));
    ASSERT_TRUE(c.command({"INCR", "n"}, take));
    EXPECT_EQ(c.pending(), 4u);
    ASSERT_TRUE(run_until(ioc, [&] { return replies.size() == 4; }));
    EXPECT_EQ(opened, "");
    EXPECT_EQ(replies, (std::vector<std::string>{"OK", binary, "1", "2"}));
    EXPECT_EQ(c.pending(), 0u);
}

TEST_F(RedisConnection, SaysWhyItCannotConnect)
{
    redis.stop();
    connection c(ioc.get_executor());
    std::optional<std::string> opened;
    bool const started = c.open(redis.address(), [&](std::string const& why) { opened = why; }, [](std::string const&) {});
    run_until(ioc, [&] { return opened.has_value(); });
    EXPECT_FALSE(started && c.is_open());
    ASSERT_TRUE(opened);
    EXPECT_NE(opened->find("No such file"), std::string::npos) << *opened;
}

TEST_F(RedisConnection, ReportsTheLossAndFailsWhatWasPending)
{
    connection c(ioc.get_executor());
    std::optional<std::string> opened, closed;
    c.open(redis.address(), [&](std::string const& why) { opened = why; }, [&](std::string const& why) { closed = why; });
    ASSERT_TRUE(run_until(ioc, [&] { return opened.has_value(); }));
    bool answered = false, lost = false;
    c.command({"BLPOP", "nothing", "0"}, [&](redisReply const* r) { (r ? answered : lost) = true; }); // waits forever
    spin(ioc, 100); // sent
    redis.stop();
    ASSERT_TRUE(run_until(ioc, [&] { return closed.has_value(); }));
    EXPECT_FALSE(closed->empty());
    EXPECT_TRUE(lost);
    EXPECT_FALSE(answered);
    EXPECT_FALSE(c.is_open());
    EXPECT_FALSE(c.command({"PING"}, [](redisReply const*) {}));
}

TEST_F(RedisConnection, ClosesWithTheReasonWhenTheLoginFails)
{
    redis.stop();
    ASSERT_TRUE(redis.start({"--requirepass", "right"}));
    auto where = redis.address();
    where.password = "wrong";
    connection c(ioc.get_executor());
    std::optional<std::string> closed;
    c.open(where, [](std::string const&) {}, [&](std::string const& why) { closed = why; });
    ASSERT_TRUE(run_until(ioc, [&] { return closed.has_value(); }));
    EXPECT_TRUE(closed->starts_with("AUTH failed: WRONGPASS")) << *closed;

    where.password = "right";
    connection good(ioc.get_executor());
    std::string pong;
    good.open(where, [](std::string const&) {}, [](std::string const&) {});
    good.command({"PING"}, [&](redisReply const* r) { pong = r ? std::string(r->str, r->len) : "lost"; });
    ASSERT_TRUE(run_until(ioc, [&] { return !pong.empty(); }));
    EXPECT_EQ(pong, "PONG");
}

TEST_F(RedisConnection, SubscribesAndReceivesMessages)
{
    connection sub(ioc.get_executor()), pub(ioc.get_executor());
    sub.open(redis.address(), [](std::string const&) {}, [](std::string const&) {});
    pub.open(redis.address(), [](std::string const&) {}, [](std::string const&) {});
    bool subscribed = false;
    std::vector<std::string> got;
    sub.subscribe("ch", [&](std::string_view payload, bool confirmed) {
        if(confirmed)
            subscribed = true;
        else
            got.emplace_back(payload);
    });
    ASSERT_TRUE(run_until(ioc, [&] { return subscribed; }));
    pub.command({"PUBLISH", "other", "no"}, {});
    pub.command({"PUBLISH", "ch", "one"}, {});
    pub.command({"PUBLISH", "ch", std::string(100000, 'x')}, {});
    ASSERT_TRUE(run_until(ioc, [&] { return got.size() == 2; }));
    EXPECT_EQ(got[0], "one");
    EXPECT_EQ(got[1].size(), 100000u);
}

TEST_F(RedisConnection, DestroyingItCallsNothing)
{
    bool called = false;
    {
        connection c(ioc.get_executor());
        c.open(redis.address(), [&](std::string const&) { called = true; }, [&](std::string const&) { called = true; });
        c.command({"PING"}, [&](redisReply const*) { called = true; });
    }
    spin(ioc, 100);
    EXPECT_FALSE(called);
}

} // namespace
