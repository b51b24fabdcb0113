// bench_session: the server engine's fan-out and channel index.
// SPDX-License-Identifier: BSL-1.0
//
// - fanout_push/N and fanout_longpoll/N: one publish reaching N subscribed
//   sessions (pushed on WebSocket; or releasing N held long-polling connects,
//   which are then held again), deliveries per second; baseline: copying the
//   delivery into N per-recipient vectors, the least any server must do.
// - publish_channels/N: publishes to N distinct channels, N sessions each
//   subscribed to a wildcard pattern matching one of them; baseline: the
//   same publishes matched by scanning every subscription (no index).
// - idle_session_memory/N: heap bytes per idle session (handshake, one
//   connect answered, one subscription), from mallinfo2 before and after.
// - close_exchange/N: a socket closing on a server with N long-polling
//   sessions (none of them on that socket); baseline: the same close on a
//   server with no session. The cost must not grow with N.
#include "engine_fixture.hpp"
#include "ratio_reporter.hpp"

#include <rtnotify/bayeux/channel.hpp>
#include <rtnotify/session/server.hpp>

#include <benchmark/benchmark.h>

#include <malloc.h>

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace {

using namespace rtnotify_bench;

/// One publish to `n` sessions on `type` per iteration; long-polling sessions then connect again.
void fanout(benchmark::State& state, char const* type, bool connect_again)
{
    auto const n = static_cast<std::size_t>(state.range(0));
    populated p(n, [](std::size_t) { return std::string("/news"); }, type);
    p.hold_all(type);
    auto const m = payload("/news");
    std::vector<ss::server_action> actions;
    for(auto _ : state)
    {
        p.srv.publish(m, {});
        p.srv.take_actions(actions);
        benchmark::DoNotOptimize(actions.data());
        if(connect_again)
            p.hold_all(type);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

void fanout_push(benchmark::State& state)
{
    fanout(state, "websocket", false);
}

void fanout_longpoll(benchmark::State& state)
{
    fanout(state, "long-polling", true);
}

void baseline_fanout(benchmark::State& state)
{
    auto const n = static_cast<std::size_t>(state.range(0));
    auto const m = payload("/news");
    for(auto _ : state)
    {
        std::vector<std::vector<bx::message>> out(n);
        for(auto& v : out)
            v.push_back(m);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

std::string channel_name(std::size_t i)
{
    return "/devices/" + std::to_string(i) + "/temperature";
}

std::string channel_pattern(std::size_t i)
{
    return "/devices/" + std::to_string(i) + "/*";
}

void publish_channels(benchmark::State& state)
{
    auto const n = static_cast<std::size_t>(state.range(0));
    populated p(n, channel_pattern, "websocket");
    p.hold_all("websocket");
    std::vector<bx::message> msgs;
    for(std::size_t i = 0; i < n; ++i)
        msgs.push_back(payload(channel_name(i)));
    std::size_t i = 0;
    std::vector<ss::server_action> actions;
    for(auto _ : state)
    {
        p.srv.publish(msgs[i], {});
        i = (i + 1) % n;
        p.srv.take_actions(actions);
        benchmark::DoNotOptimize(actions.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void baseline_publish_channels(benchmark::State& state)
{
    auto const n = static_cast<std::size_t>(state.range(0));
    std::vector<std::pair<std::string, std::size_t>> subs;
    for(std::size_t k = 0; k < n; ++k)
        subs.emplace_back(channel_pattern(k), k);
    std::vector<bx::message> msgs;
    for(std::size_t k = 0; k < n; ++k)
        msgs.push_back(payload(channel_name(k)));
    std::size_t i = 0;
    for(auto _ : state)
    {
        std::vector<std::pair<std::size_t, bx::message>> out;
        for(auto const& [pattern, who] : subs)
            if(bx::matches(pattern, msgs[i].channel))
                out.emplace_back(who, msgs[i]);
        i = (i + 1) % n;
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void idle_session_memory(benchmark::State& state)
{
    auto const n = static_cast<std::size_t>(state.range(0));
    double per_session = 0;
    for(auto _ : state)
    {
        auto const before = mallinfo2().uordblks;
        {
            populated p(n, [](std::size_t i) { return "/devices/" + std::to_string(i); }, "long-polling");
            per_session = double(mallinfo2().uordblks - before) / double(n);
            benchmark::DoNotOptimize(p.ids.data());
        }
    }
    state.counters["bytes_per_session"] = per_session;
}

/// One socket closing among `n` sessions that are not on it.
void close_exchange_among(benchmark::State& state, std::size_t n)
{
    populated p(n, [](std::size_t i) { return "/devices/" + std::to_string(i); }, "long-polling");
    ss::exchange_id socket = 1'000'000'000;
    for(auto _ : state)
        p.srv.close_exchange(socket++, {});
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void close_exchange(benchmark::State& state)
{
    close_exchange_among(state, static_cast<std::size_t>(state.range(0)));
}

void baseline_close_exchange(benchmark::State& state)
{
    close_exchange_among(state, 0);
}

BENCHMARK(close_exchange)->Arg(100000);
BENCHMARK(baseline_close_exchange)->Arg(100000);
BENCHMARK(fanout_push)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(fanout_longpoll)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(baseline_fanout)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(publish_channels)->Arg(10000);
BENCHMARK(baseline_publish_channels)->Arg(10000);
BENCHMARK(idle_session_memory)->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv)
{
    return rtnotify_bench::run(argc, argv);
}
