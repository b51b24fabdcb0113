// Randomized model test of the session engines: many clients doing random
// operations over a network that loses requests and replies (long-polling),
// or breaks each client's socket with every loss (WebSocket). With
// acknowledgements on, every message reaches each session that was subscribed
// when it was published exactly once, in publish order, unless an overflow
// was reported to that session. The same holds for reliable SmartREST devices
// (`88` batches) through the bridge.
// SPDX-License-Identifier: BSL-1.0

#include "device_link.hpp"
#include "pair.hpp"

#include <rtnotify/bayeux/channel.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace rtnotify_test;
using namespace std::chrono_literals;

/// Operations per seed (13 seeds); RTNOTIFY_MODEL_OPS overrides.
std::size_t ops_per_seed()
{
    if(char const* e = std::getenv("RTNOTIFY_MODEL_OPS"))
        return std::strtoull(e, nullptr, 10);
    return 50000;
}

std::int64_t key_of(bx::message const& m)
{
    return m.data->at("p").to_number<std::int64_t>() * 1000000000 + m.data->at("s").to_number<std::int64_t>();
}

struct model_case
{
    std::uint64_t seed;
    std::size_t max_queue; ///< small values make overflows happen
    bool sockets = false;  ///< WebSocket-style: one socket per client, broken by every loss
};

class SessionModel : public testing::TestWithParam<model_case>
{
};

TEST_P(SessionModel, ExactlyOnceInOrder)
{
    auto const [seed, max_queue, sockets] = GetParam();
    constexpr std::size_t n_clients = 8;
    static char const* const names[] = {"/a", "/a/b", "/a/c", "/b", "/b/x/y", "/c"};
    static char const* const patterns[] = {"/a", "/a/b", "/b", "/c", "/a/*", "/a/**", "/**", "/b/**", "/b/x/*"};

    ss::server_options so;
    so.max_queue = max_queue;
    so.max_batch = 7;
    so.max_interval = 1h; // sessions must not expire here: backoff stays far below
    network net(so);
    net.rng.seed(seed);
    net.lose_request = 0.05;
    net.lose_reply = 0.1;
    net.sockets = sockets;
    ss::client_options co;
    co.max_backoff = 3s;
    if(sockets)
        co.connection_types = {"websocket"};

    // The model: each session's subscriptions as the server received them,
    // and the deliveries each session must get, in order.
    std::map<std::string, std::set<std::string>> subs;
    std::map<std::string, std::vector<std::int64_t>> expected;
    net.on_request = [&](std::size_t, std::vector<bx::message> const& batch) {
        for(auto const& m : batch)
        {
            if(!m.client_id || !net.srv->has_session(*m.client_id))
                continue;
            auto const kind = bx::kind_of(m.channel);
            if(kind == bx::message_kind::subscribe)
                subs[*m.client_id].insert(m.subscription->begin(), m.subscription->end());
            else if(kind == bx::message_kind::unsubscribe)
                for(auto const& ch : *m.subscription)
                    subs[*m.client_id].erase(ch);
            else if(kind == bx::message_kind::publish)
                for(auto const& [sid, set] : subs)
                    if(std::any_of(set.begin(), set.end(), [&](auto const& p) { return bx::matches(p, m.channel); }))
                        expected[sid].push_back(key_of(m));
        }
    };

    for(std::size_t i = 0; i < n_clients; ++i)
    {
        net.add_client(co);
        net.client(i).handshake(net.now);
    }
    net.pump();

    std::mt19937_64 rng(seed * 7919 + 1);
    auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    std::vector<std::int64_t> seq(n_clients, 0);
    auto const ops = ops_per_seed();
    for(std::size_t op = 0; op < ops; ++op)
    {
        auto const c = pick(n_clients);
        auto const r = pick(100);
        if(r < 10)
            net.client(c).subscribe(patterns[pick(std::size(patterns))]);
        else if(r < 16)
            net.client(c).unsubscribe(patterns[pick(std::size(patterns))]);
        else if(r < 70)
            net.client(c).publish(names[pick(std::size(names))], {{"p", c}, {"s", ++seq[c]}});
        else if(r < 95)
            net.advance(ss::duration(pick(400)));
        else
            net.advance(ss::duration(pick(5000)));
        net.pump();
    }
    net.lose_request = 0;
    net.lose_reply = 0;
    net.advance(5min); // quiet network: everything queued drains

    // Each client kept the one session it got (a session whose handshake
    // reply was lost is never used, and expires: that is fine).
    std::set<std::string> used;
    for(std::size_t i = 0; i < n_clients; ++i)
    {
        std::size_t handshakes = 0;
        for(auto const& e : net.events[i])
            if(auto const* r = std::get_if<ss::replied>(&e); r && r->reply.channel == "/meta/handshake")
                handshakes += r->reply.successful == true;
        EXPECT_EQ(handshakes, 1u) << "client " << i;
        used.insert(net.client(i).client_id());
    }
    std::set<std::string> overflowed;
    for(auto const& e : net.server_events)
    {
        if(auto const* o = std::get_if<ss::overflowed>(&e))
            overflowed.insert(o->client_id);
        if(auto const* c = std::get_if<ss::session_closed>(&e))
        {
            EXPECT_FALSE(used.contains(c->client_id)) << "reason " << static_cast<int>(c->reason);
        }
    }
    std::size_t checked = 0;
    for(std::size_t i = 0; i < n_clients; ++i)
    {
        auto const& id = net.client(i).client_id();
        ASSERT_EQ(net.client(i).state(), ss::client_state::connected);
        EXPECT_EQ(net.srv->pending(id), 0u);
        std::vector<std::int64_t> got;
        for(auto const& d : net.deliveries(i))
            got.push_back(key_of(d));
        auto const& want = expected[id];
        if(!overflowed.contains(id))
        {
            EXPECT_EQ(got, want) << "client " << i;
            checked += want.size();
            continue;
        }
        // with an overflow: what arrived is a subsequence of what was due, without repeats
        std::size_t w = 0;
        for(auto const k : got)
        {
            while(w < want.size() && want[w] != k)
                ++w;
            ASSERT_LT(w, want.size()) << "client " << i << " got an unexpected or repeated message";
            ++w;
        }
    }
    if(max_queue >= 1000)
    {
        EXPECT_TRUE(overflowed.empty());
        EXPECT_GT(checked, ops / 4);
    }
    else
        EXPECT_FALSE(overflowed.empty());
}

INSTANTIATE_TEST_SUITE_P(Seeds, SessionModel,
                         testing::Values(model_case{1, 1000}, model_case{2, 1000}, model_case{3, 1000},
                                         model_case{4, 1000}, model_case{5, 1000}, model_case{6, 1000},
                                         model_case{7, 1000}, model_case{8, 1000}, model_case{9, 5},
                                         model_case{10, 5}, model_case{11, 1000, true}, model_case{12, 1000, true},
                                         model_case{13, 5, true}),
                         [](testing::TestParamInfo<model_case> const& i) {
                             return "seed" + std::to_string(i.param.seed) + "_queue" + std::to_string(i.param.max_queue) +
                                    (i.param.sockets ? "_sockets" : "");
                         });

class DeviceModel : public testing::TestWithParam<std::uint64_t>
{
};

TEST_P(DeviceModel, ReliableDevicesGetEveryRowExactlyOnceInOrder)
{
    auto const seed = GetParam();
    constexpr std::size_t n_devices = 6;
    ss::server_options so;
    so.max_batch = 5;
    so.max_interval = 1h; // sessions must not expire here: backoff stays far below
    device_link link(so);
    link.rng.seed(seed);
    link.lose_request = 0.05;
    link.lose_reply = 0.1;
    link.late_reply = 0.05;

    // The model: each session's channels as the server received its 81 lines,
    // and the alarm ids each session must get, in order.
    std::map<std::string, std::set<std::string>> subs;
    std::map<std::string, std::vector<std::string>> expected;
    link.on_request = [&](std::size_t, std::string const& body) {
        auto const doc = sr::decode(body);
        ASSERT_TRUE(doc);
        for(auto const r : *doc)
            if(r[0] == "81" && link.srv->has_session(r[1]))
                subs[std::string(r[1])].insert(std::string(r[2]));
    };
    std::vector<std::string> const channels = {"/d0", "/d1", "/d2", "/d3", "/d4", "/d5", "/all"};
    for(std::size_t i = 0; i < n_devices; ++i)
    {
        ss::device_options o;
        o.xid = "alarms";
        o.channels = {channels[i], "/all"};
        o.reliable = true;
        o.max_backoff = 3s;
        link.add_device(o);
        link.device(i).start(link.now);
    }
    link.pump();

    std::mt19937_64 rng(seed * 7919 + 1);
    auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    std::size_t seq = 0;
    auto const ops = ops_per_seed() / 4;
    for(std::size_t op = 0; op < ops; ++op)
    {
        auto const r = pick(100);
        if(r < 60)
        {
            auto const& ch = channels[pick(channels.size())];
            auto const id = std::to_string(++seq);
            for(auto const& [cid, set] : subs)
                if(set.contains(ch))
                    expected[cid].push_back(id);
            link.publish(ch, alarm_notification(id));
        }
        else if(r < 95)
            link.advance(ss::duration(pick(400)));
        else
            link.advance(ss::duration(pick(5000)));
    }
    link.lose_request = 0;
    link.lose_reply = 0;
    link.late_reply = 0;
    link.advance(5min); // quiet network: everything queued drains

    std::size_t checked = 0;
    for(std::size_t i = 0; i < n_devices; ++i)
    {
        // one handshake got through to each device, and its session lived on
        auto const states = link.states(i);
        EXPECT_EQ(std::count(states.begin(), states.end(), ss::device_state::subscribing), 1) << "device " << i;
        ASSERT_EQ(link.device(i).state(), ss::device_state::connected);
        auto const& id = link.device(i).client_id();
        EXPECT_EQ(link.srv->pending(id), 0u);
        std::vector<std::string> got;
        for(auto const& row : link.rows(i))
            got.push_back(row.substr(row.find(',') + 1, row.rfind(',') - row.find(',') - 1));
        EXPECT_EQ(got, expected[id]) << "device " << i;
        checked += got.size();
    }
    EXPECT_GT(checked, ops / 4);
}

INSTANTIATE_TEST_SUITE_P(Seeds, DeviceModel, testing::Values(1, 2, 3),
                         [](testing::TestParamInfo<std::uint64_t> const& i) { return "seed" + std::to_string(i.param); });

} // namespace
