// bench_sharding: what the threads of a server group share on the way of a delivery, measured with 1 to 16 threads.
// SPDX-License-Identifier: BSL-1.0
//
// A shard of `beast::server_group` owns its engine and its io_context, run
// by a thread of its own; what the benchmarks measure is what the shards
// share on the way of a delivery.
//
// - group_fanout/T: T shards, each with 1,000 long-polling subscribers
//   (connecting again after each delivery); 32 publishes go in as
//   `server_group::publish` takes them: shard 0 publishes each to its
//   subscribers and hands a copy to every other shard's strand, which
//   publishes it to its own. Deliveries per second (wall time) until every
//   shard has delivered all 32; baseline: one shard on one thread making as
//   many deliveries (32 × T publishes to its 1,000), so the ratio is what T
//   threads gain over one for the same work.
// - group_address_counts: a connection counted in and out of the one
//   `address_counts` every shard shares (`max_connections_per_address`),
//   one address per thread, 1 to 16 threads; baseline: each thread with its
//   own. The shards take such a lock (one count per limit per address) when
//   a connection opens, moves or closes, when a session starts or ends, and
//   when a request body or WebSocket message is read; never per delivery.
//
// On a machine with C cores the group_fanout ratio should grow up to C
// shards and stay there beyond (shards take turns on the cores); a lock on
// the way of a delivery would make it fall instead.
#include "engine_fixture.hpp"
#include "ratio_reporter.hpp"

#include <rtnotify/session/address_counts.hpp>

#include <benchmark/benchmark.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace rtnotify_bench;
namespace asio = boost::asio;

/// Subscribers per shard, and publishes per iteration.
constexpr std::size_t subscribers_per_shard = 1000;
constexpr std::int64_t publishes = 32;

/// What a shard owns: its io_context and the thread that runs it, the strand its engine runs on, the engine.
struct shard
{
    asio::io_context context{1};
    asio::executor_work_guard<asio::io_context::executor_type> busy = asio::make_work_guard(context);
    asio::strand<asio::io_context::executor_type> strand = asio::make_strand(context);
    populated engine;
    std::vector<ss::server_action> actions;
    std::thread runner;

    explicit shard(std::size_t subscribers)
        : engine(subscribers, [](std::size_t) { return std::string("/news"); }, "long-polling")
    {
        engine.hold_all("long-polling");
        runner = std::thread([this] { context.run(); });
    }

    ~shard()
    {
        busy.reset();
        runner.join();
    }

    /// Publishes `m` to this shard's subscribers, which connect again; on the shard's strand only.
    void publish_here(bx::message const& m)
    {
        engine.srv.publish(m, {});
        engine.srv.take_actions(actions);
        benchmark::DoNotOptimize(actions.data());
        engine.hold_all("long-polling");
    }
};

/// Shards publishing as a `server_group` does: through shard 0, which hands each message to the others.
class group
{
public:
    group(std::size_t count, std::size_t subscribers)
    {
        for(std::size_t i = 0; i < count; ++i)
            shards_.push_back(std::make_unique<shard>(subscribers));
    }

    /// Publishes `m` on every shard; returns at once (`wait` for the deliveries).
    void publish(bx::message const& m)
    {
        pending_.fetch_add(static_cast<std::int64_t>(shards_.size()));
        asio::dispatch(shards_.front()->strand, [this, m] {
            shards_.front()->publish_here(m);
            done();
            for(std::size_t i = 1; i < shards_.size(); ++i)
                asio::dispatch(shards_[i]->strand, [this, to = shards_[i].get(), copy = m] {
                    to->publish_here(copy);
                    done();
                });
        });
    }

    /// Returns once every shard has published all it was given.
    void wait()
    {
        for(auto left = pending_.load(); left != 0; left = pending_.load())
            pending_.wait(left);
    }

private:
    void done()
    {
        if(pending_.fetch_sub(1) == 1)
            pending_.notify_all();
    }

    std::vector<std::unique_ptr<shard>> shards_;
    std::atomic<std::int64_t> pending_{0};
};

/// `count` publishes per iteration through a group of `shards` shards.
void fanout_through(benchmark::State& state, std::size_t shards, std::int64_t count)
{
    group g(shards, subscribers_per_shard);
    auto const m = payload("/news");
    for(auto _ : state)
    {
        for(std::int64_t i = 0; i < count; ++i)
            g.publish(m);
        g.wait();
    }
    state.SetItemsProcessed(state.iterations() * count * static_cast<std::int64_t>(shards * subscribers_per_shard));
}

void group_fanout(benchmark::State& state)
{
    fanout_through(state, static_cast<std::size_t>(state.range(0)), publishes);
}

void baseline_group_fanout(benchmark::State& state)
{
    fanout_through(state, 1, publishes * state.range(0));
}

rtnotify::session::address_counts shared_counts;

void count_connections(benchmark::State& state, rtnotify::session::address_counts& counts)
{
    auto const address = "192.0.2." + std::to_string(state.thread_index());
    for(auto _ : state)
    {
        benchmark::DoNotOptimize(counts.try_add(address, 1000));
        counts.remove(address);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void group_address_counts(benchmark::State& state)
{
    count_connections(state, shared_counts);
}

void baseline_group_address_counts(benchmark::State& state)
{
    rtnotify::session::address_counts own;
    count_connections(state, own);
}

BENCHMARK(group_fanout)->RangeMultiplier(2)->Range(1, 16)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(baseline_group_fanout)->RangeMultiplier(2)->Range(1, 16)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(group_address_counts)->ThreadRange(1, 16)->UseRealTime();
BENCHMARK(baseline_group_address_counts)->ThreadRange(1, 16)->UseRealTime();

} // namespace

int main(int argc, char** argv)
{
    return rtnotify_bench::run(argc, argv);
}
