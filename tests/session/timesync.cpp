// Tests of rtnotify/session/timesync.hpp, and of the server engine answering timesync; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/session/timesync.hpp>

#include "harness.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <chrono>

namespace {

using namespace rtnotify_test;

bx::message with_ext(std::string const& ext)
{
    bx::message m;
    m.channel = "/meta/connect";
    m.ext = boost::json::parse(ext).as_object();
    return m;
}

TEST(SessionTimesync, ReadsTheClientsFieldsAndRefusesOthers)
{
    auto const t = ss::read_timesync(with_ext(R"({"timesync":{"tc":1000,"l":20,"o":-300}})"), 1500);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->tc, 1000);
    EXPECT_EQ(t->l, 20);
    EXPECT_EQ(t->o, -300);
    EXPECT_EQ(t->ts, 1500);
    EXPECT_TRUE(ss::read_timesync(with_ext(R"({"timesync":{"tc":1000.6}})"), 0)); // l and o absent: 0
    EXPECT_FALSE(ss::read_timesync(with_ext(R"({"timesync":{"l":1}})"), 0));      // no tc
    EXPECT_FALSE(ss::read_timesync(with_ext(R"({"timesync":{"tc":"1000"}})"), 0));
    EXPECT_FALSE(ss::read_timesync(with_ext(R"({"timesync":{"tc":1e300}})"), 0));
    EXPECT_FALSE(ss::read_timesync(with_ext(R"({"timesync":{"tc":1,"o":-1e300}})"), 0));
    EXPECT_FALSE(ss::read_timesync(with_ext(R"({"timesync":[1]})"), 0));
    EXPECT_FALSE(ss::read_timesync(with_ext(R"({"other":1})"), 0));
}

TEST(SessionTimesync, TheReplyLetsTheClientComputeLagAndOffset)
{
    ss::timesync_request t;
    t.tc = 10'000; // sent by the client at its 10,000
    t.l = 5;
    t.o = 4'990;
    t.ts = 15'010; // arrived at the server's 15,010: the client's clock is 5,000 behind, the lag 10
    bx::message reply;
    ss::write_timesync(reply, t, 15'030); // answered 20 ms later
    auto const& ts = reply.ext->at(ss::timesync_key).as_object();
    EXPECT_EQ(ts.at("tc"), 10'000);
    EXPECT_EQ(ts.at("ts"), 15'010);
    EXPECT_EQ(ts.at("p"), 20);
    EXPECT_EQ(ts.at("a"), -15); // 10,000 + 4,990 + 5 - 15,010
    // the client, receiving it at its 10,040: lag (10,040 - 10,000 - 20) / 2 = 10, offset 15,010 - 10,000 - 10
    std::int64_t const lag = (10'040 - 10'000 - ts.at("p").as_int64()) / 2;
    EXPECT_EQ(lag, 10);
    EXPECT_EQ(ts.at("ts").as_int64() - ts.at("tc").as_int64() - lag, 5'000);
}

TEST(SessionTimesync, TheServerAnswersHandshakesAndConnectsIncludingHeldOnes)
{
    std::int64_t wall = 50'000;
    ss::server_options o;
    o.wall_clock_ms = [&] { return wall; };
    server_fixture f(o);
    auto hs = f.call(R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"],)"
                     R"("ext":{"timesync":{"tc":40000,"l":0,"o":0}}})");
    ASSERT_EQ(hs.size(), 1u);
    ASSERT_TRUE(hs[0].ext);
    EXPECT_EQ(hs[0].ext->at("timesync"), boost::json::parse(R"({"tc":40000,"ts":50000,"p":0,"a":-10000})"));
    auto const id = *hs[0].client_id;
    f.call(f.connect(id));
    auto const held = f.post(f.connect(id, R"("ext":{"timesync":{"tc":41000}})"));
    EXPECT_FALSE(f.response(held));
    wall += 20'000; // the hold passes
    f.advance_to(f.now + f.srv.options().timeout);
    auto r = f.response(held);
    ASSERT_TRUE(r);
    ASSERT_TRUE((*r)[0].ext);
    EXPECT_EQ((*r)[0].ext->at("timesync"), boost::json::parse(R"({"tc":41000,"ts":50000,"p":20000,"a":-9000})"));
    // a message without the extension gets none
    auto plain = f.call(f.connect(id, R"("advice":{"timeout":0})"));
    EXPECT_FALSE(plain[0].ext && plain[0].ext->contains("timesync"));
}

TEST(SessionTimesync, WithoutAClockTheServerGivesNoReply)
{
    server_fixture f;
    auto hs = f.call(R"({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"],)"
                     R"("ext":{"timesync":{"tc":40000}}})");
    EXPECT_FALSE(hs[0].ext && hs[0].ext->contains("timesync"));
}

} // namespace
